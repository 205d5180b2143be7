"""Scoring one stage (declared or reviewed) of one group: indicator, pillar and total points.

Indicators are scored a column at a time — every unit of the group in one array operation — which is
what lets a 3,321-commune group be scored in milliseconds. All points are micro-points (int64).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from .errors import InputError
from .framework import Group, Indicator, Pillar
from .i18n import t
from .inputs import StageInputs, UnitEntry, check_column, parse_boolean
from .numbers import number_text
from .points import from_micro, pts_text, round_to_micro, to_micro
from .rules import Columns, FormulaError, FormulaRule, RatioRule


@dataclass(frozen=True)
class StageScore:
    """Points of one stage for every unit of a group (arrays indexed by unit)."""

    indicator_points: dict[str, np.ndarray]  # indicator code → micro-points
    not_applicable: dict[str, np.ndarray]  # indicator code → flags
    columns: dict[str, Columns]  # indicator code → the checked inputs, kept to explain results
    pillar_points: np.ndarray  # (pillars, units) micro-points
    pillar_given: np.ndarray  # (pillars, units) True where the pillar's points were given, not computed
    totals: np.ndarray  # micro-points; the published total where one was given
    warnings: tuple[str, ...]
    points_given: dict[str, np.ndarray]  # indicator code → True where a reviewer gave the points directly


def score_stage(group: Group, units: Sequence[UnitEntry], inputs: StageInputs) -> StageScore:
    n = len(units)
    indicator_points: dict[str, np.ndarray] = {}
    not_applicable: dict[str, np.ndarray] = {}
    columns: dict[str, Columns] = {}
    pillar_points = np.zeros((len(group.pillars), n), dtype=np.int64)
    pillar_given = np.zeros((len(group.pillars), n), dtype=bool)
    given_points: dict[str, np.ndarray] = {}
    scorer = _IndicatorScorer(units, inputs, indicator_points, not_applicable, columns, given_points)
    for p, pillar in enumerate(group.pillars):
        given = _given_pillar_points(pillar, inputs, units)
        pillar_given[p] = given is not None
        if given is not None and given[1].all():
            pillar_points[p] = given[0]
            continue
        needed = np.ones(n, dtype=bool) if given is None else ~given[1]
        pillar_points[p] = scorer.pillar(pillar, needed)
        if given is not None:
            pillar_given[p] = given[1]
            pillar_points[p] = np.where(given[1], given[0], pillar_points[p])
    totals, warnings = _totals(group, units, inputs, pillar_points)
    return StageScore(indicator_points, not_applicable, columns, pillar_points, pillar_given, totals, warnings,
                      given_points)


def _given_pillar_points(pillar: Pillar, inputs: StageInputs, units) -> tuple[np.ndarray, np.ndarray] | None:
    raw = inputs.pillar_points.get(pillar.code)
    if raw is None:
        return None
    ceiling = pillar.max_points + pillar.bonus_cap
    points = np.zeros(len(units), dtype=np.int64)
    present = np.zeros(len(units), dtype=bool)
    for i, value in enumerate(raw):
        if value is None:
            continue
        if value < 0 or value > ceiling:
            raise InputError(units[i].name, pillar.code, None, value,
                             t("điểm chỉ số chính phải từ 0 đến {value}", value=pts_text(ceiling)))
        try:
            points[i] = to_micro(value)
        except ValueError as exc:
            raise InputError(units[i].name, pillar.code, None, value, str(exc)) from None
        present[i] = True
    return (points, present) if present.any() else None


class _IndicatorScorer:
    def __init__(self, units, inputs: StageInputs, points, not_applicable, columns, given):
        self.units, self.inputs, self.given = units, inputs, given
        self.points, self.not_applicable, self.columns = points, not_applicable, columns
        self.n = len(units)

    def pillar(self, pillar: Pillar, needed: np.ndarray) -> np.ndarray:
        raw = np.zeros(self.n, dtype=np.int64)
        excluded = np.zeros(self.n, dtype=np.int64)
        for indicator in pillar.indicators:
            points, excluded_max = self.indicator(indicator, needed)
            raw += indicator.rule.sign * points
            excluded += excluded_max
        raw = np.maximum(raw, 0)  # a penalty never takes a pillar below zero
        if excluded.any():
            raw = self._rescale(pillar, raw, excluded, needed)
        return np.where(needed, raw, 0)

    def _rescale(self, pillar: Pillar, raw, excluded, needed):
        """Points of a unit with indicators excluded as not applicable, brought back to the pillar's max."""
        max_micro = to_micro(pillar.max_points)
        out = raw.copy()
        for i in np.flatnonzero((excluded > 0) & needed):
            applicable = max_micro - int(excluded[i])
            if applicable <= 0:
                raise InputError(self.units[i].name, pillar.code, None, t("không áp dụng"),
                                 t("mọi chỉ số thành phần của chỉ số chính đều không áp dụng"))
            # Exact integer rounding half up of raw × max ÷ applicable.
            out[i] = (2 * int(raw[i]) * max_micro + applicable) // (2 * applicable)
        return out

    def indicator(self, indicator: Indicator, needed: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Micro-points of one indicator, and the maximum each unit had excluded as not applicable."""
        na = self._not_applicable(indicator, needed)
        scored = needed & ~na
        excluded = np.zeros(self.n, dtype=np.int64)
        if indicator.children:
            points = np.zeros(self.n, dtype=np.int64)
            for child in indicator.children:
                child_points, child_excluded = self.indicator(child, scored)
                points += child.rule.sign * child_points
                excluded += child_excluded
            points = np.maximum(points, 0)
        else:
            columns = self._columns(indicator, scored)
            if isinstance(indicator.rule, RatioRule):
                zero = indicator.rule.zero_denominator(columns) & scored
                if zero.any():  # b = 0 means not applicable here: score those units by the NA policy
                    na = na | zero
                    scored = scored & ~zero
                    columns = Columns(columns.values, scored)
            self.columns[indicator.code] = columns
            points = self._given_points(indicator, self._rule_points(indicator, columns), scored)
        points = np.where(scored, points, 0)
        if na.any():
            if indicator.not_applicable == "full":
                points = np.where(na, indicator.max_micro, points)
            elif indicator.not_applicable == "exclude":
                excluded = np.where(na, indicator.max_micro, excluded)
        self.points[indicator.code] = points
        self.not_applicable[indicator.code] = na
        return points, np.where(needed, excluded, 0)

    def _given_points(self, indicator: Indicator, points: np.ndarray, scored: np.ndarray) -> np.ndarray:
        """Points a reviewer gave directly replace the rule's, where given."""
        raw = self.inputs.indicator_points.get(indicator.code)
        given = np.zeros(self.n, dtype=bool)
        if raw is not None:
            points = points.copy()
            for i, value in enumerate(raw):
                if value is None or not scored[i]:
                    continue
                if value < 0 or value > indicator.max_points:
                    raise InputError(self.units[i].name, indicator.code, None, value,
                                     t("điểm chỉ số phải từ 0 đến {value}", value=pts_text(indicator.max_points)))
                points[i] = round_to_micro(value)
                given[i] = True
        self.given[indicator.code] = given
        return points

    def _not_applicable(self, indicator: Indicator, needed: np.ndarray) -> np.ndarray:
        raw = self.inputs.not_applicable.get(indicator.code)
        if raw is None:
            return np.zeros(self.n, dtype=bool)
        flags = np.zeros(self.n, dtype=bool)
        for i, value in enumerate(raw):
            if value is None or (isinstance(value, str) and not value.strip()):
                continue
            flag = parse_boolean(value)
            if flag is None:
                raise InputError(self.units[i].name, indicator.code, t("không áp dụng"), value, t("cần có/không"))
            flags[i] = flag and needed[i]
        if flags.any() and indicator.not_applicable is None:
            i = int(np.argmax(flags))
            raise InputError(self.units[i].name, indicator.code, t("không áp dụng"), True,
                             t("bộ chỉ số không cho phép khai báo 'không áp dụng' với chỉ số này"))
        return flags

    def _columns(self, indicator: Indicator, scored: np.ndarray) -> Columns:
        given = self.inputs.values.get(indicator.code, {})
        values = {}
        for spec in indicator.rule.inputs(indicator.max_points):
            values[spec.name] = check_column(given.get(spec.name), spec, scored, self.units, indicator.code)
        columns = Columns(values, scored)
        refuse_together(indicator, columns, self.units, lambda name, i: given.get(name, [None] * self.n)[i])
        return columns

    def _rule_points(self, indicator: Indicator, columns: Columns) -> np.ndarray:
        try:
            return indicator.rule.score(columns, indicator.max_points)
        except FormulaError:
            if not isinstance(indicator.rule, FormulaRule):
                raise
            # The whole-column evaluation failed; find the unit it failed for, to name it.
            for i in np.flatnonzero(columns.applicable):
                try:
                    indicator.rule.evaluate({name: columns[name][i] for name, _ in indicator.rule.variables})
                except FormulaError as exc:
                    values = {name: columns[name][i] for name, _ in indicator.rule.variables}
                    raise InputError(self.units[i].name, indicator.code, None, values,
                                     t("công thức {expression}: {exc}",
                                       expression=getattr(indicator.rule, "expression", ""), exc=exc)) from None
            raise


def refuse_together(indicator: Indicator, columns: Columns, units, raw) -> None:
    """InputError for the first unit whose inputs the rule refuses taken together (a > b in a ratio)."""
    refused = indicator.rule.refused(columns)
    if refused is not None:
        mask, name, fault = refused
        i = int(np.argmax(mask))
        raise InputError(units[i].name, indicator.code, name, raw(name, i), fault)


def _totals(group: Group, units, inputs: StageInputs, pillar_points: np.ndarray):
    totals = pillar_points.sum(axis=0)
    warnings = []
    if inputs.totals is not None:
        tolerance = to_micro(inputs.total_tolerance)
        for i, given in enumerate(inputs.totals):
            if given is None:
                continue
            given_micro = to_micro(given)
            if abs(given_micro - int(totals[i])) > tolerance:
                warnings.append(
                    t("{name}: tổng điểm công bố {given} khác tổng các chỉ số chính {computed} quá mức sai số "
                      "làm tròn ({tolerance}); dùng tổng điểm công bố", name=units[i].name, given=given,
                      computed=from_micro(totals[i]), tolerance=inputs.total_tolerance))
            totals[i] = given_micro
    return totals, tuple(warnings)


def explain(group: Group, score: StageScore, units: Sequence[UnitEntry], unit: int, code: str) -> str:
    """One Vietnamese sentence that explains a unit's points on an indicator or a pillar."""
    for p, pillar in enumerate(group.pillars):
        if pillar.code == code:
            points = from_micro(score.pillar_points[p, unit])
            given = score.pillar_given[p, unit]
            how = t("điểm được công bố cho cả chỉ số chính") if given else t("tổng các chỉ số thành phần")
            return t("{name}: {how} → {value}/{value2} điểm",
                     name=pillar.name, how=how, value=pts_text(points), value2=pts_text(pillar.max_points))
        for indicator in pillar.walk():
            if indicator.code == code:
                if score.pillar_given[p, unit]:
                    return (t("{code}: điểm chỉ số chính được công bố trực tiếp, không chấm theo chỉ số thành phần",
                              code=indicator.code))
                return _explain_indicator(indicator, score, unit)
    raise KeyError(code)


def _not_applicable_sentence(indicator: Indicator) -> str:
    outcome = {"exclude": t("loại khỏi điểm tối đa của đơn vị"), "zero": t("0 điểm"),
               "full": t("{value} điểm", value=pts_text(indicator.max_points))}[indicator.not_applicable or "exclude"]
    return t("Không áp dụng → {outcome}", outcome=outcome)


def _explain_indicator(indicator: Indicator, score: StageScore, unit: int) -> str:
    code = indicator.code
    points = int(score.indicator_points[code][unit])
    if score.not_applicable[code][unit]:
        return _not_applicable_sentence(indicator)
    if code in score.points_given and score.points_given[code][unit]:
        return t("Điểm do cán bộ thẩm định chấm trực tiếp (thay cho quy tắc) → {value}/{max} điểm",
                 value=pts_text(from_micro(points)), max=pts_text(indicator.max_points))
    if indicator.children:
        parts = " + ".join(f"{c.code} ({pts_text(from_micro(score.indicator_points[c.code][unit]))})"
                           for c in indicator.children)
        return t("{parts} → {value}/{value2} điểm",
                 parts=parts, value=pts_text(from_micro(points)), value2=pts_text(indicator.max_points))
    return indicator.rule.explain(score.columns[code], unit, points, indicator.max_points)


@dataclass(frozen=True)
class Preview:
    """One unit's points on one indicator as it is being entered, with the sentence that explains them."""

    points: Decimal | None
    explanation: str
    depends_on_group: bool  # True where the final points also depend on the other units (relative to best)
    # Every number typed, as it was read (label, value written back unambiguously): "1.000.000" → "1000000".
    readings: tuple[tuple[str, str], ...] = ()


def preview_indicator(indicator: Indicator, values: Mapping, not_applicable: bool = False,
                      unit_name: str = "", others: Sequence[Mapping] = ()) -> Preview:
    """Score one unit's inputs for one indicator, for a form that shows points while typing.

    ``others`` are the inputs the group's other units hold for this indicator (applicable entries), for a rule
    whose points depend on the group (relative to best): the points are then those the group's results give
    while the others stay as they are. An entry of another unit that the rule cannot read is left out: it stops
    the group's scoring until that unit fixes it, and says nothing about this unit's points.

    Raises InputError for a value the rule cannot take, exactly as scoring the whole group would.
    """
    unit = (UnitEntry(unit_name or "—"),)
    if not_applicable:
        if indicator.not_applicable is None:
            raise InputError(unit[0].name, indicator.code, t("không áp dụng"), True,
                             t("bộ chỉ số không cho phép khai báo 'không áp dụng' với chỉ số này"))
        points = {"exclude": None, "zero": Decimal(0), "full": indicator.max_points}[indicator.not_applicable]
        return Preview(points, _not_applicable_sentence(indicator), False)
    rows = [values]
    if indicator.rule.depends_on_group:
        rows += [other for other in others if _readable(indicator, other)]
    units = unit + tuple(UnitEntry(f"—{i}") for i in range(1, len(rows)))
    columns = _columns(indicator, rows, units)
    try:
        micro = int(indicator.rule.score(columns, indicator.max_points)[0])
    except FormulaError as exc:
        expression = getattr(indicator.rule, "expression", "")  # only the formula rule raises FormulaError
        raise InputError(unit[0].name, indicator.code, None, values,
                         t("công thức {expression}: {exc}", expression=expression, exc=exc)) from None
    return Preview(from_micro(micro), indicator.rule.explain(columns, 0, micro, indicator.max_points),
                   indicator.rule.depends_on_group,
                   _readings(indicator, columns))


def points_together(indicator: Indicator, rows: Sequence[Mapping]) -> list[Decimal | None]:
    """The points of each of ``rows`` (the inputs of the group's units that declared the indicator applicable)
    scored together, as the group's results score them; None for a row the rule cannot read, which is left out
    of the others' points as it is of every preview."""
    readable = [i for i, row in enumerate(rows) if _readable(indicator, row)]
    points: list[Decimal | None] = [None] * len(rows)
    if not readable:
        return points
    columns = _columns(indicator, [rows[i] for i in readable], tuple(UnitEntry(f"—{i}") for i in readable))
    for i, micro in zip(readable, indicator.rule.score(columns, indicator.max_points).tolist(), strict=True):
        points[i] = from_micro(int(micro))
    return points


def _columns(indicator: Indicator, rows: Sequence[Mapping], units: tuple[UnitEntry, ...]) -> Columns:
    """The checked columns of ``rows`` (one unit's inputs each), refused as scoring the group would refuse them."""
    needed = np.ones(len(rows), dtype=bool)
    columns = Columns({spec.name: check_column([row.get(spec.name) for row in rows], spec, needed, units,
                                               indicator.code)
                       for spec in indicator.rule.inputs(indicator.max_points)}, needed)
    refuse_together(indicator, columns, units, lambda name, i: rows[i].get(name))
    return columns


def _readable(indicator: Indicator, values: Mapping) -> bool:
    try:
        _columns(indicator, [values], (UnitEntry("—"),))
    except InputError:
        return False
    return True


def _readings(indicator: Indicator, columns: Columns) -> tuple[tuple[str, str], ...]:
    read = []
    for spec in indicator.rule.inputs(indicator.max_points):
        value = columns[spec.name][0]
        value = int(value) if isinstance(value, np.integer) else value
        if spec.kind == "points":
            read.append((spec.label, number_text(from_micro(value))))
        elif spec.kind in ("count", "number"):
            read.append((spec.label, number_text(value)))
    return tuple(read)
