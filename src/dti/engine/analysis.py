"""Analyses of a group's results: the units whose grade hangs on a few points (fragile grades), what a unit lacks
for the next grade and the next rank and where those points are cheapest, how far declarations were from review
(per unit and per reviewer), and how ranks move when a pillar is dropped or weighs half. The Monte Carlo rank
intervals are in ``uncertainty``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import Literal

import numpy as np

from .grading import BandGrading, QuotaGrading
from .items import AssessedItems, assessed_items
from .points import MICRO, exact_quotient, from_micro, to_micro
from .ranking import rank
from .results import GroupResult
from .rules import Improvement
from .uncertainty import DEFAULT_SETTINGS, RankUncertainty, UncertaintySettings, rank_uncertainty


@dataclass(frozen=True)
class GradeGap:
    """The reviewed points a unit lacks for a better grade, every other unit unchanged."""

    grade: str
    points: Decimal
    strict: bool  # True: the unit must pass the mark; reaching it exactly is not enough


def next_grade_gap(result: GroupResult, unit: int) -> GradeGap | None:
    """What unit ``unit`` (index into result.units) needs for the next better grade; None when it is unranked,
    the group is not graded, or it already has the best grade that any unit can reach."""
    grading, grade = result.group.grading, result.grades[unit]
    if grading is None or grade is None or grade == grading.grades[0]:
        return None
    own = int(result.reviewed.totals[unit])
    if isinstance(grading, QuotaGrading):
        # Quotas: the unit must overtake the lowest unit holding a better grade. With ties='better' a tie
        # with it shares its position and so its grade; with ties='worse' the tie takes both down.
        position = grading.grades.index(grade)
        better = [(i, other) for i in np.flatnonzero(result.ranked_mask).tolist()
                  if (other := result.grades[i]) is not None and grading.grades.index(other) < position]
        if not better:
            return None
        lowest, lowest_grade = min(better, key=lambda pair: int(result.reviewed.totals[pair[0]]))
        return GradeGap(lowest_grade, from_micro(int(result.reviewed.totals[lowest]) - own),
                        grading.ties == "worse")
    above = grading.grades.index(grade) - 1
    band = grading.bands[above]
    lacking = max(_band_edge_micro(grading, grading.thresholds[above], result.group.max_points) - own, Decimal(0))
    return GradeGap(band.grade, lacking / MICRO, not band.inclusive)


def _band_edge_micro(grading: BandGrading, threshold: Decimal, max_points: Decimal) -> Decimal:
    """A band's threshold in micro-points, exactly (a percent of an odd maximum need not be whole)."""
    if grading.basis == "percent":
        return threshold * to_micro(max_points) / 100
    return threshold * MICRO


@dataclass(frozen=True)
class FragileGrade:
    """A unit whose grade could change: near a boundary in points, or unlikely to keep it under the Monte Carlo."""

    unit: int
    grade: str
    other: str | None  # the grade across the nearest boundary
    margin: Decimal | None  # points to that boundary (0 for a unit tied across it); None without a boundary
    keeps_grade: float | None  # probability of keeping the grade; None when no uncertainty analysis was given


def grade_margins(result: GroupResult) -> dict[int, tuple[Decimal, str]]:
    """For each ranked, graded unit: the points to its nearest grade boundary and the grade across it.

    Under quotas a boundary is the nearest unit with another grade (the better unit must be overtaken, the worse
    one must not overtake); under bands it is the band's threshold."""
    grading = result.group.grading
    if grading is None:
        return {}
    ranked = [int(i) for i in np.flatnonzero(result.ranked_mask) if result.grades[i] is not None]
    totals = {i: int(result.reviewed.totals[i]) for i in ranked}
    order = {g: k for k, g in enumerate(grading.grades)}
    lowest: dict[int, int] = {}
    highest: dict[int, int] = {}
    for i in ranked:
        g = order[result.grades[i]]
        lowest[g] = min(lowest.get(g, totals[i]), totals[i])
        highest[g] = max(highest.get(g, totals[i]), totals[i])
    margins: dict[int, tuple[Decimal, str]] = {}
    for i in ranked:
        g = order[result.grades[i]]
        options = []  # (micro-points to the boundary, index of the grade across it)
        if isinstance(grading, QuotaGrading):
            better = max((k for k in lowest if k < g), default=None)
            worse = min((k for k in highest if k > g), default=None)
            if better is not None:
                options.append((Decimal(lowest[better] - totals[i]), better))
            if worse is not None:
                options.append((Decimal(totals[i] - highest[worse]), worse))
        else:
            if g > 0:  # the threshold of the band above
                edge = _band_edge_micro(grading, grading.thresholds[g - 1], result.group.max_points)
                options.append((edge - totals[i], g - 1))
            if g < len(grading.bands) - 1:  # this band's own threshold
                edge = _band_edge_micro(grading, grading.thresholds[g], result.group.max_points)
                options.append((totals[i] - edge, g + 1))
        if options:
            micro, k = min(options)
            margins[i] = (max(micro, Decimal(0)) / MICRO, grading.grades[k])
    return margins


def near_grade_boundary(result: GroupResult, margin: Decimal) -> list[int]:
    """Ranked units (indices into result.units) whose reviewed total lies within ``margin`` points of a grade
    boundary. These need a second review."""
    return sorted(i for i, (points, _) in grade_margins(result).items() if points <= margin)


def fragile_grades(result: GroupResult, margin: Decimal, uncertainty: RankUncertainty | None = None,
                   least_probability: float = 0.9) -> list[FragileGrade]:
    """Units within ``margin`` points of a grade boundary or, given an uncertainty analysis, less likely than
    ``least_probability`` to keep their grade; nearest the boundary first."""
    margins = grade_margins(result)
    fragile = []
    for i in np.flatnonzero(result.ranked_mask).tolist():
        grade = result.grades[i]
        if grade is None:
            continue
        points, other = margins.get(i, (None, None))
        keeps = uncertainty.probability(i, grade) if uncertainty is not None else None
        if (points is not None and points <= margin) or (keeps is not None and keeps < least_probability):
            fragile.append(FragileGrade(i, grade, other, points, keeps))
    return sorted(fragile, key=lambda f: (f.margin is None, f.margin or 0, result.ranks[f.unit]))


@dataclass(frozen=True)
class RankGap:
    """The reviewed points a unit lacks to share the rank of the unit just ahead of it."""

    rank: int
    points: Decimal


def next_rank_gap(result: GroupResult, unit: int) -> RankGap | None:
    """None for an unranked unit or the first."""
    if result.ranks[unit] is None:
        return None
    totals = result.reviewed.totals[result.ranked_mask]
    own = int(result.reviewed.totals[unit])
    ahead = totals[totals > own]
    if ahead.size == 0:
        return None
    target = int(ahead.min())  # reaching it exactly shares its rank
    rank = next(r for i, r in enumerate(result.ranks) if r is not None and int(result.reviewed.totals[i]) == target)
    return RankGap(rank, from_micro(target - own))


@dataclass(frozen=True)
class Shortfall:
    """An assessed item where a unit is below max, with what the group's best reached and the next step."""

    code: str
    name: str
    pillar: str
    points: Decimal
    max_points: Decimal
    group_best: Decimal
    next_step: Improvement | None

    @property
    def below_max(self) -> Decimal:
        return self.max_points - self.points

    @property
    def below_best(self) -> Decimal:
        return max(self.group_best - self.points, Decimal(0))


def shortfalls(result: GroupResult, unit: int, items: AssessedItems | None = None) -> list[Shortfall]:
    """The unit's items below max, the furthest below the group's best first: where others show points can be
    gained. Bonus and penalty items and items declared not applicable are left out."""
    items = items or assessed_items(result)
    ranked = result.ranked_mask
    best = items.reviewed[ranked].max(axis=0) if ranked.any() else items.reviewed.max(axis=0, initial=0)
    found = []
    for k, code in enumerate(items.codes):
        indicator = items.indicators[k]
        if items.fixed[unit, k] or items.sign[k] < 0 or (indicator and not indicator.rule.counts_toward_max):
            continue
        points = int(items.reviewed[unit, k])
        if points >= items.max_micro[k]:
            continue
        step = None
        if indicator is not None and code in result.reviewed.columns and not _given(result, code, unit):
            step = indicator.rule.next_step(result.reviewed.columns[code], unit, points, indicator.max_points)
        found.append(Shortfall(code, items.names[k], result.group.pillars[items.pillar_of[k]].code,
                               from_micro(points), from_micro(items.max_micro[k]), from_micro(best[k]), step))
    return sorted(found, key=lambda s: (-s.below_best, -s.below_max, s.code))


def _given(result: GroupResult, code: str, unit: int) -> bool:
    given = result.reviewed.points_given.get(code)
    return bool(given is not None and given[unit])


@dataclass(frozen=True)
class DeclarationAccuracy:
    """How far a unit's declaration was from review: per pillar, in total, and over its assessed items."""

    unit: int
    declared: Decimal
    reviewed: Decimal
    pillar_differences: dict[str, Decimal]  # declared − reviewed
    absolute: Decimal  # Σ |declared − reviewed| over the items: over- and under-declaration do not cancel
    rank: int  # 1 = the declaration closest to review

    @property
    def difference(self) -> Decimal:
        return self.declared - self.reviewed

    @property
    def over_declaration(self) -> Decimal | None:
        """(declared − reviewed) ÷ reviewed: 0.33 means declared a third more than review gave."""
        return exact_quotient(self.difference, self.reviewed) if self.reviewed else None


def declaration_accuracy(result: GroupResult, items: AssessedItems | None = None) -> list[DeclarationAccuracy]:
    """Every ranked unit, the most accurate declaration first (ranks share ties like the results' ranks)."""
    items = items or assessed_items(result)
    ranked = np.flatnonzero(result.ranked_mask)
    absolute = np.abs(items.declared[ranked] - items.reviewed[ranked]).sum(axis=1)
    accuracy_ranks = rank(-absolute, "competition")
    declared_pillars, reviewed_pillars = result.declared.pillar_points, result.reviewed.pillar_points
    rows = []
    for j, i in enumerate(ranked.tolist()):
        differences = {p.code: from_micro(int(declared_pillars[k, i] - reviewed_pillars[k, i]))
                       for k, p in enumerate(result.group.pillars)}
        rows.append(DeclarationAccuracy(i, from_micro(result.declared.totals[i]),
                                        from_micro(result.reviewed.totals[i]), differences,
                                        from_micro(int(absolute[j])), int(accuracy_ranks[j])))
    return sorted(rows, key=lambda row: (row.rank, result.ranks[row.unit]))


@dataclass(frozen=True)
class ReviewerAdjustments:
    """How often and by how much one reviewer changed declared points."""

    reviewer: str
    items: int
    adjusted: int
    raised: int
    lowered: int
    total_change: Decimal  # Σ (reviewed − declared)
    total_absolute: Decimal
    largest: Decimal  # the largest single change, by size, with its sign

    @property
    def share_adjusted(self) -> Decimal:
        return exact_quotient(self.adjusted, self.items) if self.items else Decimal(0)

    @property
    def mean_change(self) -> Decimal:
        """Mean reviewed − declared over the adjusted items (negative: the reviewer mostly lowered)."""
        return exact_quotient(self.total_change, self.adjusted) if self.adjusted else Decimal(0)

    @property
    def mean_absolute(self) -> Decimal:
        return exact_quotient(self.total_absolute, self.adjusted) if self.adjusted else Decimal(0)


def reviewer_adjustments(result: GroupResult, reviewer_of: Callable[[int, str], str | None],
                         items: AssessedItems | None = None) -> list[ReviewerAdjustments]:
    """Per reviewer, over the items ``reviewer_of(unit, item code)`` attributes to them; most items first."""
    items = items or assessed_items(result)
    tally: dict[str, list[int]] = {}
    for unit in range(len(result.units)):
        for k, code in enumerate(items.codes):
            reviewer = reviewer_of(unit, code)
            if reviewer is None or items.fixed[unit, k]:
                continue
            tally.setdefault(reviewer, []).append(int(items.reviewed[unit, k] - items.declared[unit, k]))
    rows = []
    for reviewer, changes in tally.items():
        moved = [c for c in changes if c]
        largest = max(moved, key=abs, default=0)
        rows.append(ReviewerAdjustments(reviewer, len(changes), len(moved), sum(c > 0 for c in moved),
                                        sum(c < 0 for c in moved), from_micro(sum(moved)),
                                        from_micro(sum(abs(c) for c in moved)), from_micro(largest)))
    return sorted(rows, key=lambda row: (-row.items, row.reviewer))


@dataclass(frozen=True)
class PillarSensitivity:
    """Every ranked unit's rank with one pillar dropped, and with one pillar's max (and so its points) halved."""

    pillars: tuple[str, ...]  # codes of the scored pillars
    units: np.ndarray  # indices into result.units
    nominal: np.ndarray
    dropped: np.ndarray  # (units, pillars) ranks
    halved: np.ndarray  # (units, pillars) ranks

    def changes(self, unit: int, kind: Literal["dropped", "halved"]) -> dict[str, int]:
        """Places gained (positive) or lost per pillar."""
        k = int(np.flatnonzero(self.units == unit)[0])
        ranks = self.dropped if kind == "dropped" else self.halved
        return {code: int(self.nominal[k] - ranks[k, p]) for p, code in enumerate(self.pillars)}

    def largest_change(self, unit: int) -> int:
        k = int(np.flatnonzero(self.units == unit)[0])
        return int(max(np.abs(self.nominal[k] - self.dropped[k]).max(initial=0),
                       np.abs(self.nominal[k] - self.halved[k]).max(initial=0)))


def pillar_sensitivity(result: GroupResult) -> PillarSensitivity:
    ranked = np.flatnonzero(result.ranked_mask)
    scored = [p for p, pillar in enumerate(result.group.pillars) if pillar.scored]
    totals = result.reviewed.totals[ranked]
    pillars = result.reviewed.pillar_points[:, ranked]
    tie_rule = result.group.tie_rule
    dropped = np.stack([rank(totals - pillars[p], tie_rule) for p in scored], axis=1) if scored else \
        np.zeros((len(ranked), 0), dtype=np.int64)
    # Halving a pillar's max halves its points; doubling every total keeps the arithmetic in whole micro-points.
    halved = np.stack([rank(2 * totals - pillars[p], tie_rule) for p in scored], axis=1) if scored else \
        np.zeros((len(ranked), 0), dtype=np.int64)
    nominal = np.array([result.ranks[i] for i in ranked], dtype=np.int64)
    return PillarSensitivity(tuple(result.group.pillars[p].code for p in scored), ranked, nominal, dropped, halved)


@dataclass(frozen=True)
class UnitAnalysis:
    """Everything the analyses say about one unit."""

    unit: int
    grade_gap: GradeGap | None
    rank_gap: RankGap | None
    shortfalls: tuple[Shortfall, ...]
    accuracy: DeclarationAccuracy | None
    fragile: FragileGrade | None


@dataclass(frozen=True)
class GroupAnalysis:
    """A group's analyses in one place, for the command line, the screens and the API."""

    result: GroupResult
    uncertainty: RankUncertainty
    fragile: tuple[FragileGrade, ...]
    accuracy: tuple[DeclarationAccuracy, ...]
    sensitivity: PillarSensitivity
    items: AssessedItems
    margin: Decimal
    least_probability: float

    @cached_property
    def _by_unit(self) -> tuple[dict[int, DeclarationAccuracy], dict[int, FragileGrade]]:
        return {a.unit: a for a in self.accuracy}, {f.unit: f for f in self.fragile}

    def unit(self, unit: int) -> UnitAnalysis:
        accuracy, fragile = self._by_unit
        return UnitAnalysis(unit, next_grade_gap(self.result, unit), next_rank_gap(self.result, unit),
                            tuple(shortfalls(self.result, unit, self.items)), accuracy.get(unit), fragile.get(unit))


def analyse_group(result: GroupResult, settings: UncertaintySettings = DEFAULT_SETTINGS,
                  margin: Decimal = Decimal(5), least_probability: float = 0.9,
                  workers: int | None = None) -> GroupAnalysis:
    items = assessed_items(result)
    uncertainty = rank_uncertainty(result, settings, workers)
    return GroupAnalysis(result, uncertainty, tuple(fragile_grades(result, margin, uncertainty, least_probability)),
                         tuple(declaration_accuracy(result, items)), pillar_sensitivity(result), items, margin,
                         least_probability)
