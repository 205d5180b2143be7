"""The read-only JSON API, /api/v1/: published periods, their results, units and frameworks. No login: it serves
what the portal shows. The OpenAPI schema is at /api/v1/openapi.json, the interactive docs at /api/v1/docs.

Results are those of the published snapshot, exactly as published, never recomputed on the fly. Every answer is
kept whole in the shared cache, as the portal's pages are (``portal.caching``), until the next publication.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import NinjaAPI, Status
from ninja.decorators import decorate_view

from dti.api import schemas
from dti.assessments.models import FrameworkVersion, Period, Unit
from dti.assessments.queries.period_files import EXPORTERS
from dti.assessments.queries.presentation import published_history
from dti.assessments.queries.scores import published_results
from dti.engine import Indicator
from dti.portal.caching import cached_public_page

api = NinjaAPI(title="dti: chỉ số chuyển đổi số", version="1", urls_namespace="api-v1",
               description="Kết quả đánh giá chỉ số chuyển đổi số đã công bố: kỳ đánh giá, kết quả theo khối, đơn vị, "
                           "bộ chỉ số. Số liệu là chuỗi thập phân chính xác, chưa làm tròn.\n\n"
                           # the docs page is the API's only page: the way back to the portal's own
                           "[← Về cổng kết quả](/)")


def _published():
    # A national snapshot's inputs are hundreds of thousands of entries, its results megabytes: no answer reads
    # the first, and the second are read once and kept (``published_results``).
    return (Period.objects.filter(state=Period.State.PUBLISHED).select_related("framework", "snapshot")
            .defer("snapshot__inputs", "snapshot__framework_text", "snapshot__results"))


def _framework(version: FrameworkVersion) -> dict:
    return {"id": version.pk, "code": version.code, "version": version.version, "name": version.name,
            "source": version.source, "year": version.year, "sha256": version.sha256}


def _period(period: Period) -> dict:
    return {"id": period.pk, "year": period.year, "name": period.name, "framework": _framework(period.framework),
            "published_at": period.snapshot.created_at.isoformat(), "snapshot_sha256": period.snapshot.sha256}


def _unit_ids(period: Period) -> dict[tuple[str, str], int]:
    return {(p.group.code, p.name): p.unit_id
            for p in period.participations.select_related("unit", "group")}


def _results(period: Period) -> list[dict]:
    ids = _unit_ids(period)
    groups = []
    for group in published_results(period):
        units = [{**unit, "unit_id": ids.get((group["code"], unit["name"]))} for unit in group["units"]]
        groups.append({**group, "units": units})
    return groups


@decorate_view(cached_public_page)
@api.get("/periods", response=list[schemas.Period], summary="Các kỳ đánh giá đã công bố", tags=["periods"])
def periods(request):
    return [_period(p) for p in _published()]


@decorate_view(cached_public_page)
@api.get("/periods/{period_id}", response={200: schemas.PeriodDetail, 404: schemas.NotFound},
         summary="Một kỳ đánh giá", tags=["periods"])
def period(request, period_id: int):
    found = get_object_or_404(_published(), pk=period_id)
    counts: dict[str, dict] = {}
    for participation in found.participations.select_related("group").order_by("group__position"):
        entry = counts.setdefault(participation.group.code, {"code": participation.group.code,
                                                             "name": participation.group.name, "units": 0})
        entry["units"] += 1
    downloads = {name: request.build_absolute_uri(reverse("portal:download", args=[found.pk, name]))
                 for name in EXPORTERS}
    return {**_period(found), "groups": list(counts.values()), "downloads": downloads}


@decorate_view(cached_public_page)
@api.get("/periods/{period_id}/results", response={200: list[schemas.GroupResult], 404: schemas.NotFound},
         summary="Kết quả của mọi khối trong kỳ", tags=["results"])
def period_results(request, period_id: int):
    return _results(get_object_or_404(_published(), pk=period_id))


@decorate_view(cached_public_page)
@api.get("/periods/{period_id}/results/{group_code}", response={200: schemas.GroupResult, 404: schemas.NotFound},
         summary="Kết quả của một khối", tags=["results"])
def group_results(request, period_id: int, group_code: str):
    for group in _results(get_object_or_404(_published(), pk=period_id)):
        if group["code"] == group_code:
            return group
    return Status(404, {"detail": "Không có khối này trong kỳ đánh giá."})


@decorate_view(cached_public_page)
@api.get("/units", response=list[schemas.Unit], summary="Các đơn vị có kết quả đã công bố", tags=["units"])
def units(request):
    return list(Unit.objects.filter(participations__period__state=Period.State.PUBLISHED).distinct()
                .order_by("group_code", "name").values("id", "name", "group_code"))


@decorate_view(cached_public_page)
@api.get("/units/{unit_id}", response={200: schemas.UnitDetail, 404: schemas.NotFound},
         summary="Một đơn vị và kết quả qua các năm", tags=["units"])
def unit(request, unit_id: int):
    found = get_object_or_404(Unit.objects.filter(participations__period__state=Period.State.PUBLISHED).distinct(),
                              pk=unit_id)
    results = []
    for entry in published_history(found):
        participation, group, row = entry.participation, entry.group, entry.row
        report = reverse("portal:unit_report", args=[participation.period_id, participation.pk, "pdf"])
        results.append({
            "period_id": participation.period_id, "year": participation.period.year,
            "period": participation.period.name, "group_code": group["code"], "group": group["name"],
            "ranked": row["ranked"], "declared_total": row["declared"]["total"],
            "reviewed_total": row["reviewed"]["total"], "rank": row["rank"], "ranked_units": group["ranked_units"],
            "grade": row["grade"], "report_pdf": request.build_absolute_uri(report)})
    return {"id": found.pk, "name": found.name, "group_code": found.group_code, "results": results}


def _indicator(indicator: Indicator) -> dict:
    return {"code": indicator.code, "name": indicator.name, "max_points": f"{indicator.max_points:f}",
            "rule": indicator.rule.describe(indicator.max_points), "evidence": indicator.evidence,
            "data_supplier": indicator.data_supplier, "verifier": indicator.verifier,
            "children": [_indicator(child) for child in indicator.children]}


def _used_frameworks():
    return FrameworkVersion.objects.filter(periods__state=Period.State.PUBLISHED).distinct().order_by("code",
                                                                                                      "version")


@decorate_view(cached_public_page)
@api.get("/frameworks", response=list[schemas.Framework], summary="Các bộ chỉ số của các kỳ đã công bố",
         tags=["frameworks"])
def frameworks(request):
    return [_framework(v) for v in _used_frameworks()]


@decorate_view(cached_public_page)
@api.get("/frameworks/{framework_id}", response={200: schemas.FrameworkDetail, 404: schemas.NotFound},
         summary="Một bộ chỉ số: chỉ số chính, chỉ số thành phần, điểm tối đa, cách tính điểm", tags=["frameworks"])
def framework(request, framework_id: int):
    version = get_object_or_404(_used_frameworks(), pk=framework_id)
    engine = version.parsed
    groups = [{"code": g.code, "name": g.name, "max_points": f"{g.max_points:f}",
               "grading": g.grading.describe() if g.grading else None, "tie_rule": g.tie_rule,
               "pillars": [{"code": p.code, "name": p.name, "max_points": f"{p.max_points:f}", "scored": p.scored,
                            "indicators": [_indicator(i) for i in p.indicators]} for p in g.pillars]}
              for g in engine.groups]
    return {**_framework(version), "notes": list(engine.notes), "groups": groups}
