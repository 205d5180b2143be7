"""A group's results: both stages scored, ranks and grades on the reviewed total, averages.

``score_group`` is the engine's main entry point; ``score_framework`` runs it for every group that has
units. Ranks and grades use the reviewed totals ("Điểm sau khi rà soát"), unrounded. Units marked not
ranked are scored but left out of ranking, grading and the group's averages.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

import numpy as np

from .framework import Framework, Group
from .i18n import t
from .inputs import StageInputs, UnitEntry
from .points import MICRO, exact_quotient, from_micro
from .ranking import rank
from .scoring import StageScore, explain, score_stage

Stage = Literal["declared", "reviewed"]
STAGES: tuple[Stage, ...] = ("declared", "reviewed")


@dataclass(frozen=True)
class StageView:
    """Exact figures of one unit in one stage."""

    pillars: dict[str, Decimal]
    total: Decimal
    index: Decimal  # total ÷ group max, 0..1
    pillar_index: dict[str, Decimal | None]  # None for a pillar with max 0
    composites: dict[str, tuple[Decimal, Decimal]]  # code → (points, index)


@dataclass(frozen=True)
class GroupResult:
    group: Group
    units: tuple[UnitEntry, ...]
    declared: StageScore
    reviewed: StageScore
    ranks: tuple[int | None, ...]
    grades: tuple[str | None, ...]

    @property
    def ranked_mask(self) -> np.ndarray:
        return np.array([u.ranked for u in self.units], dtype=bool)

    @property
    def ranked_count(self) -> int:
        return int(self.ranked_mask.sum())

    def stage(self, stage: Stage) -> StageScore:
        return self.declared if stage == "declared" else self.reviewed

    def view(self, stage: Stage, unit: int) -> StageView:
        score = self.stage(stage)
        return self._view(score.pillar_points[:, unit], int(score.totals[unit]))

    def average(self, stage: Stage) -> StageView | None:
        """Averages of every column over the ranked units (None when no unit is ranked)."""
        mask = self.ranked_mask
        n = int(mask.sum())
        if n == 0:
            return None
        score = self.stage(stage)
        pillar_sums = score.pillar_points[:, mask].sum(axis=1)
        total_sum = int(score.totals[mask].sum())
        return self._view(pillar_sums, total_sum, n)

    def _view(self, pillar_micro: np.ndarray, total_micro: int, divisor: int = 1) -> StageView:
        def value(micro: int) -> Decimal:
            return from_micro(micro) if divisor == 1 else exact_quotient(int(micro), divisor * MICRO)

        pillars = {p.code: value(int(pillar_micro[i])) for i, p in enumerate(self.group.pillars)}
        total = value(total_micro)
        pillar_index = {p.code: exact_quotient(pillars[p.code], p.max_points) if p.max_points else None
                        for p in self.group.pillars}
        composites = {}
        for composite in self.group.composites:
            points = sum((pillars[code] for code in composite.pillars), Decimal(0))
            composites[composite.code] = (points, exact_quotient(points, composite.max_points))
        return StageView(pillars, total, exact_quotient(total, self.group.max_points), pillar_index, composites)

    def explain(self, stage: Stage, unit: int, code: str) -> str:
        return explain(self.group, self.stage(stage), self.units, unit, code)

    @property
    def warnings(self) -> tuple[str, ...]:
        return tuple(t("khai báo: {w}", w=w) for w in self.declared.warnings) + tuple(
            t("rà soát: {w}", w=w) for w in self.reviewed.warnings)


def score_group(group: Group, units: Sequence[UnitEntry], declared: StageInputs, reviewed: StageInputs) -> GroupResult:
    units = tuple(units)
    declared_score = score_stage(group, units, declared)
    reviewed_score = score_stage(group, units, reviewed)
    ranked = np.array([u.ranked for u in units], dtype=bool)
    totals = reviewed_score.totals[ranked]
    ranks_of_ranked = rank(totals, group.tie_rule)
    grades_of_ranked = group.grading.assign(totals, group.max_points) if group.grading else [None] * len(totals)
    ranks: list[int | None] = [None] * len(units)
    grades: list[str | None] = [None] * len(units)
    for j, i in enumerate(np.flatnonzero(ranked)):
        ranks[i] = int(ranks_of_ranked[j])
        grades[i] = None if grades_of_ranked[j] is None else str(grades_of_ranked[j])
    return GroupResult(group, units, declared_score, reviewed_score, tuple(ranks), tuple(grades))


@dataclass(frozen=True)
class GroupData:
    """A group's units and both stages' inputs, as a results file or the database gives them."""

    units: tuple[UnitEntry, ...]
    declared: StageInputs
    reviewed: StageInputs


@dataclass(frozen=True)
class FrameworkResult:
    framework: Framework
    groups: tuple[GroupResult, ...]

    @property
    def warnings(self) -> tuple[str, ...]:
        return tuple(f"{g.group.code}: {w}" for g in self.groups for w in g.warnings)


def score_framework(framework: Framework, data: Mapping[str, GroupData]) -> FrameworkResult:
    """Results of every group of ``framework`` that ``data`` has units for, in the framework's order."""
    unknown = set(data) - {g.code for g in framework.groups}
    if unknown:
        raise KeyError(f"khối không có trong bộ chỉ số: {', '.join(sorted(unknown))}")
    results = tuple(score_group(g, data[g.code].units, data[g.code].declared, data[g.code].reviewed)
                    for g in framework.groups if g.code in data)
    return FrameworkResult(framework, results)
