"""The public side: published results only, no login."""

from __future__ import annotations

from decimal import Decimal

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from dti.assessments import services
from dti.assessments.document_views import download_response
from dti.assessments.models import Participation, Period
from dti.assessments.period_documents import PERIOD_DOCUMENTS, REPORT_TYPES, period_document, unit_report_document
from dti.assessments.presentation import period_tables
from dti.documents import unit_report as reports


def _published(period_id: int) -> Period:
    return get_object_or_404(Period.objects.select_related("framework"), pk=period_id, state=Period.State.PUBLISHED)


def _page(period: Period) -> dict:
    participations = period.participations.select_related("unit", "group").order_by("group__position", "position")
    tables = period_tables(period)
    framework = period.framework.framework
    charts = [{"id": f"stacked-{table.group_code}", "data_id": f"stacked-{table.group_code}-data", "data": {
        "units": [row.unit for row in table.rows],
        "pillars": [{"name": name, "values": [float(row.reviewed[k]) for row in table.rows]}
                    for k, name in enumerate(table.pillars)],
        "max": float(framework.group(table.group_code).max_points)}} for table in tables]
    links = {p.unit.name: reverse("portal:unit", args=[period.pk, p.pk]) for p in participations}
    return {"period": period, "tables": tables, "charts": charts, "documents": list(PERIOD_DOCUMENTS),
            "participations": participations, "unit_links": links}


def home(request):
    published = Period.objects.filter(state=Period.State.PUBLISHED).select_related("framework")
    latest = published.first()
    return render(request, "portal/home.html", {"periods": published, **(_page(latest) if latest else {})})


def period_results(request, period_id: int):
    return render(request, "portal/period.html", _page(_published(period_id)))


def methodology(request, period_id: int):
    """How the period was scored, from its framework: pillars, indicators, maxima, rules and grading in words."""
    period = _published(period_id)
    return render(request, "portal/methodology.html", {"period": period, "framework": period.framework.framework})


def unit_profile(request, period_id: int, participation_id: int):
    """A unit's page: its points against max and the group average, rank and grade across years, declared
    against reviewed, the points to the next grade, strengths and weaknesses, its report."""
    period = _published(period_id)
    participation = get_object_or_404(Participation.objects.select_related("unit", "group"), pk=participation_id,
                                      period=period)
    result = next(g for g in services.period_results(period).groups if g.group.code == participation.group.code)
    index = [u.name for u in result.units].index(participation.unit.name)
    report = reports.unit_report(result, index, period=period.name)
    chart = {"axes": [line.name for line in report.pillars],
             "unit": [float(line.share * 100) if line.share is not None else None for line in report.pillars],
             "average": [float(line.average_share * 100) if line.average_share is not None else None
                         for line in report.pillars],
             "unitLabel": report.unit, "averageLabel": report.chart_legend[1][2]}
    return render(request, "portal/unit.html", {
        "period": period, "participation": participation, "report": report, "chart": chart,
        "history": unit_history(participation.unit)})


def unit_history(unit) -> list[dict]:
    """The unit's reviewed total, rank and grade in every published period, oldest first."""
    rows = []
    for participation in (Participation.objects.filter(unit=unit, period__state=Period.State.PUBLISHED)
                          .select_related("period__snapshot", "group").order_by("period__year")):
        group = next((g for g in participation.period.snapshot.results if g["code"] == participation.group.code), {})
        row = next((u for u in group.get("units", ()) if u["name"] == unit.name), None)
        if row:
            rows.append({"period": participation.period, "participation": participation, "group": group["name"],
                         "total": Decimal(row["reviewed"]["total"]), "declared": Decimal(row["declared"]["total"]),
                         "rank": row["rank"], "ranked_units": group["ranked_units"], "grade": row["grade"]})
    return rows


def download(request, period_id: int, name: str):
    period = _published(period_id)
    if name not in PERIOD_DOCUMENTS:
        raise Http404
    return download_response(request, lambda: period_document(period, name))


def unit_report(request, period_id: int, participation_id: int, kind: str):
    participation = get_object_or_404(Participation.objects.select_related("unit", "group"), pk=participation_id,
                                      period=_published(period_id))
    if kind not in REPORT_TYPES:
        raise Http404
    return download_response(request, lambda: unit_report_document(participation, kind))
