"""Scoring rules: how an indicator's inputs become points, for a whole group of units at once.

Each rule kind is a frozen dataclass registered in ``RULE_KINDS`` under the name a framework file uses.
A rule declares the inputs it needs (``inputs``), scores validated input columns — one array entry per
unit — into micro-points (``score``), describes itself for the methodology page (``describe``) and
explains one unit's result in one Vietnamese sentence (``explain``).

Inputs arrive already checked by ``dti.engine.inputs`` (types, ranges, missing values), so ``score``
only does arithmetic. Everything is integer or Decimal arithmetic; see ``dti.engine.points``.
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, DivisionByZero, InvalidOperation, localcontext
from typing import ClassVar, Literal

import numpy as np
from simpleeval import InvalidExpression, SimpleEval

from .i18n import N_, t
from .numbers import NumberError, read_number
from .points import EXACT, MICRO, micro_column, scaled_quotient_micro, to_micro
from .points import pts_text as pts
from .spec import Spec

InputKind = Literal["count", "number", "boolean", "choice", "points"]


@dataclass(frozen=True)
class InputSpec:
    """One value a unit enters for an indicator."""

    name: str
    kind: InputKind
    label: str
    choices: tuple[str, ...] = ()
    maximum: Decimal | None = None  # for kind "points": the indicator's max


@dataclass(frozen=True)
class Columns:
    """Validated inputs of one indicator for every unit of a group, keyed by input name.

    count → int64 array; number → object array of Decimal; points → int64 micro-points;
    boolean → bool array; choice → object array of str. ``applicable`` is False where the unit declared
    the indicator not applicable; those entries hold neutral values and their points are replaced by the policy.
    """

    values: Mapping[str, np.ndarray]
    applicable: np.ndarray

    def __getitem__(self, name: str) -> np.ndarray:
        return self.values[name]


def num(value) -> str:
    """An input value in a sentence: exact, Vietnamese decimal comma."""
    if isinstance(value, Decimal):
        text = f"{value.normalize():f}" if value != value.to_integral_value() else f"{int(value)}"
        return text.replace(".", ",")
    return str(value)


@dataclass(frozen=True)
class Improvement:
    """What a unit could do on one indicator, and the points it would gain ("thêm 1 cuộc họp → +5 điểm")."""

    action: str
    gain_micro: int

    @property
    def sentence(self) -> str:
        return t("{action} → +{value} điểm", action=self.action, value=pts(Decimal(self.gain_micro) / MICRO))


def _gain(action: str, gain_micro: int) -> Improvement | None:
    return Improvement(action, int(gain_micro)) if gain_micro > 0 else None


def _result(points_micro: int, max_points: Decimal) -> str:
    return t("{value}/{value2} điểm", value=pts(Decimal(points_micro) / MICRO), value2=pts(max_points))


class Rule:
    """Base of every rule kind."""

    kind: ClassVar[str]
    title: ClassVar[str]  # the kind in words (marked for translation; shown through t()), for the methodology page
    has_children: ClassVar[bool] = False
    sign: ClassVar[int] = 1  # -1 for a penalty
    counts_toward_max: ClassVar[bool] = True  # False for bonus and penalty
    depends_on_group: ClassVar[bool] = False  # True where a unit's points depend on the other units' values

    @classmethod
    def from_spec(cls, spec: Spec, max_points: Decimal) -> Rule:
        raise NotImplementedError

    def inputs(self, max_points: Decimal) -> tuple[InputSpec, ...]:
        raise NotImplementedError

    def score(self, columns: Columns, max_points: Decimal) -> np.ndarray:
        raise NotImplementedError

    def describe(self, max_points: Decimal) -> str:
        raise NotImplementedError

    def explain(self, columns: Columns, unit: int, points_micro: int, max_points: Decimal) -> str:
        raise NotImplementedError

    def refused(self, columns: Columns) -> tuple[np.ndarray, str, str] | None:
        """Units whose inputs this rule refuses taken together (a numerator above its denominator), as a mask over
        the units, the input at fault and the fault; None when every unit's inputs are acceptable."""
        return None

    def next_step(self, columns: Columns, unit: int, points_micro: int, max_points: Decimal) -> Improvement | None:
        """The smallest change of this unit's inputs that gains points, in the rule's words; None when no input
        change gains anything (already at max, or a rule that cannot say)."""
        return None


@dataclass(frozen=True)
class DirectRule(Rule):
    """Points assessed directly by the reviewers, 0..max."""

    kind: ClassVar[str] = "direct"
    title: ClassVar[str] = N_("chấm điểm trực tiếp")

    @classmethod
    def from_spec(cls, spec: Spec, max_points: Decimal) -> Rule:
        spec.unknown_keys({"kind"})
        return cls()

    def inputs(self, max_points):
        return (InputSpec("points", "points", "Số điểm", maximum=max_points),)

    def score(self, columns, max_points):
        return columns["points"]

    def describe(self, max_points):
        return t("Chấm điểm trực tiếp từ 0 đến {value} điểm.", value=pts(max_points))

    def explain(self, columns, unit, points_micro, max_points):
        return t("Chấm trực tiếp → {value}", value=_result(points_micro, max_points))

    def next_step(self, columns, unit, points_micro, max_points):
        return _gain(t("đạt mức tối đa {value} điểm", value=pts(max_points)), to_micro(max_points) - points_micro)


@dataclass(frozen=True)
class Step:
    at_least: Decimal
    points: Decimal


@dataclass(frozen=True)
class StepsRule(Rule):
    """A value mapped to points by a table: the highest step whose threshold the value reaches."""

    kind: ClassVar[str] = "steps"
    title: ClassVar[str] = N_("theo bậc")
    steps: tuple[Step, ...]  # highest threshold first
    unit_label: str
    value_label: str
    whole: bool = False  # the value is counted (meetings, documents): a whole number, "3,5 cuộc họp" is refused

    @classmethod
    def from_spec(cls, spec, max_points):
        spec.unknown_keys({"kind", "steps", "unit", "value", "whole"})
        steps = []
        for item in spec.items("steps", label_key="at_least"):
            item.unknown_keys({"at_least", "points"})
            step = Step(item.decimal("at_least"), item.decimal("points"))
            if step.points > max_points:
                raise item.error(t("bậc cho {value} điểm, vượt điểm tối đa {value2}",
                                   value=pts(step.points), value2=pts(max_points)))
            steps.append(step)
        thresholds = [s.at_least for s in steps]
        if len(set(thresholds)) != len(thresholds):
            raise spec.error(t("hai bậc có cùng ngưỡng 'at_least'"))
        steps.sort(key=lambda s: s.at_least, reverse=True)
        return cls(tuple(steps), spec.text("unit", "đơn vị"), spec.text("value", "Giá trị"),
                   spec.boolean("whole", False))

    def inputs(self, max_points):
        return (InputSpec("value", "count" if self.whole else "number", self.value_label),)

    def score(self, columns, max_points):
        value = columns["value"]
        conditions = [value >= s.at_least for s in self.steps]
        choices = [to_micro(s.points) for s in self.steps]
        return np.select(conditions, choices, default=0).astype(np.int64)

    def describe(self, max_points):
        table = "; ".join(t("từ {value} {unit_label} → {value2}",
                            value=num(s.at_least), unit_label=self.unit_label, value2=pts(s.points))
                          for s in self.steps)
        return t("Theo bậc: {table}; thấp hơn → 0 điểm.", table=table)

    def explain(self, columns, unit, points_micro, max_points):
        return t("{value} {unit_label} → {value2}",
                 value=num(columns['value'][unit]), unit_label=self.unit_label,
                 value2=_result(points_micro, max_points))

    def next_step(self, columns, unit, points_micro, max_points):
        value = columns["value"][unit]
        if isinstance(value, np.generic):  # a counted value's column holds int64, which Decimal cannot compare
            value = value.item()
        better = [s for s in self.steps if s.at_least > value and to_micro(s.points) > points_micro]
        if not better:
            return None
        step = min(better, key=lambda s: s.at_least)
        return _gain(t("đạt {value} {unit_label}", value=num(step.at_least), unit_label=self.unit_label),
                     to_micro(step.points) - points_micro)


@dataclass(frozen=True)
class RatioRule(Rule):
    """a ÷ b × max, capped at max; the framework says what b = 0 means."""

    kind: ClassVar[str] = "ratio"
    title: ClassVar[str] = N_("tỷ lệ")
    numerator: str
    denominator: str
    when_zero: Literal["full", "zero", "not_applicable"]
    # a > b is a mistake where a counts part of b (meetings chaired among all meetings), and scores max only where
    # the framework says so (documents signed against documents required).
    above_denominator: Literal["refuse", "cap"] = "refuse"

    @classmethod
    def from_spec(cls, spec, max_points):
        spec.unknown_keys({"kind", "numerator", "denominator", "when_zero", "above_denominator"})
        return cls(spec.text("numerator", "Tử số a"), spec.text("denominator", "Mẫu số b"),
                   spec.choice("when_zero", ("full", "zero", "not_applicable")),
                   spec.choice("above_denominator", ("refuse", "cap"), "refuse"))

    def refused(self, columns):
        if self.above_denominator == "cap":
            return None
        above = np.asarray(columns["a"] > columns["b"], dtype=bool) & columns.applicable
        if not above.any():
            return None
        return above, "a", t("tử số a lớn hơn mẫu số b ({denominator}); kiểm tra lại hai số",
                             denominator=self.denominator)

    def inputs(self, max_points):
        return (InputSpec("a", "number", self.numerator), InputSpec("b", "number", self.denominator))

    def score(self, columns, max_points):
        a, b = columns["a"], columns["b"]
        points = np.zeros(len(a), dtype=np.int64)
        nonzero = b != 0
        capped = np.where(a > b, b, a)
        points[nonzero] = scaled_quotient_micro(capped[nonzero], b[nonzero], to_micro(max_points))
        if self.when_zero == "full":
            points[~nonzero] = to_micro(max_points)
        return points

    def zero_denominator(self, columns: Columns) -> np.ndarray:
        """Units for which b = 0 makes the indicator not applicable (policy ``not_applicable``)."""
        if self.when_zero != "not_applicable":
            return np.zeros(len(columns.applicable), dtype=bool)
        return np.asarray(columns["b"] == 0, dtype=bool)

    def describe(self, max_points):
        zero = {"full": t("{value} điểm",
                          value=pts(max_points)), "zero": t("0 điểm"), "not_applicable": t("không áp dụng")}
        above = {"cap": t("a > b tính tối đa"), "refuse": t("a không được lớn hơn b")}[self.above_denominator]
        return (t("a/b × {value}, tối đa {value}; a: {numerator}; b: {denominator}; khi b = 0: {zero}; {above}.",
                  value=pts(max_points), numerator=self.numerator, denominator=self.denominator,
                  zero=zero[self.when_zero], above=above))

    def explain(self, columns, unit, points_micro, max_points):
        a, b = columns["a"][unit], columns["b"][unit]
        if b == 0:
            return t("{value}/0: mẫu số bằng 0 → {value2}", value=num(a), value2=_result(points_micro, max_points))
        cap = t(" (vượt mẫu số, tính tối đa)") if a > b else ""
        return t("{value}/{value2} × {value3}{cap} → {value4}",
                 value=num(a), value2=num(b), value3=pts(max_points), cap=cap, value4=_result(points_micro, max_points))

    def next_step(self, columns, unit, points_micro, max_points):
        a, b = columns["a"][unit], columns["b"][unit]
        if b == 0 or a >= b:
            return None
        more = np.array([min(a + 1, b)], dtype=object)
        gained = int(scaled_quotient_micro(more, np.array([b], dtype=object), to_micro(max_points))[0])
        return _gain(t("thêm 1 vào “{numerator}” ({value}/{value2})", numerator=self.numerator,
                       value=num(min(a + 1, b)), value2=num(b)), gained - points_micro)


@dataclass(frozen=True)
class RelativeToBestRule(Rule):
    """This unit's value ÷ the best value among the group's applicable units × max."""

    kind: ClassVar[str] = "relative_to_best"
    title: ClassVar[str] = N_("so với đơn vị tốt nhất")
    depends_on_group: ClassVar[bool] = True
    value_label: str

    @classmethod
    def from_spec(cls, spec, max_points):
        spec.unknown_keys({"kind", "value"})
        return cls(spec.text("value", "Giá trị"))

    def inputs(self, max_points):
        return (InputSpec("value", "number", self.value_label),)

    @staticmethod
    def best(columns: Columns):
        applicable = columns["value"][columns.applicable]
        return max(applicable, default=Decimal(0))

    def score(self, columns, max_points):
        value = columns["value"]
        best = self.best(columns)
        if best == 0:
            return np.zeros(len(value), dtype=np.int64)
        return scaled_quotient_micro(value, np.full(len(value), best, dtype=object), to_micro(max_points))

    def describe(self, max_points):
        return (t("{value_label} của đơn vị ÷ giá trị cao nhất trong khối × {value}; khi mọi đơn vị bằng 0 → 0 điểm.",
                  value_label=self.value_label, value=pts(max_points)))

    def explain(self, columns, unit, points_micro, max_points):
        return (t("{value} so với cao nhất khối {value2} → {value3}",
                  value=num(columns['value'][unit]), value2=num(self.best(columns)),
                  value3=_result(points_micro, max_points)))

    def next_step(self, columns, unit, points_micro, max_points):
        best = self.best(columns)
        if columns["value"][unit] >= best:
            return None
        return _gain(t("đạt {value} (bằng đơn vị cao nhất khối)", value=num(best)),
                     to_micro(max_points) - points_micro)


@dataclass(frozen=True)
class CountRule(Rule):
    """n × points each, at most max."""

    kind: ClassVar[str] = "count"
    title: ClassVar[str] = N_("đếm số lượng")
    points_each: Decimal
    unit_label: str

    @classmethod
    def from_spec(cls, spec, max_points):
        spec.unknown_keys({"kind", "points_each", "unit"})
        each = spec.decimal("points_each")
        if each <= 0:
            raise spec.error(t("'points_each' phải lớn hơn 0"))
        return cls(each, spec.text("unit", "đơn vị"))

    def inputs(self, max_points):
        return (InputSpec("count", "count", f"Số {self.unit_label}"),)

    def score(self, columns, max_points):
        return np.minimum(columns["count"] * to_micro(self.points_each), to_micro(max_points))

    def describe(self, max_points):
        return t("Mỗi {unit_label} được {value} điểm, tối đa {value2}.",
                 unit_label=self.unit_label, value=pts(self.points_each), value2=pts(max_points))

    def explain(self, columns, unit, points_micro, max_points):
        n = int(columns["count"][unit])
        return t("{n} {unit_label} × {value} → {value2}",
                 n=n, unit_label=self.unit_label, value=pts(self.points_each), value2=_result(points_micro, max_points))

    def next_step(self, columns, unit, points_micro, max_points):
        return _gain(t("thêm 1 {unit_label}", unit_label=self.unit_label),
                     min(to_micro(self.points_each), to_micro(max_points) - points_micro))


@dataclass(frozen=True)
class YesNoRule(Rule):
    """Max when the condition holds, 0 otherwise."""

    kind: ClassVar[str] = "yes_no"
    title: ClassVar[str] = N_("có/không")
    question: str

    @classmethod
    def from_spec(cls, spec, max_points):
        spec.unknown_keys({"kind", "question"})
        return cls(spec.text("question", "Đạt yêu cầu"))

    def inputs(self, max_points):
        return (InputSpec("value", "boolean", self.question),)

    def score(self, columns, max_points):
        return np.where(columns["value"], to_micro(max_points), 0).astype(np.int64)

    def describe(self, max_points):
        return t("{question}: có → {value} điểm; không → 0 điểm.", question=self.question, value=pts(max_points))

    def explain(self, columns, unit, points_micro, max_points):
        answer = t("Có") if columns["value"][unit] else t("Không")
        return t("{answer} → {value}", answer=answer, value=_result(points_micro, max_points))

    def next_step(self, columns, unit, points_micro, max_points):
        if columns["value"][unit]:
            return None
        return _gain(t("{question}: đạt", question=self.question), to_micro(max_points) - points_micro)


@dataclass(frozen=True)
class Option:
    code: str
    label: str
    points: Decimal


def _options(spec: Spec, key: str, max_points: Decimal, *, must_sum: bool = False) -> tuple[Option, ...]:
    options = []
    for item in spec.items(key):
        item.unknown_keys({"code", "label", "points"})
        option = Option(item.text("code"), item.text("label"), item.decimal("points"))
        if option.points > max_points:
            raise item.error(t("{value} điểm vượt điểm tối đa {value2}",
                               value=pts(option.points), value2=pts(max_points)))
        options.append(option)
    codes = [o.code for o in options]
    duplicate = next((c for c in codes if codes.count(c) > 1), None)
    if duplicate:
        raise spec.error(t("mã '{duplicate}' trùng lặp trong '{key}'", duplicate=duplicate, key=key))
    if must_sum and sum(o.points for o in options) != max_points:
        total = sum(o.points for o in options)
        raise spec.error(t("các phần cộng lại {value} điểm, khác điểm tối đa {value2}",
                           value=pts(total), value2=pts(max_points)))
    return tuple(options)


@dataclass(frozen=True)
class ChoiceRule(Rule):
    """One of several answers, each worth fixed points."""

    kind: ClassVar[str] = "choice"
    title: ClassVar[str] = N_("lựa chọn")
    question: str
    options: tuple[Option, ...]

    @classmethod
    def from_spec(cls, spec, max_points):
        spec.unknown_keys({"kind", "question", "options"})
        return cls(spec.text("question", "Lựa chọn"), _options(spec, "options", max_points))

    def inputs(self, max_points):
        return (InputSpec("choice", "choice", self.question, tuple(o.code for o in self.options)),)

    def score(self, columns, max_points):
        choice = columns["choice"]
        return np.select([choice == o.code for o in self.options],
                         [to_micro(o.points) for o in self.options], default=0).astype(np.int64)

    def describe(self, max_points):
        return f"{self.question}: " + "; ".join(t("{label} → {value}",
                                                  label=o.label, value=pts(o.points)) for o in self.options) + "."

    def explain(self, columns, unit, points_micro, max_points):
        option = next(o for o in self.options if o.code == columns["choice"][unit])
        return t("{label} → {value}", label=option.label, value=_result(points_micro, max_points))

    def next_step(self, columns, unit, points_micro, max_points):
        better = [o for o in self.options if to_micro(o.points) > points_micro]
        if not better:
            return None
        option = min(better, key=lambda o: o.points)  # the next answer up, not the hardest
        return _gain(option.label, to_micro(option.points) - points_micro)


@dataclass(frozen=True)
class PartsRule(Rule):
    """Additive parts: each condition met adds its points; the parts add up to max."""

    kind: ClassVar[str] = "parts"
    title: ClassVar[str] = N_("cộng điểm từng phần")
    parts: tuple[Option, ...]

    @classmethod
    def from_spec(cls, spec, max_points):
        spec.unknown_keys({"kind", "parts"})
        return cls(_options(spec, "parts", max_points, must_sum=True))

    def inputs(self, max_points):
        return tuple(InputSpec(p.code, "boolean", p.label) for p in self.parts)

    def score(self, columns, max_points):
        total = np.zeros(len(columns.applicable), dtype=np.int64)
        for part in self.parts:
            total += np.where(columns[part.code], to_micro(part.points), 0)
        return total

    def describe(self, max_points):
        listing = "; ".join(t("{label} → {value}", label=p.label, value=pts(p.points)) for p in self.parts)
        return t("Cộng điểm các phần đạt: ") + listing + "."

    def explain(self, columns, unit, points_micro, max_points):
        met = [p.label for p in self.parts if columns[p.code][unit]]
        what = t("đạt: ") + "; ".join(met) if met else t("không đạt phần nào")
        return t("{what} → {value}", what=what, value=_result(points_micro, max_points))

    def next_step(self, columns, unit, points_micro, max_points):
        missing = [p for p in self.parts if not columns[p.code][unit] and p.points > 0]
        if not missing:
            return None
        part = max(missing, key=lambda p: p.points)  # parts are independent: the one worth most first
        return _gain(t("đạt thêm: {label}", label=part.label), to_micro(part.points))


@dataclass(frozen=True)
class HighestCaseRule(Rule):
    """Several cases may apply; the unit gets the points of the best one."""

    kind: ClassVar[str] = "highest_case"
    title: ClassVar[str] = N_("trường hợp cao nhất")
    cases: tuple[Option, ...]

    @classmethod
    def from_spec(cls, spec, max_points):
        spec.unknown_keys({"kind", "cases"})
        return cls(_options(spec, "cases", max_points))

    def inputs(self, max_points):
        return tuple(InputSpec(c.code, "boolean", c.label) for c in self.cases)

    def score(self, columns, max_points):
        best = np.zeros(len(columns.applicable), dtype=np.int64)
        for case in self.cases:
            best = np.maximum(best, np.where(columns[case.code], to_micro(case.points), 0))
        return best

    def describe(self, max_points):
        listing = "; ".join(t("{label} → {value}", label=c.label, value=pts(c.points)) for c in self.cases)
        return t("Lấy trường hợp cao nhất áp dụng: ") + listing + t("; không trường hợp nào → 0.")

    def explain(self, columns, unit, points_micro, max_points):
        applying = [c for c in self.cases if columns[c.code][unit]]
        if not applying:
            return t("không trường hợp nào áp dụng → {value}", value=_result(points_micro, max_points))
        best = max(applying, key=lambda c: c.points)
        return t("trường hợp cao nhất: {label} → {value}", label=best.label, value=_result(points_micro, max_points))

    def next_step(self, columns, unit, points_micro, max_points):
        better = [c for c in self.cases if to_micro(c.points) > points_micro]
        if not better:
            return None
        case = min(better, key=lambda c: c.points)
        return _gain(case.label, to_micro(case.points) - points_micro)


@dataclass(frozen=True)
class SumRule(Rule):
    """The sum of the sub-indicators' points (bonus added, penalty subtracted)."""

    kind: ClassVar[str] = "sum"
    title: ClassVar[str] = N_("tổng các chỉ số con")
    has_children: ClassVar[bool] = True

    @classmethod
    def from_spec(cls, spec, max_points):
        spec.unknown_keys({"kind"})
        return cls()

    def inputs(self, max_points):
        return ()

    def describe(self, max_points):
        return t("Tổng điểm các chỉ số con, tối đa {value}.", value=pts(max_points))


@dataclass(frozen=True)
class AdjustmentRule(Rule):
    """Bonus or penalty points: entered directly, or n × points each; capped at the indicator's max.

    They sit beside the regular indicators and do not count toward the parent's maximum; a pillar's
    points never fall below 0 because of a penalty.
    """

    counts_toward_max: ClassVar[bool] = False
    points_each: Decimal | None
    unit_label: str

    @classmethod
    def from_spec(cls, spec, max_points):
        spec.unknown_keys({"kind", "points_each", "unit"})
        each = spec.decimal("points_each", None)
        if each is not None and each <= 0:
            raise spec.error(t("'points_each' phải lớn hơn 0"))
        return cls(each, spec.text("unit", "lần"))

    def inputs(self, max_points):
        if self.points_each is None:
            return (InputSpec("points", "points", "Số điểm", maximum=max_points),)
        return (InputSpec("count", "count", f"Số {self.unit_label}"),)

    def score(self, columns, max_points):
        if self.points_each is None:
            return DirectRule().score(columns, max_points)
        return CountRule(self.points_each, self.unit_label).score(columns, max_points)

    def describe(self, max_points):
        how = (t("mỗi {unit_label} {value} điểm",
                 unit_label=self.unit_label, value=pts(self.points_each)) if self.points_each is not None
               else t("chấm trực tiếp"))
        return t("{value}: {how}, tối đa {value2} điểm.",
                 value=t(self.title).capitalize(), how=how, value2=pts(max_points))

    def explain(self, columns, unit, points_micro, max_points):
        sign = "+" if self.sign > 0 else "−"
        amount = t("{sign}{value} điểm (tối đa {value2})",
                   sign=sign, value=pts(Decimal(points_micro) / MICRO), value2=pts(max_points))
        if self.points_each is None:
            return f"{self.title.capitalize()}: {amount}"
        n = int(columns["count"][unit])
        return t("{value}: {n} {unit_label} × {value2} → {amount}",
                 value=t(self.title).capitalize(), n=n, unit_label=self.unit_label, value2=pts(self.points_each),
                 amount=amount)

    def next_step(self, columns, unit, points_micro, max_points):
        if self.points_each is None:
            return None
        if self.sign < 0:
            # The fewest fewer counts that lower the penalty: one, unless the penalty is held at its cap, where
            # the count must fall below the cap first (9 violations × 2 capped at 10: 5 fewer gain 2 points).
            count, each, cap = int(columns["count"][unit]), to_micro(self.points_each), to_micro(max_points)
            if count == 0:
                return None
            remaining = min(count - 1, (cap - 1) // each)
            fewer = count - remaining
            action = (t("bớt 1 {unit_label}", unit_label=self.unit_label) if fewer == 1 else
                      t("bớt {count} {unit_label}", count=fewer, unit_label=self.unit_label))
            return _gain(action, points_micro - remaining * each)
        return _gain(t("thêm 1 {unit_label}", unit_label=self.unit_label),
                     min(to_micro(self.points_each), to_micro(max_points) - points_micro))


@dataclass(frozen=True)
class BonusRule(AdjustmentRule):
    kind: ClassVar[str] = "bonus"
    title: ClassVar[str] = N_("điểm thưởng")


@dataclass(frozen=True)
class PenaltyRule(AdjustmentRule):
    kind: ClassVar[str] = "penalty"
    title: ClassVar[str] = N_("điểm trừ")
    sign: ClassVar[int] = -1


def _elementwise_min(*args):
    return _fold(np.minimum, args) if any(isinstance(a, np.ndarray) for a in args) else min(args)


def _elementwise_max(*args):
    return _fold(np.maximum, args) if any(isinstance(a, np.ndarray) for a in args) else max(args)


def _fold(function, args):
    result = args[0]
    for arg in args[1:]:
        result = function(result, arg)
    return result


def _if(condition, when_true, when_false):
    if isinstance(condition, np.ndarray):
        return np.where(condition.astype(bool), when_true, when_false)
    return when_true if condition else when_false


class _DecimalEval(SimpleEval):
    """simpleeval over Decimal values (or object arrays of them): literals become Decimal, no floats."""

    def _eval_constant(self, node):
        value = node.value
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise InvalidExpression(f"chỉ dùng được số trong công thức, gặp {value!r}")
        try:
            return read_number(value)
        except NumberError as exc:
            raise InvalidExpression(f"hằng số {value!r}: {exc.fault}") from None


_FORMULA_OPERATORS = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv,
    ast.USub: operator.neg, ast.UAdd: operator.pos,
    ast.Gt: operator.gt, ast.GtE: operator.ge, ast.Lt: operator.lt, ast.LtE: operator.le,
    ast.Eq: operator.eq, ast.NotEq: operator.ne,
}
_FORMULA_FUNCTIONS = {"min": _elementwise_min, "max": _elementwise_max, "neu": _if}


class FormulaError(ValueError):
    pass


@dataclass(frozen=True)
class FormulaRule(Rule):
    """Points from an arithmetic expression over named inputs, evaluated safely (never ``eval``).

    Allowed: numbers, the inputs' names, + - * /, comparisons, min(…), max(…), neu(điều kiện, a, b).
    The result is limited to 0..max.
    """

    kind: ClassVar[str] = "formula"
    title: ClassVar[str] = N_("công thức")
    expression: str
    variables: tuple[tuple[str, str], ...]  # (name, label)

    @classmethod
    def from_spec(cls, spec, max_points):
        spec.unknown_keys({"kind", "expression", "inputs"})
        expression = spec.text("expression")
        inputs = spec.child("inputs") if spec.has("inputs") else None
        if inputs is None or not inputs.mapping():
            raise spec.error(t("công thức cần ít nhất một đầu vào trong 'inputs' (tên: mô tả)"))
        variables = []
        for name, label in inputs.mapping().items():
            if not isinstance(name, str) or not name.isidentifier() or name in _FORMULA_FUNCTIONS:
                raise inputs.error(t("tên đầu vào '{name}' không dùng được trong công thức", name=name))
            variables.append((name, str(label)))
        rule = cls(expression, tuple(variables))
        try:  # a trial run with every input at 1 finds syntax errors and unknown names now, not at scoring time
            rule.evaluate({name: Decimal(1) for name, _ in variables})
        except FormulaError as exc:
            raise spec.error(t("công thức '{expression}' không hợp lệ: {exc}",
                               expression=expression, exc=exc)) from None
        return rule

    def evaluate(self, names: dict):
        evaluator = _DecimalEval(operators=_FORMULA_OPERATORS, functions=_FORMULA_FUNCTIONS, names=names)
        try:
            with localcontext(EXACT) as context:
                context.traps[DivisionByZero] = True
                return evaluator.eval(self.expression)
        except (DivisionByZero, InvalidOperation, ZeroDivisionError):
            raise FormulaError("chia cho 0") from None
        except (InvalidExpression, SyntaxError, TypeError, KeyError) as exc:
            raise FormulaError(str(exc) or type(exc).__name__) from None

    def inputs(self, max_points):
        return tuple(InputSpec(name, "number", label) for name, label in self.variables)

    def score(self, columns, max_points):
        names = {name: columns[name] for name, _ in self.variables}
        n = len(columns.applicable)
        result = self.evaluate(names)  # the whole column at once; errors are pinned to a unit by the caller
        if not isinstance(result, np.ndarray):
            result = np.full(n, result, dtype=object)
        if any(type(v) is not Decimal for v in result):  # a comparison or a bare name can yield bool or int
            result = np.array([Decimal(int(v)) if isinstance(v, bool | np.bool_) else Decimal(v) for v in result],
                              dtype=object)
        return np.clip(micro_column(result), 0, to_micro(max_points))

    def describe(self, max_points):
        names = "; ".join(f"{name}: {label}" for name, label in self.variables)
        return t("Công thức {expression} ({names}), giới hạn 0..{value}.",
                 expression=self.expression, names=names, value=pts(max_points))

    def explain(self, columns, unit, points_micro, max_points):
        values = ", ".join(f"{name} = {num(columns[name][unit])}" for name, _ in self.variables)
        return t("{expression} với {values} → {value}",
                 expression=self.expression, values=values, value=_result(points_micro, max_points))


RULE_KINDS: dict[str, type[Rule]] = {
    rule.kind: rule
    for rule in (StepsRule, RatioRule, RelativeToBestRule, CountRule, YesNoRule, ChoiceRule, PartsRule,
                 HighestCaseRule, SumRule, DirectRule, BonusRule, PenaltyRule, FormulaRule)
}


def rule_from_spec(spec: Spec, max_points: Decimal) -> Rule:
    kind = spec.text("kind")
    if kind not in RULE_KINDS:
        raise spec.error(t("loại quy tắc không xác định '{kind}' (hợp lệ: {value})",
                           kind=kind, value=', '.join(RULE_KINDS)))
    return RULE_KINDS[kind].from_spec(spec, max_points)
