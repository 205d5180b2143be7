"""A period's analyses for the screens: rank intervals, fragile grades, gaps, declaration accuracy, reviewers'
adjustments and sensitivity, from the period's results; kept per process for published snapshots, which never
change. The chart data beside them is what the pages' tables show."""

from __future__ import annotations

import hashlib
from decimal import Decimal

import numpy as np
from django.utils.translation import gettext as _

from dti.assessments.models import IndicatorEntry, Participation, Period, Stage
from dti.assessments.queries.kept import kept
from dti.assessments.queries.scores import period_results
from dti.engine import GroupResult
from dti.engine.analysis import GroupAnalysis, ReviewerAdjustments, analyse_group, reviewer_adjustments
from dti.engine.uncertainty import DEFAULT_SETTINGS, UncertaintySettings
from dti.web.names import css_key


def group_analysis(period: Period, group_code: str, settings: UncertaintySettings = DEFAULT_SETTINGS) -> GroupAnalysis:
    """The analysis of one group of ``period``; KeyError for a group without units. Raises DtiError while the
    period's results cannot be computed.

    Kept under the hash of what it is computed from (the group's results, the settings, the margin): a write
    that leaves the group's figures as they were — a question, a visit, another group — does not draw the
    10,000 Monte Carlo samples again."""
    result = next((g for g in period_results(period).groups if g.group.code == group_code), None)
    if result is None:
        raise KeyError(group_code)
    margin = Decimal(period.second_review_margin)
    return kept("analysis", period, lambda _period: analyse_group(result, settings, margin),
                version=f"inputs:{period.framework.sha256}:{result_fingerprint(result)}:{settings}:{margin}")


def result_fingerprint(result: GroupResult) -> str:
    """A SHA-256 of everything of a group's results that an analysis reads: units, both stages' points, ranks
    and grades."""
    digest = hashlib.sha256(repr((result.group.code, result.units, result.ranks, result.grades)).encode())
    for stage in (result.declared, result.reviewed):
        for mapping in (stage.indicator_points, stage.not_applicable, stage.points_given):
            for code in sorted(mapping):
                digest.update(code.encode())
                digest.update(np.ascontiguousarray(mapping[code]).tobytes())
        for array in (stage.pillar_points, stage.pillar_given, stage.totals):
            digest.update(np.ascontiguousarray(array).tobytes())
    return digest.hexdigest()


def reviewer_statistics(period: Period, analysis: GroupAnalysis) -> list[ReviewerAdjustments]:
    """Per reviewer, how often and by how much they changed declared points, over the indicators whose reviewed
    entry they last saved. Results imported as pillar points name no reviewer and are left out."""
    names = [u.name for u in analysis.result.units]
    position = {name: i for i, name in enumerate(names)}
    reviewer_of: dict[tuple[int, str], str] = {}
    entries = (IndicatorEntry.objects.filter(participation__period=period, stage=Stage.REVIEWED,
                                             participation__group__code=analysis.result.group.code,
                                             updated_by__isnull=False)
               .values_list("participation_id", "indicator_code", "updated_by__first_name",
                            "updated_by__last_name", "updated_by__username"))
    name_of = {p.pk: p.name for p in period.participations.select_related("unit")}
    for participation_id, code, first, last, username in entries:
        if name_of[participation_id] in position:
            reviewer_of[(position[name_of[participation_id]], code)] = f"{first} {last}".strip() or username
    if not reviewer_of:
        return []
    return reviewer_adjustments(analysis.result, lambda unit, code: reviewer_of.get((unit, code)), analysis.items)


def interval_rows(analysis: GroupAnalysis) -> list[dict]:
    """Each ranked unit's rank interval, median, grade and the probability of keeping it, in published order:
    the table beside the intervals chart, public or not."""
    result, uncertainty = analysis.result, analysis.uncertainty
    fragile = {f.unit for f in analysis.fragile}
    rows = []
    for k in uncertainty.published_order:
        i = int(uncertainty.units[k])
        grade = result.grades[i]
        rows.append({"index": i, "unit": result.units[i].name, "total": result.view("reviewed", i).total,
                     "rank": result.ranks[i], "grade": grade, "fragile": i in fragile,
                     "median": int(uncertainty.median[k]), "low": int(uncertainty.low[k]),
                     "high": int(uncertainty.high[k]),
                     "keeps": uncertainty.probability(i, grade) if grade else None,
                     "tied": len(uncertainty.tied_with(i))})
    return rows


def intervals_chart(analysis: GroupAnalysis) -> dict:
    """Each ranked unit's 5–95% rank interval, median and published rank, in published order."""
    uncertainty, units = analysis.uncertainty, analysis.result.units
    order = uncertainty.published_order
    return {"units": [units[int(uncertainty.units[k])].name for k in order],
            "low": [int(uncertainty.low[k]) for k in order], "high": [int(uncertainty.high[k]) for k in order],
            "median": [int(uncertainty.median[k]) for k in order],
            "published": [int(uncertainty.nominal[k]) for k in order],
            "count": len(order),
            "labels": {"interval": _("rank interval 5–95%"), "median": _("median rank"),
                       "published": _("published rank")}}


def probabilities_chart(analysis: GroupAnalysis, only: int | None = None) -> dict:
    """Each ranked unit's probability of every grade, in percent (one unit's alone with ``only``)."""
    uncertainty, units = analysis.uncertainty, analysis.result.units
    order = [uncertainty.position(only)] if only is not None else uncertainty.published_order
    return {"units": [units[int(uncertainty.units[k])].name for k in order],
            "grades": [{"name": grade, "colour": css_key(grade),
                        "values": [round(float(uncertainty.grade_probability[k, j]) * 100, 1) for k in order]}
                       for j, grade in enumerate(uncertainty.grades)]}


def analysis_of_participation(participation: Participation, shortfalls_shown: int | None = None) -> dict:
    """What a participation's page shows of its group's analyses; raises DtiError while results cannot be
    computed."""
    analysis = group_analysis(participation.period, participation.group.code)
    index = [u.name for u in analysis.result.units].index(participation.name)
    return unit_analysis(analysis, index, shortfalls_shown)


def unit_analysis(analysis: GroupAnalysis, unit: int, shortfalls_shown: int | None = None) -> dict:
    """What the unit's page shows of the analyses; empty for an unranked unit."""
    result, uncertainty = analysis.result, analysis.uncertainty
    if result.ranks[unit] is None:
        return {}
    found = analysis.unit(unit)
    low, high = uncertainty.interval(unit)
    k = uncertainty.position(unit)
    pillars = {p.code: p.name for p in result.group.pillars}
    dropped = analysis.sensitivity.changes(unit, "dropped")
    halved = analysis.sensitivity.changes(unit, "halved")
    return {
        "settings": uncertainty.settings, "low": low, "high": high, "median": int(uncertainty.median[k]),
        "rank": result.ranks[unit], "ranked_count": result.ranked_count, "grade": result.grades[unit],
        "total": result.view("reviewed", unit).total,
        "tied": [result.units[j].name for j in uncertainty.tied_with(unit)],
        "probabilities": [(grade, float(uncertainty.grade_probability[k, j]))
                          for j, grade in enumerate(uncertainty.grades)],
        "keeps_grade": uncertainty.probability(unit, result.grades[unit]) if result.grades[unit] else None,
        "grade_gap": found.grade_gap, "rank_gap": found.rank_gap, "fragile": found.fragile,
        "shortfalls": found.shortfalls[:shortfalls_shown] if shortfalls_shown else found.shortfalls,
        "more_shortfalls": max(len(found.shortfalls) - (shortfalls_shown or len(found.shortfalls)), 0),
        "accuracy": found.accuracy, "accuracy_count": len(analysis.accuracy),
        # Per scored pillar: declared − reviewed, and the rank change were it dropped or weighed half.
        "pillars": [(pillars[code], found.accuracy.pillar_differences[code] if found.accuracy else None,
                     dropped[code], halved[code]) for code in analysis.sensitivity.pillars],
        "chart": probabilities_chart(analysis, only=unit),
    }
