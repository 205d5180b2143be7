"""The public side: published results only, no login."""

from __future__ import annotations

from decimal import Decimal

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from dti.assessments import services
from dti.assessments.document_views import download_response
from dti.assessments.models import Participation, Period
from dti.assessments.period_documents import (
    PERIOD_DOCUMENTS,
    REPORT_TYPES,
    document_list,
    period_document,
    unit_report_document,
)
from dti.assessments.presentation import period_tables
from dti.documents import unit_report as reports

from . import ranking
from .caching import cached_public_page


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
    return {"period": period, "tables": tables, "charts": charts, "documents": document_list(),
            "participations": participations, "unit_links": links}


@cached_public_page
def home(request):
    published = Period.objects.filter(state=Period.State.PUBLISHED).select_related("framework")
    latest = published.first()
    return render(request, "portal/home.html", {"periods": published, **(_page(latest) if latest else {})})


@cached_public_page
def period_results(request, period_id: int):
    return render(request, "portal/period.html", _page(_published(period_id)))


@cached_public_page
def group_page(request, period_id: int, group_code: str):
    """One group's ranking: sortable, filterable by grade, searchable by name — all in the query string, so the
    address is the share link — with its charts and the group's mean per pillar across years."""
    period = _published(period_id)
    table = next((t for t in period_tables(period) if t.group_code == group_code), None)
    if table is None:
        raise Http404
    rows = ranking.ranking_rows(period, table)
    sort = request.GET.get("sap-xep", "rank")
    descending = request.GET.get("chieu", "giam" if sort not in ("rank", "unit") else "tang") == "giam"
    grade, query = request.GET.get("loai", ""), request.GET.get("q", "")[:100]
    shown = ranking.sort_and_filter(rows, sort=sort, descending=descending, grade=grade, query=query)

    def sort_link(key: str) -> dict:
        active = key == sort
        flip = "tang" if active and descending else "giam" if active else (
            "tang" if key in ("rank", "unit") else "giam")
        params = request.GET.copy()
        params["sap-xep"], params["chieu"] = key, flip
        return {"url": "?" + params.urlencode(), "active": active, "descending": descending}

    group = period.framework.framework.group(group_code)
    charts = {
        "stacked": {"units": [r.unit for r in rows], "max": float(group.max_points),
                    "pillars": [{"name": name, "values": [float(r.pillars[k]) for r in rows]}
                                for k, name in enumerate(table.pillars)]},
        "distribution": {"points": [{"unit": r.unit, "total": float(r.total), "grade": r.grade} for r in rows
                                    if r.ranked],
                         "boundaries": ranking.grade_boundaries(rows), "max": float(group.max_points)},
        "scatter": {"points": [{"unit": r.unit, "declared": float(r.declared_total), "reviewed": float(r.total)}
                               for r in rows], "max": float(group.max_points)},
    }
    return render(request, "portal/group.html", {
        "period": period, "table": table, "rows": shown, "count": len(rows), "sort": sort,
        "grades": sorted({r.grade for r in rows if r.grade}, key=[r.grade for r in rows].index),
        "grade": grade, "query": query, "charts": charts, "previous": ranking.previous_period(period),
        "sorts": {key: sort_link(key) for key in (*ranking.SORTS, *(f"pillar-{k}" for k in range(len(table.pillars))))},
        "pillar_sorts": [(name, f"pillar-{k}") for k, name in enumerate(table.pillars)],
        "history": group_history(group_code)})


def group_history(group_code: str) -> list[dict]:
    """The group's reviewed average per pillar and in total, in every published period, oldest first."""
    rows = []
    for period in Period.objects.filter(state=Period.State.PUBLISHED).select_related("snapshot").order_by("year"):
        group = next((g for g in period.snapshot.results if g["code"] == group_code), None)
        if group and group["average"]["reviewed"]:
            average = group["average"]["reviewed"]
            rows.append({"period": period, "pillars": [(p["name"], Decimal(average["pillars"][p["code"]]))
                                                       for p in group["pillars"]],
                         "total": Decimal(average["total"])})
    return rows


MAX_COMPARED = 5


@cached_public_page
def compare(request):
    """Two to five units of one published period side by side; the choice is in the query string."""
    periods = Period.objects.filter(state=Period.State.PUBLISHED).select_related("framework")
    period = periods.filter(pk=request.GET.get("ky") or 0).first() or periods.first()
    if period is None:
        raise Http404
    participations = list(period.participations.select_related("unit", "group").order_by("group__position",
                                                                                           "position"))
    wanted = [int(v) for v in request.GET.getlist("don-vi") if v.isdigit()]
    chosen = [p for p in participations if p.pk in wanted][:MAX_COMPARED]
    columns, message = [], ""
    if len(chosen) == 1 or len(wanted) > MAX_COMPARED:
        message = _("Choose two to five units.")
    results = {g.group.code: g for g in services.period_results(period).groups} if chosen else {}
    for participation in chosen:
        result = results[participation.group.code]
        index = [u.name for u in result.units].index(participation.unit.name)
        columns.append({"participation": participation,
                        "report": reports.unit_report(result, index, period=period.name)})
    pillar_names = []
    for column in columns:
        pillar_names += [line.name for line in column["report"].pillars if line.name not in pillar_names]
    rows = [{"name": name, "cells": [next((line for line in c["report"].pillars if line.name == name), None)
                                     for c in columns]} for name in pillar_names]
    chart = {"pillars": pillar_names, "units": [{"name": c["report"].unit, "values": [
        float(line.share * 100) if line and line.share is not None else None for line in
        (next((x for x in c["report"].pillars if x.name == name), None) for name in pillar_names)]}
        for c in columns]}
    return render(request, "portal/compare.html", {
        "period": period, "periods": periods, "participations": participations, "wanted": wanted,
        "columns": columns, "rows": rows, "chart": chart, "message": message, "max_compared": MAX_COMPARED})


@cached_public_page
def methodology(request, period_id: int):
    """How the period was scored, from its framework: pillars, indicators, maxima, rules and grading in words."""
    period = _published(period_id)
    return render(request, "portal/methodology.html", {"period": period, "framework": period.framework.framework})


@cached_public_page
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
    bars = {"pillars": chart["axes"], "units": [{"name": chart["unitLabel"], "values": chart["unit"]},
                                                 {"name": chart["averageLabel"], "values": chart["average"]}]}
    return render(request, "portal/unit.html", {
        "period": period, "participation": participation, "report": report, "chart": chart, "bars": bars,
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
