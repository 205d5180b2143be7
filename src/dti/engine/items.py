"""The assessed items of a group: what a reviewer actually judged, as arrays the analyses share.

An item is a leaf indicator of a pillar scored from its indicators, or the pillar itself where its points were
given as a whole (published pillar-level results carry no indicator inputs). The Monte Carlo rank intervals
perturb items, the per-reviewer statistics count them and the shortfall lists rank them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .framework import Indicator
from .points import to_micro
from .results import GroupResult


@dataclass(frozen=True)
class AssessedItems:
    """Items in pillar order, each pillar's items contiguous. Point arrays are (units, items), micro-points."""

    codes: tuple[str, ...]
    names: tuple[str, ...]
    indicators: tuple[Indicator | None, ...]  # None for a pillar assessed as a whole
    pillar_of: np.ndarray  # (items,) index into group.pillars
    max_micro: np.ndarray  # (items,)
    sign: np.ndarray  # (items,) +1, or -1 for a penalty
    declared: np.ndarray  # (units, items)
    reviewed: np.ndarray  # (units, items)
    fixed: np.ndarray  # (units, items) True where no one judged points: declared not applicable

    @property
    def pillar_starts(self) -> np.ndarray:
        """The first item of every pillar (pillars without items are absent)."""
        return np.flatnonzero(np.r_[True, self.pillar_of[1:] != self.pillar_of[:-1]]) if len(self.codes) else \
            np.zeros(0, dtype=np.int64)


def assessed_items(result: GroupResult) -> AssessedItems:
    codes, names, pillar_of, maxima, signs, declared, reviewed, fixed = ([] for _ in range(8))
    indicators: list[Indicator | None] = []
    n = len(result.units)
    for p, pillar in enumerate(result.group.pillars):
        if not pillar.scored:
            continue
        if _given_anywhere(result, p):
            codes.append(pillar.code)
            names.append(pillar.name)
            indicators.append(None)
            pillar_of.append(p)
            maxima.append(to_micro(pillar.max_points + pillar.bonus_cap))
            signs.append(1)
            declared.append(result.declared.pillar_points[p])
            reviewed.append(result.reviewed.pillar_points[p])
            fixed.append(np.zeros(n, dtype=bool))
            continue
        for indicator in pillar.leaves():
            codes.append(indicator.code)
            names.append(indicator.name)
            indicators.append(indicator)
            pillar_of.append(p)
            maxima.append(indicator.max_micro)
            signs.append(indicator.rule.sign)
            declared.append(result.declared.indicator_points[indicator.code])
            reviewed.append(result.reviewed.indicator_points[indicator.code])
            fixed.append(result.reviewed.not_applicable[indicator.code])

    def matrix(columns, dtype):
        return np.stack(columns, axis=1).astype(dtype) if columns else np.zeros((n, 0), dtype=dtype)

    return AssessedItems(tuple(codes), tuple(names), tuple(indicators), np.array(pillar_of, dtype=np.int64),
                         np.array(maxima, dtype=np.int64), np.array(signs, dtype=np.int64),
                         matrix(declared, np.int64), matrix(reviewed, np.int64), matrix(fixed, bool))


def _given_anywhere(result: GroupResult, pillar: int) -> bool:
    return bool(result.declared.pillar_given[pillar].any() or result.reviewed.pillar_given[pillar].any())
