"""What a group's units give the engine, and the checks every input value passes.

Inputs are column-wise: for each indicator and each of its rule's inputs, one value per unit, in the
order of the group's unit list. A whole column is checked at once (numpy arrays are checked with
array operations; values read from files one by one), and the first bad value raises an
``InputError`` that names the unit, the indicator, the input and the value.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np

from .errors import InputError
from .i18n import t
from .numbers import NumberError, read_number
from .points import MICRO, round_to_micro
from .rules import InputSpec

TRUE_WORDS = {"true", "yes", "y", "1", "có", "co", "x", "đạt", "dat"}
FALSE_WORDS = {"false", "no", "n", "0", "không", "khong", "", "không đạt", "khong dat"}


@dataclass(frozen=True)
class UnitEntry:
    """A unit taking part in a group. A unit that is not ranked is scored but neither ranked nor graded."""

    name: str
    ranked: bool = True


@dataclass
class StageInputs:
    """One stage's inputs (declared or reviewed) for all units of a group, one entry per unit.

    ``values``: indicator code → input name → values (None where missing).
    ``not_applicable``: indicator code → flags, for units that declared the indicator not applicable.
    ``pillar_points``: pillar code → points given for the pillar as a whole (published pillar-level
    results); None where the pillar is to be scored from its indicators.
    ``indicator_points``: leaf indicator code → points a reviewer gave directly, instead of the rule's, within
    0..max; None where the rule scores the inputs.
    ``totals``: published totals, used instead of the pillar sum when given; each is checked against the
    pillar sum within ``total_tolerance`` and any difference beyond it is reported.
    """

    values: Mapping[str, Mapping[str, Sequence]] = field(default_factory=dict)
    not_applicable: Mapping[str, Sequence[bool]] = field(default_factory=dict)
    pillar_points: Mapping[str, Sequence[Decimal | None]] = field(default_factory=dict)
    indicator_points: Mapping[str, Sequence[Decimal | None]] = field(default_factory=dict)
    totals: Sequence[Decimal | None] | None = None
    total_tolerance: Decimal = Decimal(0)


def parse_boolean(value) -> bool | None:
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        word = value.strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS and word:
            return False
    return None


def _neutral(spec: InputSpec):
    return {"count": 0, "number": Decimal(0), "boolean": False, "choice": spec.choices[0] if spec.choices else "",
            "points": 0}[spec.kind]


def check_column(raw, spec: InputSpec, needed: np.ndarray, units: Sequence[UnitEntry], indicator: str) -> np.ndarray:
    """The validated column of one input; entries where ``needed`` is False get a neutral value."""
    n = len(units)
    if raw is None:
        raw = [None] * n
    if len(raw) != n:
        raise ValueError(t("chỉ số {indicator}, đầu vào {name}: {value} giá trị cho {n} đơn vị",
                           indicator=indicator, name=spec.name, value=len(raw), n=n))
    if isinstance(raw, np.ndarray) and raw.dtype != object:
        return _check_array(raw, spec, needed, units, indicator)

    def fail(i, value, fault):
        raise InputError(units[i].name, indicator, spec.name, value, fault)

    dtype = {"boolean": bool, "count": np.int64, "points": np.int64}.get(spec.kind, object)
    out = np.empty(n, dtype=dtype)
    neutral = _neutral(spec)
    for i, value in enumerate(raw):
        if not needed[i]:
            out[i] = neutral
            continue
        if value is None or (isinstance(value, str) and not value.strip() and spec.kind != "boolean"):
            fail(i, value, t("thiếu giá trị ({label})", label=spec.label))
        out[i] = _parse(value, spec, lambda fault, i=i, value=value: fail(i, value, fault))
    return out


def _parse(value, spec: InputSpec, fail):
    if spec.kind == "boolean":
        parsed = parse_boolean(value)
        if parsed is None:
            fail(t("cần có/không"))
        return parsed
    if spec.kind == "choice":
        text = str(value).strip()
        if text not in spec.choices:
            fail(t("cần một trong: {value}", value=', '.join(spec.choices)))
        return text
    try:
        number = read_number(value)
    except NumberError as exc:
        fail(exc.fault)
    if number < 0:
        fail(t("không được âm"))
    if spec.kind == "count":
        if number != number.to_integral_value():
            fail(t("cần một số nguyên"))
        return int(number)
    if spec.kind == "points":
        if spec.maximum is not None and number > spec.maximum:
            fail(t("vượt điểm tối đa {maximum}", maximum=spec.maximum))
        return round_to_micro(number)
    return number


def _check_array(raw: np.ndarray, spec: InputSpec, needed: np.ndarray, units, indicator) -> np.ndarray:
    """Checks of a typed numpy column, done with array operations (the fast path for large groups)."""

    def first_bad(bad: np.ndarray, fault: str):
        bad = bad & needed
        if bad.any():
            i = int(np.argmax(bad))
            raise InputError(units[i].name, indicator, spec.name, raw[i].item(), fault)

    kind = raw.dtype.kind
    if spec.kind == "boolean":
        if kind != "b":
            first_bad(np.ones(len(raw), dtype=bool), "cần có/không")
        return raw.astype(bool)
    if spec.kind == "choice":
        first_bad(~np.isin(raw, spec.choices), f"cần một trong: {', '.join(spec.choices)}")
        return np.where(needed, raw, spec.choices[0]).astype(object)
    if kind not in "iu":
        # Binary floats are refused: they cannot carry exact points (give Decimal or text instead).
        first_bad(np.ones(len(raw), dtype=bool), "cần số nguyên hoặc số thập phân chính xác (không dùng float)")
    first_bad(raw < 0, "không được âm")
    if spec.kind == "points" and spec.maximum is not None:
        first_bad(raw > int(spec.maximum) if spec.maximum == int(spec.maximum) else raw.astype(object) > spec.maximum,
                  f"vượt điểm tối đa {spec.maximum}")
    column = np.where(needed, raw, 0).astype(np.int64)
    if spec.kind == "count":
        return column
    if spec.kind == "points":
        return column * MICRO
    # Rules compute with Decimal so that a / b never becomes a binary float.
    decimals = np.empty(len(column), dtype=object)
    decimals[:] = [Decimal(v) for v in column.tolist()]
    return decimals
