"""The one adapter from database rows to engine inputs (and nothing else turns rows into numbers)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from decimal import Decimal

from dti.engine import GroupData, StageInputs, UnitEntry
from dti.engine.results import STAGES

from .models import IndicatorEntry, Period, PillarResult


def period_inputs(period: Period, entries_override: Mapping | None = None) -> dict[str, GroupData]:
    """Engine inputs of every group of ``period``, in published order.

    ``entries_override`` — (participation id, indicator code, stage) → {"inputs", "not_applicable"} — replaces the
    stored indicator entries: the audit log's replay is scored through exactly the same path.
    """
    participations = list(period.participations.select_related("unit", "group")
                          .order_by("group__position", "position", "unit__name"))
    framework = period.framework.framework
    by_group = defaultdict(list)
    for participation in participations:
        by_group[participation.group.code].append(participation)
    ids = [p.pk for p in participations]
    pillars = defaultdict(dict)
    for row in PillarResult.objects.filter(participation_id__in=ids):
        pillars[(row.participation_id, row.stage)][row.pillar_code] = row.points
    entries = defaultdict(dict)
    if entries_override is None:
        entries_override = {(row.participation_id, row.indicator_code, row.stage):
                            {"inputs": row.inputs, "not_applicable": row.not_applicable,
                             "points": f"{row.points}" if row.points_given else None}
                            for row in IndicatorEntry.objects.filter(participation_id__in=ids)}
    for (participation_id, code, stage), entry in entries_override.items():
        entries[(participation_id, stage)][code] = entry
    data = {}
    for group in framework.groups:
        members = by_group.get(group.code, [])
        if not members:
            continue
        units = tuple(UnitEntry(p.unit.name, p.ranked) for p in members)
        stages = {}
        for stage in STAGES:
            given = [pillars.get((p.pk, stage), {}) for p in members]
            rows = [entries.get((p.pk, stage), {}) for p in members]
            values, not_applicable, given_points = {}, {}, {}
            for _pillar, indicator in group.indicators():
                if indicator.children:
                    continue
                specs = indicator.rule.inputs(indicator.max_points)
                cells = [r.get(indicator.code) for r in rows]
                values[indicator.code] = {s.name: [c["inputs"].get(s.name) if c else None for c in cells]
                                          for s in specs}
                not_applicable[indicator.code] = [bool(c and c["not_applicable"]) for c in cells]
                if any(c and c.get("points") is not None for c in cells):
                    given_points[indicator.code] = [Decimal(c["points"]) if c and c.get("points") is not None
                                                    else None for c in cells]
            totals = [getattr(p, f"{stage}_total_given") for p in members]
            stages[stage] = StageInputs(
                values=values,
                not_applicable=not_applicable,
                indicator_points=given_points,
                pillar_points={p.code: [g.get(p.code) for g in given] for p in group.pillars
                               if any(p.code in g for g in given)},
                totals=totals if any(t is not None for t in totals) else None,
                total_tolerance=max(p.total_tolerance for p in members),
            )
        data[group.code] = GroupData(units, stages["declared"], stages["reviewed"])
    return data
