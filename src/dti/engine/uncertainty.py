"""How solid a rank is: Monte Carlo over the reviewers' judgement and over the pillars' weights.

Each sample re-scores the group's ranked units with

* every assessed item's reviewed points moved by a uniform draw — within ± ``tolerance`` × the item's max
  (``mode="share"``: another careful reviewer might have given a little more or less), or anywhere between the
  reviewed and the declared points (``mode="gap"``: the reviewer might have accepted more of the declaration) —
  and kept within 0..max (a draw past an end stays at the end, so an item at its max keeps it half of the time);
  items declared not applicable are not moved;
* every pillar's weight multiplied by a uniform draw from 1 ± ``weight_tolerance`` (the maximum moves with it,
  so percent bands follow);

then ranks and grades the sample exactly as the published results were (tie rule, quotas, bands). Per unit this
gives the median rank, the 5th–95th percentile rank interval and the probability of each grade. Units whose
intervals overlap cannot be told apart at this tolerance: they are statistically tied.

Samples are drawn in blocks of ``BLOCK``, each from its own random stream spawned from ``seed``, so the same seed
gives the same numbers whatever the number of worker threads. All points are micro-points in float64, so with no
noise every sample is exactly the published result. There is no Python loop over units or samples' units.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import Literal

import numpy as np
from threadpoolctl import threadpool_limits

from .grading import BandGrading, QuotaGrading
from .i18n import t
from .items import assessed_items
from .points import to_micro
from .results import GroupResult

BLOCK = 100  # samples per random stream
UINT16_TOP = 65_535
CHUNK_VALUES = 4_000_000  # draws held in memory at once per worker (float32: 16 MB)
LOW_QUANTILE, HIGH_QUANTILE = Decimal("0.05"), Decimal("0.95")

Mode = Literal["share", "gap"]
MODES: tuple[str, ...] = ("share", "gap")


@dataclass(frozen=True)
class UncertaintySettings:
    samples: int = 10_000
    tolerance: Decimal = Decimal("0.02")  # share of each item's max (mode "share")
    mode: Mode = "share"
    weight_tolerance: Decimal = Decimal("0.1")  # each pillar's weight within 1 ± this
    seed: int = 0

    def __post_init__(self):
        if self.samples < 1:
            raise ValueError(t("số mẫu phải từ 1 trở lên"))
        if not Decimal(0) <= self.tolerance <= 1 or not Decimal(0) <= self.weight_tolerance < 1:
            raise ValueError(t("dung sai phải từ 0 đến 1 (dung sai trọng số nhỏ hơn 1)"))
        if self.mode not in MODES:
            raise ValueError(t("cách dao động '{mode}' không có (có: share, gap)", mode=self.mode))

    @property
    def perturbs_items(self) -> bool:
        return self.mode == "gap" or self.tolerance > 0

    @property
    def perturbs_weights(self) -> bool:
        return self.weight_tolerance > 0


DEFAULT_SETTINGS = UncertaintySettings()


@dataclass(frozen=True)
class RankUncertainty:
    """Per ranked unit (``units``: indices into result.units) its rank distribution and grade probabilities."""

    settings: UncertaintySettings
    units: np.ndarray
    nominal: np.ndarray  # the published ranks
    median: np.ndarray
    low: np.ndarray  # 5th percentile rank (the best plausible)
    high: np.ndarray  # 95th percentile rank
    grades: tuple[str, ...]  # best first; empty for a group without grading
    grade_probability: np.ndarray  # (units, grades)

    @cached_property
    def _positions(self) -> dict[int, int]:
        return {int(unit): k for k, unit in enumerate(self.units)}

    @cached_property
    def published_order(self) -> list[int]:
        """Positions in these arrays, by published rank (ties in the results' order)."""
        return [int(k) for k in np.argsort(self.nominal, kind="stable")]

    def position(self, unit: int) -> int:
        """Where unit ``unit`` (index into result.units) sits in these arrays; KeyError when it is unranked."""
        return self._positions[unit]

    def interval(self, unit: int) -> tuple[int, int]:
        k = self.position(unit)
        return int(self.low[k]), int(self.high[k])

    def probability(self, unit: int, grade: str) -> float:
        return float(self.grade_probability[self.position(unit), self.grades.index(grade)])

    def tied_with(self, unit: int) -> list[int]:
        """The other units whose rank interval overlaps this unit's, best nominal rank first."""
        k = self.position(unit)
        overlap = (self.low <= self.high[k]) & (self.high >= self.low[k])
        overlap[k] = False
        found = np.flatnonzero(overlap)
        return [int(self.units[j]) for j in found[np.argsort(self.nominal[found], kind="stable")]]


def rank_uncertainty(result: GroupResult, settings: UncertaintySettings = DEFAULT_SETTINGS,
                     workers: int | None = None) -> RankUncertainty:
    model = _Model(result, settings)
    samples, n = settings.samples, model.n
    grades = result.group.grading.grades if result.group.grading else ()
    if n == 0:
        empty = np.zeros(0, dtype=np.int64)
        return RankUncertainty(settings, empty, empty, empty, empty, empty, grades, np.zeros((0, len(grades))))
    ranks = np.empty((samples, n), dtype=np.int16 if n < np.iinfo(np.int16).max else np.int32)
    streams = np.random.SeedSequence(settings.seed).spawn(-(-samples // BLOCK))

    def run(block: int) -> np.ndarray:
        start = block * BLOCK
        return model.block(np.random.default_rng(streams[block]), ranks[start:min(start + BLOCK, samples)])

    workers = workers or min(4, os.cpu_count() or 1)
    # The workers split the samples; BLAS threads inside each would only fight them for the same cores.
    with threadpool_limits(limits=1, user_api="blas"), ThreadPoolExecutor(max_workers=workers) as pool:
        counts = sum(pool.map(run, range(len(streams))))
    by_unit = np.sort(ranks.T, axis=1, kind="stable")  # radix sort of small integers

    def quantile(q: Decimal) -> np.ndarray:  # the inverted empirical distribution function
        k = max(int((q * samples).to_integral_value(rounding="ROUND_CEILING")) - 1, 0)
        return by_unit[:, k].astype(np.int64)

    probability = np.asarray(counts / samples) if grades else np.zeros((n, 0))
    nominal = np.array([result.ranks[i] for i in model.units], dtype=np.int64)
    return RankUncertainty(settings, model.units, nominal, quantile(Decimal("0.5")), quantile(LOW_QUANTILE),
                           quantile(HIGH_QUANTILE), grades, probability)


class _Model:
    """The ranked units' published points and the noise they may take, as arrays ready to sample."""

    def __init__(self, result: GroupResult, settings: UncertaintySettings):
        group = result.group
        self.settings = settings
        self.units = np.flatnonzero(result.ranked_mask)
        self.n = len(self.units)
        self.tie_rule = group.tie_rule
        self.grading = group.grading
        self.pillar_max = np.array([to_micro(p.max_points) for p in group.pillars], dtype=np.float64)
        self.ceiling = np.array([to_micro(p.max_points + p.bonus_cap) for p in group.pillars], dtype=np.float64)
        self.pillars = result.reviewed.pillar_points[:, self.units].T.astype(np.float64)  # (units, pillars)
        self.totals = result.reviewed.totals[self.units].astype(np.float64)
        items = assessed_items(result)
        self.items = len(items.codes)
        # Item moves add up to pillar moves through a 0/1 matrix (a matrix product is the fastest sum here).
        self.membership = np.zeros((self.items, len(group.pillars)), dtype=np.float32)
        self.membership[np.arange(self.items), items.pillar_of] = 1
        reviewed = items.reviewed[self.units].astype(np.float64)
        maximum = items.max_micro.astype(np.float64)
        penalty = items.sign < 0
        moving = ~items.fixed[self.units]
        if settings.mode == "share":
            # Contribution to the pillar = sign × the move; a penalty's bounds flip with its sign.
            low, high = -reviewed, maximum - reviewed
            low, high = np.where(penalty, -high, low), np.where(penalty, -low, high)
            self.step = (2 * float(settings.tolerance) * maximum / UINT16_TOP).astype(np.float32)
            shift = np.where(moving, float(settings.tolerance) * maximum, 0)  # per unit and item
            self.low = (np.where(moving, low, 0) + shift).astype(np.float32)
            self.high = (np.where(moving, high, 0) + shift).astype(np.float32)
            self.pillar_shift = shift @ self.membership.astype(np.float64)  # (units, pillars)
        else:
            gap = (items.declared[self.units] - items.reviewed[self.units]) * items.sign
            self.gap = (np.where(moving, gap, 0) / UINT16_TOP).astype(np.float32)
        self.grade_lookup = self._grade_lookup()
        self.needs_ties_behind = isinstance(self.grading, QuotaGrading) and self.grading.ties == "worse"

    def block(self, rng: np.random.Generator, ranks_out: np.ndarray) -> np.ndarray:
        """Fill ``ranks_out`` (samples of this block × units) and return the block's grade counts (units, grades)."""
        size = len(ranks_out)
        weights = None
        if self.settings.perturbs_weights:
            spread = float(self.settings.weight_tolerance)
            weights = 1 + (2 * rng.random((size, len(self.pillar_max))) - 1) * spread
        grades = len(self.grading.grades) if self.grading else 0
        counts = np.zeros((self.n, grades), dtype=np.int64)
        step = max(1, min(size, CHUNK_VALUES // max(1, self.n * self.items)))
        for start in range(0, size, step):
            stop = min(start + step, size)
            pillars = np.broadcast_to(self.pillars, (stop - start, *self.pillars.shape))
            if self.settings.perturbs_items and self.items:
                pillars = np.clip(pillars + self._pillar_moves(rng, stop - start), 0, self.ceiling)
            w = None if weights is None else weights[start:stop]
            totals = self.totals + (pillars.sum(axis=2) if w is None else (pillars * w[:, None, :]).sum(axis=2)) \
                - self.pillars.sum(axis=1)
            ranks, ahead, ahead_or_tied = _ranks(totals, self.tie_rule, self.needs_ties_behind)
            ranks_out[start:stop] = ranks
            if grades:
                grade = self._grades(totals, ahead, ahead_or_tied, w)
                counts += np.bincount((np.arange(self.n) * grades + grade).ravel(),
                                      minlength=self.n * grades).reshape(self.n, grades)
        return counts

    def _pillar_moves(self, rng: np.random.Generator, size: int) -> np.ndarray:
        # Uniform draws of 16-bit resolution straight from the generator's raw bits: four draws per 64-bit
        # word, several times faster than floats and finer than any reviewer's judgement (max ÷ 65,535).
        words = -(-size * self.n * self.items // 4)
        bits = rng.bit_generator.random_raw(words).view(np.uint16)[:size * self.n * self.items]
        draws = np.empty((size, self.n, self.items), dtype=np.float32)
        if self.settings.mode == "share":
            # Draws on 0..2a, clipped to the shifted bounds; the shift a comes off after summing per pillar.
            np.multiply(bits.reshape(draws.shape), self.step, out=draws)
            np.minimum(draws, self.high, out=draws)
            np.maximum(draws, self.low, out=draws)
            return (draws @ self.membership).astype(np.float64) - self.pillar_shift
        np.multiply(bits.reshape(draws.shape), self.gap, out=draws)
        return (draws @ self.membership).astype(np.float64)

    def _grade_lookup(self) -> np.ndarray | None:
        if isinstance(self.grading, QuotaGrading):
            order = {g: i for i, g in enumerate(self.grading.grades)}
            return np.array([order[g] for g in self.grading.grade_at_positions(self.n)], dtype=np.int64)
        return None

    def _grades(self, totals, ahead, ahead_or_tied, weights) -> np.ndarray:
        if isinstance(self.grading, QuotaGrading) and self.grade_lookup is not None:
            return self.grade_lookup[ahead if self.grading.ties == "better" else ahead_or_tied]
        if isinstance(self.grading, BandGrading):
            return self._band_grades(self.grading, totals, weights)
        raise ValueError("a group without grading has no grades to sample")

    def _band_grades(self, grading: BandGrading, totals, weights) -> np.ndarray:
        scaled = totals * 100 if grading.basis == "percent" else totals
        if grading.basis == "points":
            edges = [float(to_micro(threshold)) for threshold in grading.thresholds]
        elif weights is None:  # exact integers, as the published grades were given
            maximum = sum(int(m) for m in self.pillar_max)
            edges = [float(threshold * maximum) for threshold in grading.thresholds]
        else:  # the maximum moves with the weights
            maximum = (weights @ self.pillar_max).reshape(-1, 1)
            edges = [float(threshold) * maximum for threshold in grading.thresholds]
        # A unit gets the first band (best first) whose condition holds; conditions hold for a suffix of the
        # bands because thresholds decrease, so the grade's index is the number of conditions that fail.
        failed = np.zeros(totals.shape, dtype=np.int64)
        for band, edge in zip(grading.bands[:-1], edges, strict=True):
            failed += ~((scaled >= edge) if band.inclusive else (scaled > edge))
        return failed


def _ranks(totals: np.ndarray, tie_rule: str,
           with_ties_behind: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """Per sample row: ranks, units strictly ahead and (when asked) units ahead or tied.

    Ties are found by comparing values after sorting, so the sort need not be stable."""
    size, n = totals.shape
    order = np.argsort(-totals, axis=1)
    ordered = np.take_along_axis(totals, order, axis=1)
    position = np.broadcast_to(np.arange(n), (size, n))
    starts = np.ones((size, n), dtype=bool)
    starts[:, 1:] = ordered[:, 1:] != ordered[:, :-1]

    def back(values):
        out = np.empty((size, n), dtype=np.int64)
        np.put_along_axis(out, order, values, axis=1)
        return out

    ahead = back(np.maximum.accumulate(np.where(starts, position, 0), axis=1))
    ranks = back(np.cumsum(starts, axis=1)) if tie_rule == "dense" else ahead + 1
    if not with_ties_behind:
        return ranks, ahead, None
    ends = np.ones((size, n), dtype=bool)
    ends[:, :-1] = starts[:, 1:]
    return ranks, ahead, back(np.minimum.accumulate(np.where(ends, position, n - 1)[:, ::-1], axis=1)[:, ::-1])
