"""The public side: published results only, no login."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from dti.assessments.models import Participation, Period
from dti.assessments.queries.baseline import comparison, ranking_after_mergers, snapshot_group
from dti.assessments.queries.group_analysis import (
    analysis_of_participation,
    group_analysis,
    interval_rows,
    intervals_chart,
)
from dti.assessments.queries.period_files import (
    DECISION_PDF,
    EXPORTERS,
    REPORT_TYPES,
    decision_settings,
    document_list,
    open_data_license,
    participation_report,
    period_document,
    unit_report_document,
)
from dti.assessments.queries.presentation import period_tables, published_history
from dti.assessments.queries.register import unit_places
from dti.assessments.views.documents import download_response
from dti.assessments.views.helpers import one_page
from dti.documents.appendix import AppendixTable
from dti.documents.decision import sites_named
from dti.engine.uncertainty import DEFAULT_SETTINGS
from dti.portal import charts as charts_data
from dti.portal import ranking
from dti.portal.caching import cached_public_page
from dti.web.names import for_reader, glossary_of, named
from dti.web.query import id_or_none


def _glossary(*periods: Period):
    """The English of the frameworks of the periods a page shows (dti.web.names)."""
    return glossary_of(period.framework.parsed for period in periods)


def _published(period_id: int) -> Period:
    return get_object_or_404(Period.objects.select_related("framework", "snapshot"), pk=period_id,
                             state=Period.State.PUBLISHED)


# Rows of a public table on one page: a province's group whole (99 communes in Bắc Ninh since 2025), a nation's
# 3,321 in pages — one page of them all was 3 MB and took the first visitor seconds to write.
PUBLIC_ROWS = 100


def _page(period: Period) -> dict:
    participations = period.participations.select_related("unit", "group").order_by("group__position", "position")
    every = period_tables(period)
    tables = [_leading(table) for table in every]
    framework = period.framework.parsed
    glossary = _glossary(period)
    charts = [{"id": f"stacked-{table.group_code}", "data_id": f"stacked-{table.group_code}-data",
               "data": for_reader(charts_data.stacked(table, framework.group(table.group_code).max_points),
                                  glossary)} for table in tables]
    links = {p.name: reverse("portal:unit", args=[period.pk, p.pk]) for p in participations}
    return {"period": period, "glossary": glossary, "tables": tables, "charts": charts,
            "documents": document_list(),
            "decision": decision_settings(period), "decision_file": DECISION_PDF,
            "license": open_data_license(),
            "participations": participations, "unit_links": links,
            "report_links": len(links) <= PUBLIC_ROWS,  # a link per unit's report, for a province, not a nation
            "units_in_group": {table.group_code: len(table.rows) for table in every}}


def _leading(table: AppendixTable) -> AppendixTable:
    """A group's table as the period's pages show it: whole up to ``PUBLIC_ROWS`` units, else its ``PUBLIC_ROWS``
    best ranked, in rank order (the group's page has them all, in pages; the appendix files too)."""
    if len(table.rows) <= PUBLIC_ROWS:
        return table
    best = sorted(table.rows, key=lambda row: (row.rank is None, row.rank or 0, row.number))[:PUBLIC_ROWS]
    return replace(table, rows=tuple(best))


@cached_public_page
def home(request):
    published = Period.objects.filter(state=Period.State.PUBLISHED).select_related("framework", "snapshot")
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
    page, keep = one_page(request, shown, PUBLIC_ROWS)
    on_page = {row.unit for row in page.object_list}
    paged = len(rows) > PUBLIC_ROWS  # a nation's group: its charts and intervals follow the page shown

    previous = ranking.previous_period(period, group_code)
    history = group_history(group_code)
    glossary = _glossary(period, *(row["period"] for row in history))
    columns = [(_("Rank"), "rank"), (_("Unit"), "unit"),
               *((named(name, glossary), f"pillar-{k}") for k, name in enumerate(table.pillars)),
               (_("Total after review"), "total"), (_("Grade"), None), (_("Declared total"), "declared"),
               *(((_("Rank change"), "rank_change"), (_("Points change"), "points_change")) if previous else ())]
    max_points = period.framework.parsed.group(group_code).max_points
    analysis = group_analysis(period, group_code)
    charts = {"stacked": charts_data.stacked(replace(table, rows=tuple(r for r in table.rows if r.unit in on_page)),
                                             max_points),
              "distribution": charts_data.distribution(rows, max_points),
              "scatter": charts_data.declared_against_reviewed(rows, max_points),
              "intervals": intervals_chart(analysis),
              "map": charts_data.unit_map([r for r in rows if r.unit in on_page] if paged else rows,
                                          unit_places(period, group_code))}
    robustness = interval_rows(analysis)
    if paged:
        robustness = [row for row in robustness if row["unit"] in on_page]
        charts["intervals"] = _only_units(charts["intervals"], on_page)
    charts = for_reader(charts, glossary)
    return render(request, "portal/group.html", {
        "period": period, "glossary": glossary, "decision": decision_settings(period), "decision_file": DECISION_PDF,
        "table": table, "rows": page.object_list, "page": page, "keep": keep,
        "shown_count": len(shown), "count": len(rows), "sort": sort,
        "grades": sorted({r.grade for r in rows if r.grade}, key=[r.grade for r in rows].index),
        "grade": grade, "query": query, "charts": charts, "previous": previous,
        "headers": ranking.sort_headers(columns, request.GET, sort=sort, descending=descending),
        "history": history, "settings": analysis.uncertainty.settings,
        "trend": for_reader(charts_data.group_trend(history), glossary) if len(history) > 1 else None,
        "robustness": robustness, "paged": paged,
        "after_mergers": ranking_after_mergers(period, group_code),
        "rows_by_rank": [r for r in rows if r.rank is not None]})


def _only_units(chart: dict, names: set[str]) -> dict:
    """The intervals chart's data of the units named only."""
    keep = [k for k, name in enumerate(chart["units"]) if name in names]
    lists = {key: [chart[key][k] for k in keep] for key in ("units", "low", "high", "median", "published")}
    return {**chart, **lists, "count": len(keep)}


def group_history(group_code: str) -> list[dict]:
    """The group's reviewed average per pillar and in total, in every published period, oldest first."""
    rows = []
    for period in Period.objects.filter(state=Period.State.PUBLISHED).select_related("framework").order_by("year"):
        group = snapshot_group(period, group_code)
        if group and group["average"]["reviewed"]:
            average = group["average"]["reviewed"]
            rows.append({"period": period, "pillars": [(p["name"], Decimal(average["pillars"][p["code"]]))
                                                       for p in group["pillars"]],
                         "pillar_max": [Decimal(p["max_points"]) for p in group["pillars"]],
                         "total": Decimal(average["total"]), "max_points": Decimal(group["max_points"])})
    return rows


MAX_COMPARED = 5
SHORTFALLS_SHOWN = 8


@cached_public_page
def compare(request):
    """Two to five units of one published period side by side; the choice is in the query string."""
    periods = Period.objects.filter(state=Period.State.PUBLISHED).select_related("framework")
    period = periods.filter(pk=id_or_none(request.GET.get("ky")) or 0).first() or periods.first()
    if period is None:
        raise Http404
    participations = list(period.participations.select_related("unit", "group", "period__framework")
                          .order_by("group__position", "position"))
    wanted = [n for n in map(id_or_none, request.GET.getlist("don-vi")) if n is not None]
    chosen = [p for p in participations if p.pk in wanted][:MAX_COMPARED]
    message = ""
    if len(chosen) == 1 or len(wanted) > MAX_COMPARED:
        message = _("Choose two to five units.")
    columns = [{"participation": p, "report": participation_report(p)} for p in chosen]
    pillar_names = []
    for column in columns:
        pillar_names += [line.name for line in column["report"].pillars if line.name not in pillar_names]
    rows = [{"name": name, "cells": [next((line for line in c["report"].pillars if line.name == name), None)
                                     for c in columns]} for name in pillar_names]
    glossary = _glossary(period)
    chart = for_reader(charts_data.compared(pillar_names, [c["report"] for c in columns]), glossary)
    # Units of different groups are scored out of different maxima and pillars: compared as shares of their own
    # maxima, with a word saying so, never point for point.
    cross_group = len({c["participation"].group_id for c in columns}) > 1
    for c in columns:
        c["share"] = c["report"].reviewed_total / c["report"].max_points if c["report"].max_points else None
    return render(request, "portal/compare.html", {
        "period": period, "glossary": glossary, "periods": periods, "participations": participations,
        "wanted": wanted,
        "columns": columns, "rows": rows, "chart": chart, "message": message, "max_compared": MAX_COMPARED,
        "cross_group": cross_group})


@cached_public_page
def about(request):
    """Who publishes the results and how to reach them, the sites the decisions name, every published period with
    its decision and publication date, and where the open data is."""
    periods = Period.objects.filter(state=Period.State.PUBLISHED).select_related("framework", "snapshot")
    published = [{"period": p, "decision": decision_settings(p)} for p in periods]
    return render(request, "portal/about.html", {
        "published": published, "glossary": _glossary(*periods),
        "publisher": settings.DTI_PORTAL_PUBLISHER, "contact": settings.DTI_PORTAL_CONTACT,
        "sites": list(dict.fromkeys(site for entry in published for site in sites_named(entry["decision"]))),
        "license": open_data_license(), "decision_file": DECISION_PDF})


def methodology(request, period_id: int):
    """How the period was scored, from its framework: pillars, indicators, maxima, rules and grading in words."""
    period = _published(period_id)
    return render(request, "portal/methodology.html", {"period": period, "framework": period.framework.parsed,
                                                       "glossary": _glossary(period), "settings": DEFAULT_SETTINGS})


@cached_public_page
def unit_profile(request, period_id: int, participation_id: int):
    """A unit's page: its points against max and the group average, rank and grade across years, declared
    against reviewed, the points to the next grade, strengths and weaknesses, its report."""
    period = _published(period_id)
    participation = get_object_or_404(Participation.objects.select_related("unit", "group", "period__framework"),
                                      pk=participation_id, period=period)
    report = participation_report(participation)
    history = unit_history(participation.unit)
    glossary = _glossary(period, *(row["period"] for row in history))
    return render(request, "portal/unit.html", {
        "period": period, "glossary": glossary, "participation": participation, "report": report,
        "a": _for_reader_chart(analysis_of_participation(participation, shortfalls_shown=SHORTFALLS_SHOWN),
                               glossary),
        "chart": for_reader(charts_data.radar(report, glossary), glossary),
        "bars": for_reader(charts_data.bars(report, glossary), glossary),
        "trend": for_reader(charts_data.unit_trend(report.unit, history), glossary) if len(history) > 1 else None,
        "history": history,
        "comparison": comparison(participation, report.reviewed_total)})


def _for_reader_chart(analysis: dict | None, glossary) -> dict | None:
    """A unit's analysis with its chart's grade names in the reader's language."""
    return {**analysis, "chart": for_reader(analysis.get("chart"), glossary)} if analysis else analysis


def unit_history(unit) -> list[dict]:
    """The unit's reviewed total, rank and grade in every published period, oldest first."""
    return [{"period": h.participation.period, "participation": h.participation, "group": h.group["name"],
             "total": Decimal(h.row["reviewed"]["total"]), "declared": Decimal(h.row["declared"]["total"]),
             "rank": h.row["rank"], "ranked_units": h.group["ranked_units"], "grade": h.row["grade"],
             "max_points": Decimal(h.group["max_points"]),
             "average": Decimal(h.group["average"]["reviewed"]["total"]) if h.group.get("average") else None}
            for h in published_history(unit)]


def download(request, period_id: int, name: str):
    period = _published(period_id)
    if name not in EXPORTERS:
        raise Http404
    return download_response(request, lambda: period_document(period, name))


def unit_report(request, period_id: int, participation_id: int, kind: str):
    participation = get_object_or_404(Participation.objects.select_related("unit", "group"), pk=participation_id,
                                      period=_published(period_id))
    if kind not in REPORT_TYPES:
        raise Http404
    return download_response(request, lambda: unit_report_document(participation, kind))
