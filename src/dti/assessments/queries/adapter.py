"""The one adapter from stored inputs to engine inputs (and nothing else turns rows into numbers).

Stored inputs take one plain shape, ``InputRows``: what the database holds for a period, and exactly what a
published snapshot records. Scoring a period and recomputing a snapshot therefore go through the same code.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Mapping
from decimal import Decimal

from django.db.models import Case, TextField, When
from django.db.models.functions import Cast

from dti.assessments.models import IndicatorEntry, Period, PillarResult
from dti.engine import Framework, GroupData, StageInputs, UnitEntry
from dti.engine.results import STAGES

# One row per participation, in published order:
# {"group", "unit", "ranked", "declared_total", "reviewed_total": str | None,
#  "pillars": [[stage, pillar code, points as str]],
#  "indicators": [[stage, indicator code, {input: text}, not applicable, points given as str or None]]}
InputRows = list[dict]


def period_rows(period: Period, entries_override: Mapping | None = None, only: set[int] | None = None
                ) -> InputRows:
    """The period's stored inputs as ``InputRows``, each list sorted, so equal inputs give equal rows.

    ``entries_override`` — (participation id, indicator code, stage) → {"inputs", "not_applicable", "points"} —
    replaces the stored indicator entries: the audit log's replay is scored through exactly the same path.
    ``only``: the participation ids to include (all when None).
    """
    participations = list(period.participations.select_related("unit", "group")
                          .order_by("group__position", "position", "unit__name"))
    if only is not None:
        participations = [p for p in participations if p.pk in only]
    ids = [p.pk for p in participations]
    pillars = defaultdict(list)
    for participation_id, stage, code, points in PillarResult.objects.filter(participation_id__in=ids).values_list(
            "participation_id", "stage", "pillar_code", "points"):
        pillars[participation_id].append([stage, code, _text(points)])
    if entries_override is None:
        entries_override = stored_entries(ids)
    indicators = defaultdict(list)
    for (participation_id, code, stage), entry in entries_override.items():
        indicators[participation_id].append([stage, code, entry["inputs"], bool(entry["not_applicable"]),
                                             entry.get("points")])
    return [{"group": p.group.code, "unit": p.name, "ranked": p.ranked,
             "declared_total": _text(p.declared_total_given), "reviewed_total": _text(p.reviewed_total_given),
             "total_tolerance": _text(p.total_tolerance),
             "pillars": sorted(pillars[p.pk]), "indicators": sorted(indicators[p.pk], key=lambda e: e[:2])}
            for p in participations]


def stored_entries(participation_ids) -> dict[tuple[int, str, str], dict]:
    """(participation id, indicator code, stage) → {"inputs", "not_applicable", "points"} of the stored indicator
    entries: the shape ``period_rows`` takes to replace them (points only where a reviewer gave them). Read as
    plain values, never as a model object per row: a national period holds hundreds of thousands. Their inputs
    are read as the JSON text stored and decoded in one piece: decoding 330,000 small objects one by one (as the
    field's converter does) took longer than the rest of the reading together."""
    rows = list(IndicatorEntry.objects.filter(participation_id__in=participation_ids)
                .annotate(inputs_text=Cast("inputs", TextField()),
                          points_as_given=Case(When(points_given=True, then="points")))
                .values_list("participation_id", "indicator_code", "stage", "inputs_text", "not_applicable",
                             "points_as_given").iterator(10_000))
    inputs = json.loads("[" + ",".join(row[3] or "null" for row in rows) + "]")
    return {(participation_id, code, stage): {"inputs": held, "not_applicable": not_applicable,
                                              "points": _text(points) if points is not None else None}
            for (participation_id, code, stage, _stored_text, not_applicable, points), held in zip(rows, inputs,
                                                                                                 strict=True)}


def _text(value: Decimal | None) -> str | None:
    return None if value is None else f"{value.normalize():f}"


def period_inputs(period: Period, entries_override: Mapping | None = None) -> dict[str, GroupData]:
    """Engine inputs of every group of ``period``, in published order."""
    return inputs_from_rows(period.framework.parsed, period_rows(period, entries_override))


def inputs_from_rows(framework: Framework, rows: InputRows) -> dict[str, GroupData]:
    """Engine inputs of every group that ``rows`` has units for, in the framework's order."""
    by_group = defaultdict(list)
    for row in rows:
        by_group[row["group"]].append(row)
    data = {}
    for group in framework.groups:
        members = by_group.get(group.code, [])
        if not members:
            continue
        stages = {}
        for stage in STAGES:
            given = [{code: Decimal(points) for s, code, points in m["pillars"] if s == stage} for m in members]
            cells_of = [{entry[1]: entry for entry in m["indicators"] if entry[0] == stage} for m in members]
            values, not_applicable, given_points = {}, {}, {}
            for _pillar, indicator in group.indicators():
                if indicator.children:
                    continue
                cells = [c.get(indicator.code) for c in cells_of]
                values[indicator.code] = {s.name: [c[2].get(s.name) if c else None for c in cells]
                                          for s in indicator.rule.inputs(indicator.max_points)}
                not_applicable[indicator.code] = [bool(c and c[3]) for c in cells]
                points = [_given_points(c) for c in cells]
                if any(p is not None for p in points):
                    given_points[indicator.code] = points
            totals = [None if m[f"{stage}_total"] is None else Decimal(m[f"{stage}_total"]) for m in members]
            stages[stage] = StageInputs(
                values=values,
                not_applicable=not_applicable,
                indicator_points=given_points,
                pillar_points={p.code: [g.get(p.code) for g in given] for p in group.pillars
                               if any(p.code in g for g in given)},
                totals=totals if any(t is not None for t in totals) else None,
                total_tolerance=max(Decimal(m.get("total_tolerance") or 0) for m in members),
            )
        units = tuple(UnitEntry(m["unit"], m["ranked"]) for m in members)
        data[group.code] = GroupData(units, stages["declared"], stages["reviewed"])
    return data


def _given_points(cell) -> Decimal | None:
    """Points a reviewer gave directly; snapshots taken before they were recorded have four fields."""
    if not cell or len(cell) < 5 or cell[4] is None:
        return None
    return Decimal(cell[4])
