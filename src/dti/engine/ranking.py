"""Ranks within a group, on unrounded totals."""

from __future__ import annotations

from typing import Literal

import numpy as np

TieRule = Literal["competition", "dense"]
TIE_RULES: tuple[TieRule, ...] = ("competition", "dense")


def units_ahead(totals: np.ndarray) -> np.ndarray:
    """For each unit, how many units have a strictly higher total."""
    ordered = np.sort(totals)
    return len(totals) - np.searchsorted(ordered, totals, side="right")


def units_ahead_or_tied(totals: np.ndarray) -> np.ndarray:
    """For each unit, how many other units have a total at least as high."""
    ordered = np.sort(totals)
    return len(totals) - np.searchsorted(ordered, totals, side="left") - 1


def rank(totals: np.ndarray, tie_rule: TieRule = "competition") -> np.ndarray:
    """Ranks of ``totals`` (higher is better): competition 1, 2, 2, 4 or dense 1, 2, 2, 3."""
    totals = np.asarray(totals, dtype=np.int64)
    if tie_rule == "competition":
        return units_ahead(totals) + 1
    if tie_rule == "dense":
        distinct = np.unique(totals)  # ascending
        return len(distinct) - np.searchsorted(distinct, totals)
    raise ValueError(f"unknown tie rule {tie_rule!r}")
