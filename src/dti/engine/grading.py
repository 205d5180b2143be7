"""Grading schemes: which grade (Xuất sắc, Tốt, Khá, Trung bình, Kém) each ranked unit gets.

Three kinds, chosen per group in the framework file:

* ``quota``: by rank. Each grade takes a share of the group, counted from n × share and rounded as
  configured; one grade (the remainder) takes whatever is left. Grades listed before the remainder
  fill positions from the top, grades after it from the bottom; if small groups make these overlap,
  the top grades win and the bottom ones shrink. Tied units at a quota boundary share a rank, and
  ``ties`` says which grade they share: ``better`` (default, the grade of their best position) or
  ``worse``. With ties the counts can therefore differ from the quota; without ties they are exact.
* ``percent_bands``: by total ÷ max × 100, each band from a threshold that is open or closed.
* ``point_bands``: the same on absolute points.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from typing import ClassVar, Literal

import numpy as np

from .i18n import t
from .points import MICRO, pts_text, to_micro
from .ranking import units_ahead, units_ahead_or_tied
from .spec import Spec

Rounding = Literal["half_up", "floor", "ceiling"]
ROUNDINGS: dict[Rounding, str] = {"half_up": ROUND_HALF_UP, "floor": ROUND_FLOOR, "ceiling": ROUND_CEILING}


class GradingScheme:
    kind: ClassVar[str]
    inferred: str | None

    @property
    def grades(self) -> tuple[str, ...]:
        raise NotImplementedError

    def assign(self, totals_micro: np.ndarray, max_points: Decimal) -> list[str]:
        """Grades of the ranked units whose totals are given (same order)."""
        raise NotImplementedError

    def describe(self) -> str:
        raise NotImplementedError


@dataclass(frozen=True)
class Quota:
    grade: str
    share: Decimal  # percent of the group


@dataclass(frozen=True)
class QuotaGrading(GradingScheme):
    kind: ClassVar[str] = "quota"
    quotas: tuple[Quota, ...]  # best grade first
    remainder_index: int  # the grade whose count is n minus the others'
    rounding: Rounding
    ties: Literal["better", "worse"]
    inferred: str | None = None

    @property
    def grades(self):
        return tuple(q.grade for q in self.quotas)

    def counts(self, n: int) -> list[int]:
        """How many of n units get each grade, best first."""
        wanted = [int((n * q.share / 100).quantize(Decimal(1), ROUNDINGS[self.rounding]))
                  for q in self.quotas]
        r = self.remainder_index
        top = wanted[:r]
        bottom = wanted[r + 1:]
        left = n
        for i, count in enumerate(top):
            top[i] = min(count, left)
            left -= top[i]
        for i in range(len(bottom) - 1, -1, -1):
            bottom[i] = min(bottom[i], left)
            left -= bottom[i]
        return [*top, left, *bottom]

    def grade_at_positions(self, n: int) -> list[str]:
        """The grade of each position 0..n-1 in rank order, before ties are considered."""
        return [grade for grade, count in zip(self.grades, self.counts(n), strict=True) for _ in range(count)]

    def assign(self, totals_micro, max_points):
        n = len(totals_micro)
        by_position = self.grade_at_positions(n)
        position = units_ahead(totals_micro) if self.ties == "better" else units_ahead_or_tied(totals_micro)
        return [by_position[p] for p in position]

    def describe(self):
        parts = [f"{q.grade}: {pts_text(q.share)}%" + (t(" (phần còn lại)") if i == self.remainder_index else "")
                 for i, q in enumerate(self.quotas)]
        rounding = {"half_up": t("làm tròn nửa lên"), "floor": t("làm tròn xuống"), "ceiling": t("làm tròn lên")}
        ties = {"better": t("xếp loại cao hơn"), "worse": t("xếp loại thấp hơn")}
        return t("Theo tỷ lệ thứ hạng trong khối ({quotas}); số đơn vị mỗi loại = n × tỷ lệ, {rounding}; "
                 "các đơn vị đồng hạng ở ranh giới nhận {ties}.",
                 quotas="; ".join(parts), rounding=rounding[self.rounding], ties=ties[self.ties])

    @classmethod
    def from_spec(cls, spec: Spec) -> QuotaGrading:
        spec.unknown_keys({"kind", "grades", "rounding", "ties", "inferred"})
        quotas, remainders = [], []
        for item in spec.items("grades", label_key="grade"):
            item.unknown_keys({"grade", "share", "remainder"})
            quotas.append(Quota(item.text("grade"), item.decimal("share")))
            if item.boolean("remainder", False):
                remainders.append(len(quotas) - 1)
        _check_unique(spec, [q.grade for q in quotas])
        if len(remainders) != 1:
            raise spec.error(t("cần đúng một loại nhận phần còn lại ('remainder: true')"))
        total = sum(q.share for q in quotas)
        if total != 100:
            raise spec.error(t("tổng tỷ lệ các loại là {value}%, phải bằng 100%", value=pts_text(total)))
        return cls(tuple(quotas), remainders[0], spec.choice("rounding", tuple(ROUNDINGS), "half_up"),
                   spec.choice("ties", ("better", "worse"), "better"), spec.text("inferred", None))


@dataclass(frozen=True)
class Band:
    grade: str
    threshold: Decimal | None  # None: the last band, everything below the others
    inclusive: bool = True


@dataclass(frozen=True)
class BandGrading(GradingScheme):
    """Bands on the percent of max (``percent_bands``) or on points (``point_bands``), best first."""

    kind: ClassVar[str] = "bands"
    basis: Literal["percent", "points"]
    bands: tuple[Band, ...]
    inferred: str | None = None

    @property
    def grades(self):
        return tuple(b.grade for b in self.bands)

    @property
    def thresholds(self) -> tuple[Decimal, ...]:
        """The threshold of every band but the last (which takes every lower total), best first."""
        return tuple(b.threshold for b in self.bands[:-1] if b.threshold is not None)

    def assign(self, totals_micro, max_points):
        totals = np.asarray(totals_micro, dtype=np.int64)
        # Compare integers: total × 100 ≥ threshold% × max, both in micro-points, so no rounding at the edge.
        if self.basis == "percent":
            scaled, unit = totals * 100, to_micro(max_points)
        else:
            scaled, unit = totals, MICRO
        conditions, names = [], []
        for band, threshold in zip(self.bands[:-1], self.thresholds, strict=True):
            edge = int(threshold * unit)
            conditions.append(scaled >= edge if band.inclusive else scaled > edge)
            names.append(band.grade)
        return list(np.select(conditions, names, default=self.bands[-1].grade)) if len(totals) else []

    def describe(self):
        unit = t("% điểm tối đa") if self.basis == "percent" else t(" điểm")
        parts, upper = [], None
        for band in self.bands:
            if band.threshold is None:
                low = ""
            else:
                low = f"{'≥' if band.inclusive else '>'} {pts_text(band.threshold)}{unit}"
            high = "" if upper is None else f"{'<' if upper.inclusive else '≤'} {pts_text(upper.threshold)}{unit}"
            parts.append(f"{band.grade}: " + t(" và ").join(p for p in (low, high) if p))
            upper = band
        return t("Theo ngưỡng điểm: ") + "; ".join(parts) + "."

    @classmethod
    def from_spec(cls, spec: Spec, basis: Literal["percent", "points"]) -> BandGrading:
        spec.unknown_keys({"kind", "bands", "inferred"})
        bands: list[Band] = []
        items = list(spec.items("bands", label_key="grade"))
        for position, item in enumerate(items):
            item.unknown_keys({"grade", "from", "inclusive"})
            last = position == len(items) - 1
            if last and item.has("from"):
                raise item.error(t("loại cuối cùng không có ngưỡng 'from': nó nhận mọi tổng điểm thấp hơn"))
            if not last and not item.has("from"):
                raise item.error(t("thiếu ngưỡng 'from'"))
            threshold = None if last else item.decimal("from")
            if basis == "percent" and threshold is not None and threshold > 100:
                raise item.error(t("ngưỡng {threshold}% vượt 100%", threshold=threshold))
            if bands and threshold is not None and threshold > (bands[-1].threshold or threshold):
                raise item.error(t("các ngưỡng phải giảm dần từ loại cao nhất"))
            bands.append(Band(item.text("grade"), threshold, item.boolean("inclusive", True)))
        _check_unique(spec, [b.grade for b in bands])
        return cls(basis, tuple(bands), spec.text("inferred", None))


def _check_unique(spec: Spec, grades: list[str]) -> None:
    duplicate = next((g for g in grades if grades.count(g) > 1), None)
    if duplicate:
        raise spec.error(t("loại '{duplicate}' xuất hiện hai lần", duplicate=duplicate))


# Every grading scheme a framework can name; a union so that a check of one kind tells the type checker the other.
Grading = QuotaGrading | BandGrading


def grading_from_spec(spec: Spec) -> Grading:
    kind = spec.choice("kind", ("quota", "percent_bands", "point_bands"))
    if kind == "quota":
        return QuotaGrading.from_spec(spec)
    return BandGrading.from_spec(spec, "percent" if kind == "percent_bands" else "points")
