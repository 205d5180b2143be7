"""Analyses of a group's results: the units whose grade hangs on a few points, and what a unit lacks for the
next grade."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from .grading import BandGrading, QuotaGrading
from .points import MICRO, from_micro, to_micro
from .results import GroupResult


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
        better = [i for i in np.flatnonzero(result.ranked_mask)
                  if result.grades[i] is not None and grading.grades.index(result.grades[i]) < position]
        if not better:
            return None
        lowest = min(better, key=lambda i: int(result.reviewed.totals[i]))
        return GradeGap(result.grades[lowest], from_micro(int(result.reviewed.totals[lowest]) - own),
                        grading.ties == "worse")
    band = grading.bands[grading.grades.index(grade) - 1]
    lacking = max(_band_edge_micro(grading, band.threshold, result.group.max_points) - own, Decimal(0))
    return GradeGap(band.grade, lacking / MICRO, not band.inclusive)


def _band_edge_micro(grading: BandGrading, threshold: Decimal, max_points: Decimal) -> Decimal:
    """A band's threshold in micro-points, exactly (a percent of an odd maximum need not be whole)."""
    if grading.basis == "percent":
        return threshold * to_micro(max_points) / 100
    return threshold * MICRO


def near_grade_boundary(result: GroupResult, margin: Decimal) -> list[int]:
    """Ranked units (indices into result.units) whose reviewed total lies within ``margin`` points of a grade
    boundary: of a unit with another grade, or of a band's threshold. These are the second reviews."""
    if result.group.grading is None:
        return []
    ranked = np.flatnonzero(result.ranked_mask)
    if ranked.size == 0:
        return []
    totals = result.reviewed.totals[ranked]
    grades = np.array([result.grades[i] for i in ranked], dtype=object)
    reach = to_micro(margin)
    fragile = np.zeros(ranked.size, dtype=bool)
    order = np.argsort(-totals, kind="stable")
    sorted_totals, sorted_grades = totals[order], grades[order]
    changes = np.flatnonzero(sorted_grades[1:] != sorted_grades[:-1])  # last index of each better block
    for k in changes:
        lowest_better, highest_worse = sorted_totals[k], sorted_totals[k + 1]
        better = sorted_grades == sorted_grades[k]
        worse = sorted_grades == sorted_grades[k + 1]
        fragile[order[better & (sorted_totals - highest_worse <= reach)]] = True
        fragile[order[worse & (lowest_better - sorted_totals <= reach)]] = True
    if isinstance(result.group.grading, BandGrading):
        for band in result.group.grading.bands[:-1]:
            edge = _band_edge_micro(result.group.grading, band.threshold, result.group.max_points)
            fragile |= np.array([abs(total - edge) <= reach for total in totals.tolist()], dtype=bool)
    return [int(ranked[i]) for i in np.flatnonzero(fragile)]
