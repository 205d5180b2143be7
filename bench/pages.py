"""Benchmark: every signed-in page of every role, and every public page, on a period of 25 units and on a
synthetic national period of 3,321 communes — SQL queries per request and server time, side by side with a
static file served by the same application in the same run.

    python bench/pages.py [--units 3321] [--small 25] [--runs 5] [--output var/bench/pages.json]

Both periods use one synthetic framework of 8 pillars × 6 indicators (48 scored indicators: steps, yes/no,
count, ratio, direct points), every unit declared and reviewed; a few units wait for review. The requests go
through the whole WSGI stack in this process (Django's test client: middleware, sessions, templates), so the
time is the server's own. A page "scales" when its query count is the same at both sizes. Then the period is
published and the public pages and the API are measured, the first visitor apart.

SQLite in a fresh folder by default; PostgreSQL when DATABASE_URL is set (a fresh database in that cluster).
Targets (issue: national scale) are printed beside the figures; the figures belong in BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from load_test import prepare_database  # noqa: E402 - the load test's fresh database, shared

GROUP = "xa"
PILLARS, PER_PILLAR = 8, 6
# (kind, rule) cycled over each pillar's indicators; each indicator is worth 2.5 points, each pillar 15.
RULES = [
    {"kind": "steps", "value": "Số cuộc họp", "whole": True,
     "steps": [{"at_least": 4, "points": 2.5}, {"at_least": 2, "points": 1.5}, {"at_least": 1, "points": 0.5}]},
    {"kind": "yes_no", "question": "Đã ban hành"},
    {"kind": "count", "points_each": 0.5},
    {"kind": "ratio", "numerator": "Số đạt", "denominator": "Tổng số", "when_zero": "zero"},
    {"kind": "direct"},
    {"kind": "ratio", "numerator": "Số có", "denominator": "Tổng", "when_zero": "zero"},
]
TARGET_MS = 300  # p95 at national scale: queue, progress, results, dashboard, a unit's review page
ACTION_TARGET_MS = 100  # accepting one indicator


def framework_text() -> str:
    import yaml

    pillars = []
    for p in range(1, PILLARS + 1):
        indicators = [{"code": f"{p}.{i}", "name": f"Chỉ tiêu {p}.{i}", "max_points": 2.5,
                       "rule": RULES[(i - 1) % len(RULES)]} for i in range(1, PER_PILLAR + 1)]
        pillars.append({"code": f"T{p}", "name": f"Trụ cột {p}", "max_points": 2.5 * PER_PILLAR,
                        "indicators": indicators})
    return yaml.safe_dump({
        "code": "bench-xa", "name": "Bộ chỉ số thử tải (xã, phường)", "source": "Tổng hợp cho đo hiệu năng",
        "year": 2026,
        "groups": [{"code": GROUP, "name": "Xã, phường", "tie_rule": "competition",
                    "grading": {"kind": "percent_bands", "bands": [
                        {"grade": "Xuất sắc", "from": 90}, {"grade": "Tốt", "from": 75}, {"grade": "Khá", "from": 60},
                        {"grade": "Trung bình", "from": 50}, {"grade": "Kém"}]},
                    "pillars": pillars}]}, allow_unicode=True, sort_keys=False)


def build_period(version, name: str, count: int, offset: int, people: dict):
    """A period of ``count`` communes in review: all declared and submitted, all but a few reviewed."""
    from django.utils import timezone

    from dti.assessments.actions.periods import add_participants, advance_period, assign_reviewer, create_period
    from dti.assessments.models import Declaration, IndicatorEntry, Unit
    from dti.assessments.models.units import name_key
    from dti.assessments.operations.demo_today import example_inputs

    period = create_period(year=2026, name=name, framework=version)
    units = Unit.objects.bulk_create([Unit(name=f"Xã Thử {offset + i:05d}", key=name_key(f"Xã Thử {offset + i:05d}"),
                                           group_code=GROUP, official_code=f"{offset + i:05d}")
                                      for i in range(count)])
    participations = add_participants(period, units)
    advance_period(period, "declaring")
    group = version.parsed.group(GROUP)
    leaves = [leaf for pillar in group.pillars for leaf in pillar.walk() if not leaf.children]
    draw = random.Random(count)
    now = timezone.now()
    entries, declarations = [], []
    waiting = set(range(0, count, max(count // 5, 1)))  # a few units still wait for review
    for i, participation in enumerate(participations):
        skill = draw.uniform(0.3, 0.95)
        for leaf in leaves:
            inputs = example_inputs(leaf, skill, draw)
            entries.append(IndicatorEntry(participation=participation, indicator_code=leaf.code, stage="declared",
                                          inputs=inputs, updated_by=people["unit"]))
            if i not in waiting:
                entries.append(IndicatorEntry(participation=participation, indicator_code=leaf.code,
                                              stage="reviewed", inputs=inputs, declared_version=1,
                                              updated_by=people["reviewer"]))
        declarations.append(Declaration(participation=participation, state="submitted", submitted_at=now,
                                        submitted_by=people["unit"]))
    IndicatorEntry.objects.bulk_create(entries, batch_size=5000)
    Declaration.objects.bulk_create(declarations, batch_size=5000)
    advance_period(period, "reviewing")
    assign_reviewer(period, people["reviewer"], period.framework.groups.get(code=GROUP))
    return period, participations, sorted(waiting)


def accounts(small_first_unit):
    from dti.accounts.models import Role
    from dti.accounts.services import create_account

    return {"secretariat": create_account(username="bench.sotttt", password=None, role=Role.SECRETARIAT),
            "reviewer": create_account(username="bench.thamdinh", password=None, role=Role.REVIEWER),
            "leader": create_account(username="bench.lanhdao", password=None, role=Role.LEADER),
            "unit": create_account(username="bench.donvi", password=None, role=Role.UNIT_OFFICER,
                                   unit=small_first_unit)}


def measure(client, method: str, path: str, runs: int, data=None) -> dict:
    """Queries of a request after the first (what was computed once per change is kept by then) and of the
    first; the median, p95 and first time of ``runs`` requests."""
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def request():
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = getattr(client, method)(path, data) if data is not None else getattr(client, method)(path)
            body = b"".join(response) if response.streaming else response.content
            return response, body, time.perf_counter() - started, len(captured)

    first, body, first_seconds, first_queries = request()
    worker_seconds = None
    if first.status_code == 202:  # a large period's figures never computed: the worker computes them meanwhile
        began, response = time.perf_counter(), first
        while response.status_code == 202:  # as the page reloads itself
            call_command("worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)
            response, *_ = request()
        worker_seconds = round(time.perf_counter() - began, 1)
    times, queries, status, size = [], 0, None, 0
    for _run in range(runs):
        response, body, seconds, queries = request()
        times.append(seconds)
        status, size = response.status_code, len(body)
    ordered = sorted(times)
    return {"status": status, "queries": queries, "first_queries": first_queries, "bytes": size,
            "first_ms": round(first_seconds * 1000, 1), "first_status": first.status_code,
            "worker_seconds_before_the_page": worker_seconds,
            "median_ms": round(statistics.median(times) * 1000, 1),
            "p95_ms": round(ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))] * 1000, 1)}


def signed_in_pages(period, participation, pillar: str, code: str) -> dict[str, list[tuple[str, str]]]:
    p, u = period.pk, participation.pk
    return {
        "secretariat": [("dashboard", "/quan-ly/"), ("period", f"/quan-ly/ky-danh-gia/{p}/"),
                        ("progress", f"/quan-ly/ky-danh-gia/{p}/tien-do/"),
                        ("results", f"/quan-ly/ky-danh-gia/{p}/ket-qua/"),
                        ("analysis", f"/quan-ly/ky-danh-gia/{p}/phan-tich/"),
                        ("appeals", f"/quan-ly/ky-danh-gia/{p}/phuc-khao/"),
                        ("decision", f"/quan-ly/ky-danh-gia/{p}/quyet-dinh/"),
                        ("units", "/quan-ly/don-vi/"), ("log", "/quan-ly/nhat-ky/")],
        "reviewer": [("queue", f"/quan-ly/ky-danh-gia/{p}/tham-dinh/"), ("review", f"/quan-ly/tham-dinh/{u}/"),
                     ("dashboard", "/quan-ly/")],
        "leader": [("dashboard", "/quan-ly/"), ("results", f"/quan-ly/ky-danh-gia/{p}/ket-qua/")],
        "unit": [("declaration", f"/quan-ly/khai-bao/{u}/"), ("pillar", f"/quan-ly/khai-bao/{u}/{pillar}/"),
                 ("own analysis", f"/quan-ly/khai-bao/{u}/phan-tich/"),
                 ("history", f"/quan-ly/khai-bao/{u}/lich-su/")],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--units", type=int, default=3321)
    parser.add_argument("--small", type=int, default=25)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--output", type=Path)
    args = parser.parse_args()
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "dti.web.settings", "DTI_DEBUG": "0"}
    prepare_database(environment)
    os.environ.update(environment)
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from dti.assessments.actions.frameworks import import_framework
    from dti.assessments.models import Unit

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    version, _ = import_framework(framework_text(), "bench-xa.yaml")
    placeholder = Unit.objects.create(name="Xã Thử Tài Khoản", group_code=GROUP)
    people = accounts(placeholder)
    sizes = {}
    for label, count, offset in (("small", args.small, 0), ("national", args.units, 100_000)):
        sizes[label] = build_period(version, f"Kỳ thử {count} đơn vị", count, offset, people)
    print(f"set-up: {args.small} + {args.units} units × 48 indicators in {time.perf_counter() - started:.0f} s",
          file=sys.stderr)
    clients = {}
    for role, user in people.items():
        clients[role] = Client(HTTP_HOST="127.0.0.1")
        clients[role].force_login(user)
    anonymous = Client(HTTP_HOST="127.0.0.1")
    static = measure(anonymous, "get", "/static/dti/dti.css", args.runs * 4)
    report: dict = {"database": "postgresql" if environment.get("DATABASE_URL") else "sqlite",
                    "units": {"small": args.small, "national": args.units}, "runs": args.runs,
                    "static_file": static, "pages": []}
    for label, (period, participations, waiting) in sizes.items():
        target = participations[waiting[-1]]  # a unit waiting for review
        from dti.accounts.models import Membership

        Membership.objects.filter(user=people["unit"]).update(unit=target.unit)
        for role, pages in signed_in_pages(period, target, "T1", "1.1").items():
            for name, path in pages:
                figures = measure(clients[role], "get", path, args.runs)
                report["pages"].append({"size": label, "role": role, "page": name, **figures})
                print(f"{label:9} {role:12} {name:14} {figures}", file=sys.stderr)
        # A review action: accept one indicator in place, as the review page's button does.
        accepted = [(p, f"{pillar}.{i}") for p in (participations[w] for w in waiting[:-1] or waiting)
                    for pillar in range(1, PILLARS + 1) for i in range(1, PER_PILLAR + 1)][:args.runs * 3]
        times = []
        queries = first_queries = None
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        for participation, code in accepted:
            with CaptureQueriesContext(connection) as captured:
                began = time.perf_counter()
                response = clients["reviewer"].post(f"/quan-ly/tham-dinh/{participation.pk}/{code}/",
                                                    {"action": "accept"}, HTTP_HX_REQUEST="true")
                times.append(time.perf_counter() - began)
            first_queries = first_queries if first_queries is not None else len(captured)
            queries = len(captured)  # after the first, which also asks the worker for the period's pages
            assert response.status_code == 200, (response.status_code, response.content[:500])
        report["pages"].append({"size": label, "role": "reviewer", "page": "accept one indicator",
                                "status": 200, "queries": queries, "first_queries": first_queries,
                                "median_ms": round(statistics.median(times) * 1000, 1),
                                "p95_ms": round(max(times) * 1000, 1), "first_ms": round(times[0] * 1000, 1)})
    report["after_a_change"] = after_a_change(clients, *sizes["national"], people, args.runs)
    report["unit_reports"] = reports_in_the_background(*sizes["national"], people)
    report["published"] = published_pages(anonymous, *sizes["national"], people, args.runs)
    print_table(report)
    print("right after a review action (figures from the most recent computation while the worker computes):")
    for row in report["after_a_change"]["summary"]:
        print(f"  {row['role']} {row['page']}: median {row['median_ms']} ms, max {row['max_ms']} ms, "
              f"{row['recent']} of {args.runs} shown as recent")
    print(f"  the worker computed the current figures in {report['after_a_change']['worker_seconds']} s; "
          f"every page current after it: {report['after_a_change']['current_after_the_worker']}")
    print(f"every unit's report of the national period, as a background task: {report['unit_reports']}")
    published = report["published"]
    print(f"published; the worker prepared the publication in {published['worker_seconds']} s")
    for row in published["pages"]:
        print(f"  public {row['page']}: {row['queries']} queries, first visitor {row['first_ms']} ms, "
              f"median {row['median_ms']} ms, p95 {row['p95_ms']} ms, {row['bytes'] / 1024:.0f} KB")
    text = json.dumps(report, ensure_ascii=False, indent=2)
    if args.output:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(text + "\n", encoding="utf-8")
    failed = [f"{row['size']} {row['role']} {row['page']}: {row['status']}" for row in report["pages"]
              if row["status"] != 200]
    print("\n".join(failed) or "every page answered 200", file=sys.stderr)
    return 1 if failed else 0


def after_a_change(clients, period, participations, waiting, people, runs: int) -> dict:
    """The pages whose figures are slow to compute, read right after a review action as the deadline burst reads
    them: answered from the most recent figures (saying so) while the worker computes the current ones; then the
    worker's time, and the pages again."""
    from django.core.management import call_command

    from dti.assessments.actions.reviews import accept

    pages = [("secretariat", "results", f"/quan-ly/ky-danh-gia/{period.pk}/ket-qua/"),
             ("secretariat", "progress board", f"/quan-ly/ky-danh-gia/{period.pk}/tien-do/"),
             ("secretariat", "dashboard", "/quan-ly/"),
             ("reviewer", "queue", f"/quan-ly/ky-danh-gia/{period.pk}/tham-dinh/"),
             ("leader", "dashboard", "/quan-ly/")]
    group = period.framework.parsed.group(GROUP)
    leaves = [leaf for pillar in group.pillars for leaf in pillar.walk() if not leaf.children]
    from dti.assessments.models import Participation

    waiting_units = list(Participation.objects.filter(pk__in=[participations[w].pk for w in waiting])
                         .select_related("period__framework", "group"))  # as they are now: the period in review
    figures: dict = {"pages": []}
    for run in range(runs):  # each round: one more indicator accepted, then every page read once
        accept(waiting_units[run % len(waiting_units)], leaves[-1 - run // len(waiting_units)], by=people["reviewer"])
        for role, name, path in pages:
            started = time.perf_counter()
            response = clients[role].get(path)
            seconds = time.perf_counter() - started
            figures["pages"].append({"role": role, "page": name, "ms": round(seconds * 1000, 1),
                                     "recent": b'id="figures-as-of"' in response.content})
    started = time.perf_counter()
    call_command("worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)
    figures["worker_seconds"] = round(time.perf_counter() - started, 1)
    current = []
    for role, _name, path in pages:
        response = clients[role].get(path)
        current.append(b'id="figures-as-of"' not in response.content)
    figures["current_after_the_worker"] = all(current)
    by_page: dict = {}
    for row in figures["pages"]:
        by_page.setdefault((row["role"], row["page"]), []).append(row)
    figures["summary"] = [{"role": role, "page": name, "median_ms": statistics.median(r["ms"] for r in rows),
                           "max_ms": max(r["ms"] for r in rows), "recent": sum(r["recent"] for r in rows)}
                          for (role, name), rows in by_page.items()]
    return figures


def reports_in_the_background(period, participations, waiting, people) -> dict:
    """The rest of the national period reviewed (in bulk, then one action to move its version), then every
    unit's report asked for as the decision page asks and made by the worker, timed; progress read meanwhile."""
    import threading

    from django.core.management import call_command
    from django.db import connection

    from dti.assessments.actions.periods import save_decision_settings
    from dti.assessments.actions.prepared import ask_for_file
    from dti.assessments.models import IndicatorEntry, PreparedFile

    declared = IndicatorEntry.objects.filter(participation__in=[participations[w] for w in waiting],
                                             stage="declared")
    IndicatorEntry.objects.bulk_create(
        [IndicatorEntry(participation_id=e.participation_id, indicator_code=e.indicator_code, stage="reviewed",
                        inputs=e.inputs, declared_version=e.version, updated_by=people["reviewer"])
         for e in declared], batch_size=5000, ignore_conflicts=True)
    save_decision_settings(period, {"number": "1/QĐ-UBND"}, by=people["secretariat"])
    prepared = ask_for_file(period, PreparedFile.Kind.UNIT_REPORTS, by=people["secretariat"])  # enqueues it
    seen: list[int] = []
    finished = threading.Event()

    def watch() -> None:
        while not finished.wait(5):
            seen.append(PreparedFile.objects.get(pk=prepared.pk).done)
        connection.close()

    watcher = threading.Thread(target=watch)
    watcher.start()
    started = time.perf_counter()
    call_command("worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)
    seconds = time.perf_counter() - started
    finished.set()
    watcher.join()
    prepared.refresh_from_db()
    return {"state": prepared.state, "units": prepared.total, "seconds": round(seconds, 1),
            "bytes": prepared.file.size if prepared.file else 0, "progress_seen": seen, "error": prepared.error}


def published_pages(anonymous, period, participations, waiting, people, runs: int) -> dict:
    """The national period published (every unit reviewed by then), the worker's preparation of the publication
    timed, then every public page and the API's answers measured, the first visitor apart."""
    from django.core.management import call_command

    from dti.assessments.actions.periods import advance_period, save_decision_settings
    from dti.assessments.models import Period

    # A synthetic period's scores cluster near grade boundaries; no second reviewer is asked for here.
    Period.objects.filter(pk=period.pk).update(second_review_margin=0)
    period = Period.objects.get(pk=period.pk)
    save_decision_settings(period, {"number": "1/QĐ-UBND", "signed_on": "2026-12-26"})  # published with its decision
    for state in ("appeals", "finalized", "published"):
        period = advance_period(period, state, by=people["secretariat"])  # publishing asks the worker to prepare
    started = time.perf_counter()
    call_command("worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)
    worker_seconds = round(time.perf_counter() - started, 1)
    unit = participations[len(participations) // 2]
    p = period.pk
    pages = [("home", "/"), ("period", f"/ket-qua/{p}/"), ("group ranking", f"/ket-qua/{p}/khoi/{GROUP}/"),
             ("unit profile", f"/ket-qua/{p}/don-vi/{unit.pk}/"), ("methodology", f"/ket-qua/{p}/phuong-phap/"),
             ("decision PDF", f"/ket-qua/{p}/tai-ve/quyet-dinh.pdf"),
             ("API: results", f"/api/v1/periods/{p}/results"), ("API: a group", f"/api/v1/periods/{p}/results/{GROUP}")]
    return {"worker_seconds": worker_seconds,
            "pages": [{"page": name, **measure(anonymous, "get", path, runs)} for name, path in pages]}


def print_table(report: dict) -> None:
    static = report["static_file"]["median_ms"]
    rows: dict = {}
    for row in report["pages"]:
        rows.setdefault((row["role"], row["page"]), {})[row["size"]] = row
    print(f"static file: median {static} ms (same application, same run)")
    print("| role | page | queries, 25 → national | first request's queries | KB | median | p95 | first | × static |")
    print("|---|---|---|---|---|---|---|---|---|")
    for (role, page), by_size in rows.items():
        small, national = by_size.get("small", {}), by_size.get("national", {})
        first = f"{national.get('first_ms')} ms"
        if national.get("first_status") == 202:  # "being computed", while the worker computes it
            first += f" (202; worker {national['worker_seconds_before_the_page']} s)"
        print(f"| {role} | {page} | {small.get('queries')} → {national.get('queries')} | "
              f"{national.get('first_queries', '')} | {national.get('bytes', 0) / 1024:.0f} | "
              f"{national.get('median_ms')} ms | {national.get('p95_ms')} ms | {first} | "
              f"{national.get('median_ms', 0) / max(static, 0.001):.0f} |")


if __name__ == "__main__":
    sys.exit(main())
