"""Exact points: fixed-point micro-points inside the engine, Decimal outside, one display helper.

Points are stored as integers counting millionths of a point (``MICRO``). Sums, ranks and grades are
therefore exact and identical on every machine; a binary float would print the Bắc Ninh district
declared average 4958.52 / 8 = 619.815 as 619.81 instead of the published 619.82.

A rule whose result has more than six decimals (a ratio such as 2/3 × 20) is fixed to micro-points
once, half up, where the indicator is scored; everything above it is exact integer arithmetic.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation, localcontext

import numpy as np

from .i18n import t

MICRO = 1_000_000
DECIMALS = 6
# Enough digits that a quotient of two exact decimals is never rounded before we round it ourselves.
EXACT = Context(prec=60, rounding=ROUND_HALF_UP)


def to_micro(value: Decimal | int | str) -> int:
    """Micro-points of a value; refuses values that are not exact to six decimals."""
    number = Decimal(value)
    micro = number.scaleb(DECIMALS)
    if micro != micro.to_integral_value():
        raise ValueError(t("{value} có quá {DECIMALS} chữ số thập phân", value=f"{number:f}", DECIMALS=DECIMALS))
    return int(micro)


def round_to_micro(value: Decimal | int) -> int:
    """Micro-points of an exact number, rounded half up (away from zero on a tie)."""
    # scaleb and to_integral_value are exact and take the rounding explicitly: no context is needed.
    return int(Decimal(value).scaleb(DECIMALS).to_integral_value(rounding=ROUND_HALF_UP))


def from_micro(micro: int | np.integer) -> Decimal:
    """Exact Decimal of a micro-point count, without trailing zeros beyond the integer part."""
    value = Decimal(int(micro)).scaleb(-DECIMALS)
    return normalized(value)


def normalized(value: Decimal) -> Decimal:
    """The same number with no trailing fractional zeros and never in exponent form (1E+2 → 100)."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def exact_quotient(numerator: int | Decimal, denominator: int | Decimal) -> Decimal:
    """numerator ÷ denominator with 60 significant digits: exact whenever the quotient terminates."""
    with localcontext(EXACT):
        return normalized(Decimal(numerator) / Decimal(denominator))


def round_half_up(value: Decimal, places: int = 2) -> Decimal:
    """The one rounding used for display: half up on the decimal value, as officials' spreadsheets do."""
    with localcontext(EXACT):
        try:
            return Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        except InvalidOperation as exc:  # only for absurdly large values (more than 60 digits)
            raise ValueError(t("không làm tròn được {value}", value=value)) from exc


def format_points(value: Decimal | None, places: int = 2, decimal_mark: str = ".") -> str:
    """Points for people: half up to ``places`` decimals (619.815 → '619.82'); '' for no value."""
    if value is None:
        return ""
    return f"{round_half_up(value, places):f}".replace(".", decimal_mark)


# How each language writes a number: its thousands separator, then its decimal mark. A Vietnamese reader takes
# "1,000" for one and "804,54" for a decimal, so Vietnamese pages write 1.000 and 804,54; English pages 1,000 and
# 804.54. The decision's own tables keep the decision's convention (format_points).
NUMBER_MARKS = {"vi": (".", ","), "en": (",", ".")}


def format_number(value: Decimal | int | None, places: int = 2, language: str = "vi") -> str:
    """A number for a page in ``language``: half up to ``places`` decimals, thousands marked (vi 1.234,50;
    en 1,234.50); '' for no value."""
    if value is None:
        return ""
    thousands, decimal = NUMBER_MARKS.get((language or "vi")[:2], NUMBER_MARKS["vi"])
    text = f"{round_half_up(Decimal(value), places):,.{places}f}"
    return text.replace(",", "\0").replace(".", decimal).replace("\0", thousands)


def format_percent(share: Decimal | None, language: str = "vi") -> str:
    """A share 0..1 as a percent with one decimal, in ``language``: 0.6631 → 66,3% (vi), 66.3% (en)."""
    return "" if share is None else f"{format_number(Decimal(share) * 100, 1, language)}%"


def pts_text(value: Decimal | int) -> str:
    """Points in a Vietnamese sentence: at most two decimals, decimal comma, no trailing zeros (13,33; 12,5; 20)."""
    return format_points(Decimal(value), 2, ",").rstrip("0").rstrip(",")  # always two decimals before stripping


def micro_column(values: np.ndarray) -> np.ndarray:
    """int64 micro-points of an object array of exact numbers, each rounded half up."""
    return np.fromiter((round_to_micro(v) for v in values), dtype=np.int64, count=len(values))


def scaled_quotient_micro(numerator: np.ndarray, denominator: np.ndarray, scale_micro: int) -> np.ndarray:
    """round_half_up(numerator × scale ÷ denominator) in micro-points, exact, for arrays of exact numbers.

    ``numerator`` and ``denominator`` are object arrays of Decimal (or ints), ``denominator`` non-zero.
    Decimal arithmetic at 60 digits is exact for every terminating quotient and never lands on a
    tie otherwise, so the half-up rounding matches exact rational arithmetic.
    """
    if numerator.size == 0:
        return np.zeros(0, dtype=np.int64)
    with localcontext(EXACT):
        scaled = numerator * Decimal(scale_micro) / denominator
        return np.fromiter(
            (int(v.to_integral_value(rounding=ROUND_HALF_UP)) for v in scaled),
            dtype=np.int64,
            count=scaled.size,
        )
