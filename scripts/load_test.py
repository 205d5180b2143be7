"""Unit officers saving declarations at once against gunicorn on 127.0.0.1; optionally the server killed mid-burst.

    python scripts/load_test.py [--clients 200] [--units N] [--think S] [--seconds 60] [--crash-after S]
                                [--workers 4] [--output F.json]

SQLite in a fresh data folder by default; PostgreSQL when DATABASE_URL is set (a fresh database is created in
that cluster). Each client is a signed-in unit officer of its own unit, saving one of three indicators of its
declaration in turn with a new value and the version it last saw, as the declaration page does. With
``--think``, as officers work at a deadline: each has the page open before the clock starts, starts within the first
think, then saves, reads the page again and thinks; the answers' p99 is reported for every ten seconds too. Every
acknowledged save (the server answered with its redirect) is logged by the client; at the end the database is
compared with that log:

* lost write: an acknowledged save whose value or version is not in the database;
* duplicated write: the database holds more versions or audit entries of an indicator than saves were sent;
* after a crash (``--crash-after``: every server process gets SIGKILL while requests are in flight) a save that
  was in flight may be there without an acknowledgement — never more than one per client — and the database
  must pass its integrity check; the server is then restarted and every client saves once more.

With ``--hostile N``, one more signed-in officer sends N hostile numbers spread over the run, alternately to the
live points preview and to a save ("1e999999999", forty digits, "1.000", "４" …): each must be answered without a
server error, and neither a hostile answer nor an ordinary save may take longer than ``--max-save-seconds``.
One such value used to hold a worker for minutes; the default bound, 10 s, tells that fault from a slow save on a
shared, busy machine (1.6 s has been seen there) by more than an order of magnitude either way.

Only 127.0.0.1 is ever contacted; the run stops by itself. Exit status 0 when nothing was lost, duplicated or
answered with a server error.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FRAMEWORK = ROOT / "frameworks" / "bacninh-2023.yaml"
GROUP = "so-nganh"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare_database(environment: dict) -> None:
    """A fresh database: SQLite in a new folder, or a new database in the PostgreSQL cluster of DATABASE_URL."""
    url = environment.get("DATABASE_URL")
    if not url:
        environment["DTI_DATA_DIR"] = tempfile.mkdtemp(prefix="dti-load-")
        return
    import psycopg

    name = f"dti_load_{os.getpid()}_{int(time.time())}"
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    environment["DATABASE_URL"] = urllib.parse.urlunsplit(urllib.parse.urlsplit(url)._replace(path="/" + name))


def set_up(clients: int, units_in_period: int = 0) -> list[dict]:
    """Migrate, load the framework, open a period with one unit and one signed-in officer per client, and as many
    more units (without officers) as make ``units_in_period``."""
    import django

    django.setup()
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command

    from dti.accounts.models import Role
    from dti.accounts.services import create_account
    from dti.assessments.actions.frameworks import import_framework
    from dti.assessments.actions.periods import add_participants, advance_period, create_period
    from dti.assessments.models import Unit
    from dti.assessments.models.units import name_key

    call_command("migrate", verbosity=0)
    version, _ = import_framework(FRAMEWORK.read_text(encoding="utf-8"), FRAMEWORK.name)
    period = create_period(year=2030, name="Kỳ thử tải", framework=version)
    units = [Unit.objects.create(name=f"Sở thử tải {i:03d}", group_code=GROUP) for i in range(clients)]
    participations = add_participants(period, units)
    others = Unit.objects.bulk_create([Unit(name=f"Đơn vị khác {i:05d}", key=name_key(f"Đơn vị khác {i:05d}"),
                                            group_code=GROUP) for i in range(max(units_in_period - clients, 0))])
    add_participants(period, others)
    advance_period(period, "declaring")
    group = version.parsed.group(GROUP)
    # Three indicators scored directly (0..max points), each on its pillar's page.
    targets = [(pillar.code, leaf.code) for pillar in group.pillars for leaf in pillar.walk()
               if leaf.rule.kind == "direct"][:3]
    people = []
    for i, participation in enumerate(participations):
        # No password: sessions are made as Django's test client does, so sign-in hashing does not load the run.
        user = create_account(username=f"donvi{i:03d}", password=None, role=Role.UNIT_OFFICER, unit=units[i])
        session = SessionStore()
        session[SESSION_KEY], session[BACKEND_SESSION_KEY] = str(user.pk), "dti.accounts.backends.AccountBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        people.append({"participation": participation.pk, "session": session.session_key,
                       "codes": [code for _, code in targets],
                       "paths": {code: f"/quan-ly/khai-bao/{participation.pk}/{pillar}/" for pillar, code in targets}})
    return people


class Server:
    def __init__(self, environment: dict, port: int, workers: int):
        self.environment, self.port, self.workers = environment, port, workers
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            [sys.executable, "-m", "gunicorn", "dti.web.wsgi", "-w", str(self.workers), "-b", f"127.0.0.1:{self.port}",
             "--graceful-timeout", "5", "--log-level", "warning"],
            env=self.environment, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                connection.request("GET", "/")
                if connection.getresponse().status == 200:
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not start: " + self.process.stderr.read().decode(errors="replace")[-2000:])

    def kill(self) -> None:
        os.killpg(self.process.pid, signal.SIGKILL)  # the master and every worker, mid-request
        self.process.wait()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


class Officer(threading.Thread):
    """One unit officer: fetch the pillar page once (for the CSRF cookie), then save until told to stop. With
    ``think`` seconds, as officers work: each starts within the first think, then saves, reads the page again and
    thinks (0.5 to 1.5 × ``think``)."""

    def __init__(self, person: dict, port: int, stop: threading.Event, think: float = 0.0):
        super().__init__(daemon=True)
        self.person, self.port, self.stop, self.think = person, port, stop, think
        self.draw = random.Random(person["participation"])  # noqa: S311 - think times, not secrets
        self.read_latencies: list[float] = []
        self.cookies = {"sessionid": person["session"]}
        self.opened = False
        self.acknowledged: dict[str, list[str]] = defaultdict(list)  # code → values, in order
        self.unanswered: list[tuple[str, str]] = []  # saves sent without an answer: maybe committed, maybe not
        self.latencies: list[float] = []
        self.timeline: list[tuple[float, float]] = []  # (when sent, seconds to answer) of every save and read
        self.server_errors = self.refused = self.connection_errors = self.requests = 0

    def _request(self, method: str, code: str, body: str | None = None) -> http.client.HTTPResponse:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, self.person["paths"][code], body=body, headers=headers)
        response = connection.getresponse()
        response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        connection.close()
        return response

    def open_page(self) -> bool:
        """The pillar page, as the officer has it open before saving (and its CSRF cookie)."""
        try:
            self._request("GET", self.person["codes"][0])
        except OSError:
            self.connection_errors += 1
            return False
        self.opened = True
        return True

    def run(self) -> None:
        if self.think:  # officers at work do not all press "Save" in the same millisecond: each starts within a think
            self.stop.wait(self.draw.uniform(0, self.think))
        if not self.opened and not self.open_page():
            return
        turn = 0
        while not self.stop.is_set():
            code = self.person["codes"][turn % len(self.person["codes"])]
            turn += 1
            saved = self.acknowledged[code]
            value = str(len(saved) % 9 + 1)  # never the value saved just before: every save is a change
            form = {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), "indicator": code,
                    f"{code}-input_points": value, f"{code}-version": str(len(saved)) if saved else ""}
            started = time.perf_counter()
            self.requests += 1
            try:
                response = self._request("POST", code, urllib.parse.urlencode(form))
            except OSError:
                self.connection_errors += 1
                self.unanswered.append((code, value))
                time.sleep(0.2)
                continue
            self.latencies.append(time.perf_counter() - started)
            self.timeline.append((started, self.latencies[-1]))
            if response.status == 302:
                saved.append(value)
            elif response.status >= 500:
                self.server_errors += 1
            else:
                self.refused += 1
            if self.think:
                self._read_and_think(code)

    def _read_and_think(self, code: str) -> None:
        started = time.perf_counter()
        try:
            status = self._request("GET", code).status
        except OSError:
            self.connection_errors += 1
            return
        self.read_latencies.append(time.perf_counter() - started)
        self.timeline.append((started, self.read_latencies[-1]))
        if status >= 500:
            self.server_errors += 1
        self.stop.wait(self.draw.uniform(0.5, 1.5) * self.think)


class StaticProbe(threading.Thread):
    """A static file fetched from the same server every 0.2 s during the burst: the yardstick beside the saves."""

    def __init__(self, port: int, stop: threading.Event):
        super().__init__(daemon=True)
        self.port, self.stop = port, stop
        self.latencies: list[float] = []

    def run(self) -> None:
        while not self.stop.wait(0.2):
            started = time.perf_counter()
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                connection.request("GET", "/static/dti/dti.css")
                connection.getresponse().read()
                connection.close()
            except OSError:
                continue
            self.latencies.append(time.perf_counter() - started)


HOSTILE_NUMBERS = ["1e999999999", "9" * 40, "1e5000", "1.000", "４", "٤", "-1e99999", "1" * 16 + ",5", "NaN",
                   "1,2,3", "0x10", "1_000"]


class Attacker(threading.Thread):
    """A signed-in officer typing hostile numbers, ``count`` times spread over ``seconds``."""

    def __init__(self, person: dict, port: int, count: int, seconds: float):
        super().__init__(daemon=True)
        self.officer = Officer(person, port, threading.Event())
        self.person, self.count, self.seconds = person, count, seconds
        self.statuses: list[int] = []
        self.latencies: list[float] = []

    def run(self) -> None:
        officer, code = self.officer, self.person["codes"][0]
        officer._request("GET", code)
        preview = self.person["paths"][code].rsplit("/", 2)[0] + f"/diem/{code}/"
        for turn in range(self.count):
            time.sleep(self.seconds / (self.count + 1))
            value = HOSTILE_NUMBERS[turn % len(HOSTILE_NUMBERS)]
            form = {"csrfmiddlewaretoken": officer.cookies.get("csrftoken", ""), f"{code}-input_points": value,
                    f"{code}-version": "", "indicator": code}
            if turn % 2 == 0:  # the live preview, as typing triggers it
                self.person["paths"]["preview"] = preview
                target = "preview"
            else:
                target = code
            started = time.perf_counter()
            try:
                response = officer._request("POST", target, urllib.parse.urlencode(form))
                self.statuses.append(response.status)
            except OSError:
                self.statuses.append(0)
            self.latencies.append(time.perf_counter() - started)


def burst(people: list[dict], port: int, seconds: float, server: Server | None = None,
          crash_after: float | None = None, think: float = 0.0, probe: StaticProbe | None = None) -> list[Officer]:
    stop = probe.stop if probe else threading.Event()
    officers = [Officer(person, port, stop, think) for person in people]
    if think:  # at the deadline the officers have their pages open already: opened before the clock starts
        with ThreadPoolExecutor(8) as pool:
            list(pool.map(Officer.open_page, officers))
    if probe:
        probe.start()
    for officer in officers:
        officer.start()
    if crash_after is not None:
        time.sleep(crash_after)
        server.kill()
        time.sleep(1)  # requests now fail to connect: none of them is acknowledged
    else:
        time.sleep(seconds)
    stop.set()
    for officer in officers:
        officer.join(timeout=90)
    return officers


def compare(officers: list[Officer], crashed: bool) -> dict:
    """The database against the clients' log of acknowledged saves."""
    from django.db import connection

    from dti.assessments.models import AuditEntry, IndicatorEntry

    connection.close()  # a fresh connection sees what the server committed
    lost = duplicated = in_flight_committed = 0
    for officer in officers:
        committed_unanswered = 0
        participation = officer.person["participation"]
        entries = {e.indicator_code: e for e in IndicatorEntry.objects.filter(participation_id=participation,
                                                                              stage="declared")}
        audits = defaultdict(int)
        for code in AuditEntry.objects.filter(participation_id=participation,
                                              action="dti.declaration.inputs_changed").values_list("indicator_code",
                                                                                                   flat=True):
            audits[code] += 1
        for code in officer.person["codes"]:
            acknowledged = officer.acknowledged.get(code, [])
            entry = entries.get(code)
            stored_version = entry.version if entry else 0
            stored_value = entry.inputs.get("points") if entry else None
            extra = stored_version - len(acknowledged)
            if crashed and extra == 1 and (code, stored_value) in officer.unanswered:
                committed_unanswered += 1  # saved as the server died, before it could answer
            elif extra < 0 or (acknowledged and stored_value != acknowledged[-1]):
                lost += 1
            elif extra > 0:
                duplicated += 1
            if audits[code] != stored_version:
                duplicated += 1
        if committed_unanswered > 1:  # one request at a time per client: at most one can have been in flight
            duplicated += committed_unanswered - 1
        in_flight_committed += min(committed_unanswered, 1)
    return {"lost_writes": lost, "duplicated_writes": duplicated, "in_flight_committed": in_flight_committed}


def integrity_check() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA integrity_check")
            result = cursor.fetchone()[0]
            cursor.execute("PRAGMA foreign_key_check")
            return result if not cursor.fetchall() else "foreign keys broken"
        # PostgreSQL enforces foreign keys itself: check that the audit log still points at participations and
        # that the entries table reads through.
        cursor.execute("SELECT count(*) FROM assessments_auditentry a LEFT JOIN assessments_participation p "
                       "ON a.participation_id = p.id WHERE a.participation_id IS NOT NULL AND p.id IS NULL")
        orphans = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM assessments_indicatorentry")
        cursor.fetchone()
        return "ok" if orphans == 0 else f"{orphans} orphaned audit entries"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))] * 1000 if ordered else 0.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--crash-after", type=float, default=None)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--output", type=Path)
    parser.add_argument("--hostile", type=int, default=0, help="hostile numbers sent by one more officer")
    parser.add_argument("--think", type=float, default=0.0,
                        help="seconds an officer thinks after each save and read of the page (0: save at once)")
    parser.add_argument("--units", type=int, default=0,
                        help="units in the period, officers' units included (a national period: 3321)")
    parser.add_argument("--max-save-seconds", type=float, default=10.0,
                        help="with --hostile: slowest hostile answer and slowest ordinary save")
    args = parser.parse_args()
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "dti.web.settings", "DTI_DEBUG": "0"}
    prepare_database(environment)
    os.environ.update(environment)
    people = set_up(args.clients + (1 if args.hostile else 0), args.units)
    attacker_person = people.pop() if args.hostile else None
    port = free_port()
    server = Server(environment, port, args.workers)
    server.start()
    started = time.monotonic()
    attacker = Attacker(attacker_person, port, args.hostile, args.seconds) if args.hostile else None
    try:
        if attacker:
            attacker.start()
        probe = StaticProbe(port, threading.Event())
        officers = burst(people, port, args.seconds, server, args.crash_after, args.think, probe)
        if attacker:
            attacker.join(timeout=120)
        elapsed = time.monotonic() - started
        report = {"database": "postgresql" if environment.get("DATABASE_URL") else "sqlite",
                  "clients": args.clients, "units_in_period": max(args.units, args.clients),
                  "think_seconds": args.think, "seconds": round(elapsed, 1),
                  "server_workers": args.workers,
                  "crash": args.crash_after is not None}
        if args.crash_after is not None:
            report["integrity_check"] = integrity_check()
        report.update(compare(officers, crashed=args.crash_after is not None))
        if args.crash_after is not None:
            server.start()  # restart on the same database: every client saves once more
            report["after_restart_saves"] = _one_more_save(officers)
    finally:
        server.stop()
    latencies = [t for officer in officers for t in officer.latencies]
    acknowledged = sum(len(v) for officer in officers for v in officer.acknowledged.values())
    report.update({
        "requests": sum(o.requests for o in officers), "acknowledged_saves": acknowledged,
        "server_errors": sum(o.server_errors for o in officers), "refused": sum(o.refused for o in officers),
        "connection_errors": sum(o.connection_errors for o in officers),
        "saves_per_second": round(acknowledged / max(elapsed, 1e-9), 1),
        "latency_ms": {"p50": round(percentile(latencies, 0.50), 1), "p95": round(percentile(latencies, 0.95), 1),
                       "p99": round(percentile(latencies, 0.99), 1),
                       "mean": round(statistics.fmean(latencies) * 1000, 1) if latencies else 0.0},
        "static_file_latency_ms": {"p50": round(percentile(probe.latencies, 0.50), 1),
                                   "p95": round(percentile(probe.latencies, 0.95), 1),
                                   "p99": round(percentile(probe.latencies, 0.99), 1)},
    })
    reads = [t for officer in officers for t in officer.read_latencies]
    if reads:
        report["read_latency_ms"] = {"p50": round(percentile(reads, 0.50), 1), "p95": round(percentile(reads, 0.95), 1),
                                     "p99": round(percentile(reads, 0.99), 1)}
    timeline = sorted(point for officer in officers for point in officer.timeline)
    if timeline:  # how the answers went along the run: a backlog shows as seconds whose p99 stands out
        origin, windows = timeline[0][0], defaultdict(list)
        for sent, seconds in timeline:
            windows[int((sent - origin) // 10) * 10].append(seconds)
        report["p99_ms_by_ten_seconds"] = {f"{start}-{start + 10} s": round(percentile(values, 0.99), 1)
                                           for start, values in sorted(windows.items())}
    if attacker:
        report["hostile"] = {"requests": len(attacker.statuses), "statuses": sorted(set(attacker.statuses)),
                             "slowest_answer_ms": round(max(attacker.latencies, default=0) * 1000, 1),
                             "slowest_ordinary_save_ms": round(max(latencies, default=0) * 1000, 1)}
    text = json.dumps(report, ensure_ascii=False, indent=2)
    print(text)
    if args.output:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(text + "\n", encoding="utf-8")
    crashed = args.crash_after is not None
    failed = report["lost_writes"] or report["duplicated_writes"] or (not crashed and report["server_errors"]) \
        or (not crashed and report["refused"]) or (crashed and report["integrity_check"] != "ok") \
        or (crashed and report.get("after_restart_saves") != args.clients) or acknowledged == 0 \
        or (attacker is not None and (len(attacker.statuses) != args.hostile or set(attacker.statuses) != {200}
                                      or max(latencies, default=0) >= args.max_save_seconds
                                      or max(attacker.latencies, default=0) >= args.max_save_seconds))
    return 1 if failed else 0


def _one_more_save(officers: list[Officer]) -> int:
    """After the restart, each officer saves once with the version the database now holds; the count that
    succeed."""
    from django.db import connection

    from dti.assessments.models import IndicatorEntry

    connection.close()
    succeeded = 0
    for officer in officers:
        code = officer.person["codes"][0]
        entry = IndicatorEntry.objects.filter(participation_id=officer.person["participation"], indicator_code=code,
                                              stage="declared").first()
        version = entry.version if entry else 0
        current = entry.inputs.get("points") if entry else None
        value = "5" if current != "5" else "6"
        officer._request("GET", code)
        form = {"csrfmiddlewaretoken": officer.cookies.get("csrftoken", ""), "indicator": code,
                f"{code}-input_points": value, f"{code}-version": str(version) if entry else ""}
        if officer._request("POST", code, urllib.parse.urlencode(form)).status == 302:
            stored = IndicatorEntry.objects.get(participation_id=officer.person["participation"], indicator_code=code,
                                                stage="declared")
            succeeded += stored.inputs.get("points") == value and stored.version == version + 1
    return succeeded


if __name__ == "__main__":
    sys.exit(main())
