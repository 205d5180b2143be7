"""Analyses of a group's results. For now: the units whose grade hangs on a few points."""

from __future__ import annotations

from decimal import Decimal

import numpy as np

from .grading import BandGrading
from .points import MICRO, to_micro
from .results import GroupResult


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
        scale = to_micro(result.group.max_points) / 100 if result.group.grading.basis == "percent" else MICRO
        for band in result.group.grading.bands[:-1]:
            edge = int(band.threshold * Decimal(scale))
            fragile |= np.abs(totals - edge) <= reach
    return [int(ranked[i]) for i in np.flatnonzero(fragile)]
