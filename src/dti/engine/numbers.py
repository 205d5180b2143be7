"""The one reader of numbers that people type and files hold, Vietnamese conventions first.

Vietnamese officials group thousands with a dot and mark decimals with a comma ("1.000" is one thousand,
"12,5" twelve and a half), while the published tables print decimals with a dot (929.35) and spreadsheets
exported in English group with commas. A number is read only where every reading its writer could have meant
gives the same value:

- "12,5", "490.31", "0,125", "1234.567": one mark that cannot be grouping (not exactly three digits after it,
  or more than three before it) is the decimal mark;
- "1.000.000", "1,000,000", "1 000 000": a mark used twice or more groups thousands;
- "1.000,5" and "1,000.5": both marks, the last one is the decimal mark;
- "1.000", "1,200", "12.500": one mark followed by exactly three digits could be either — refused, with both
  readings named, so the writer types 1000 or 1 instead.

Refused as well: exponents ("1e3"), digits other than 0–9 ("４", "٤"), anything but a plain sign, digits and
marks, and more digits than any indicator holds. Because the text is bounded before it becomes a ``Decimal``,
no later arithmetic can be made to run for minutes (``Decimal("1e999999999")`` converted to an integer does).
"""

from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from numbers import Integral

from .errors import DtiError
from .i18n import t

# Whole digits and decimals a value may have: 10^15 is beyond any count, any denominator and any points, and
# keeps a × b × 10^6 within the 60 digits the exact arithmetic works with.
MAX_WHOLE_DIGITS = 15
MAX_DECIMALS = 10
MAX_LENGTH = 40

GROUP_SPACES = " \u00a0\u202f"  # space, no-break space, narrow no-break space (Word's thousands separator)
_SHAPE = re.compile(r"-?[0-9.,\u0020\u00a0\u202f]+")
_GROUPED = re.compile(r"[0-9]{1,3}([.,\u0020\u00a0\u202f][0-9]{3})+")


class NumberError(DtiError, ValueError):
    """A value that cannot be read safely as a number; ``fault`` says why, in Vietnamese."""

    def __init__(self, value, fault: str):
        self.value, self.fault = value, fault
        super().__init__(fault)


class NumberText(str):
    """The text of a number that a file stored as a number (a spreadsheet's numeric cell): it travels as text with
    the rest of its row, and reads as the number itself, so that a cell holding 12.125 is never taken for the
    typed "12.125" (twelve thousand, or refused)."""

    number: Decimal

    def __new__(cls, number: Decimal):
        text = super().__new__(cls, f"{number:f}")
        text.number = number
        return text


def read_number(value) -> Decimal:
    """The exact value of a typed or stored number, or NumberError naming the fault.

    Accepts text, int, Decimal and the binary floats that spreadsheet and YAML readers produce. A float is taken
    at the 15 significant digits a spreadsheet shows (70.00000000000001 is the 70 its writer saw), then to at most
    ``MAX_DECIMALS`` decimals, half up.
    """
    if isinstance(value, NumberText):
        return value.number
    if isinstance(value, bool) or value is None:
        raise NumberError(value, t("cần một số"))
    if isinstance(value, Integral):
        return _bounded(value, Decimal(int(value)))
    if isinstance(value, float):
        if not math.isfinite(value):
            raise NumberError(value, t("cần một số hữu hạn"))
        if abs(value) >= 10**MAX_WHOLE_DIGITS:
            raise _too_large(value)
        shown = Decimal(f"{value:.15g}")
        exponent = shown.as_tuple().exponent  # an int: a finite float's digits are finite
        if isinstance(exponent, int) and exponent < -MAX_DECIMALS:
            shown = shown.quantize(Decimal(1).scaleb(-MAX_DECIMALS), rounding=ROUND_HALF_UP).normalize()
        return _bounded(value, shown)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise NumberError(value, t("cần một số hữu hạn"))
        return _bounded(value, value)
    if not isinstance(value, str):
        raise NumberError(value, t("cần một số"))
    return _read_text(value)


# Scoring a national period reads the same few texts ("1", "12,5", "có" …) hundreds of thousands of times: each
# is read once. Only what is read is kept (a refusal is raised afresh, in the reader's language); a Decimal is
# immutable, so one may be shared.
@lru_cache(maxsize=8192)
def _read_text(value: str) -> Decimal:
    text = value.strip()
    if not text:
        raise NumberError(value, t("cần một số"))
    if len(text) > MAX_LENGTH:
        raise NumberError(value, t("quá dài ({n} ký tự) để là một số", n=len(text)))
    foreign = next((c for c in text if c.isdigit() and c not in "0123456789"), None)
    if foreign is not None:
        raise NumberError(value, t("chỉ dùng chữ số 0–9 (gặp “{char}”)", char=foreign))
    if "e" in text.lower() and any(c.isdigit() for c in text):
        raise NumberError(value, t("không dùng dạng lũy thừa như 1e3: viết đủ các chữ số"))
    if not _SHAPE.fullmatch(text):
        raise NumberError(value, t("cần một số (chỉ gồm chữ số, dấu phẩy thập phân và dấu chấm phân nghìn)"))
    negative = text.startswith("-")
    body = text[1:] if negative else text
    whole, decimals = _split(value, body)
    if not whole or not whole.isdigit() or (decimals is not None and not decimals.isdigit()):
        raise NumberError(value, t("cần một số (chỉ gồm chữ số, dấu phẩy thập phân và dấu chấm phân nghìn)"))
    digits = whole + ("." + decimals if decimals else "")
    return _bounded(value, Decimal(("-" if negative else "") + digits))


def _split(value: str, body: str) -> tuple[str, str | None]:
    """The whole digits and the decimals of an unsigned number, every grouping mark removed."""
    if not any(c in ".," or c in GROUP_SPACES for c in body):
        return body, None
    points, commas = body.count("."), body.count(",")
    if points and commas:
        decimal_mark = "." if body.rfind(".") > body.rfind(",") else ","
        if body.count(decimal_mark) > 1:
            raise NumberError(value, t("dấu thập phân “{mark}” xuất hiện nhiều lần", mark=decimal_mark))
        whole, decimals = body.rsplit(decimal_mark, 1)
        return _ungrouped(value, whole), decimals
    mark = "." if points else "," if commas else None
    if mark is None:  # spaces only
        return _ungrouped(value, body), None
    whole, _, decimals = body.rpartition(mark)
    if body.count(mark) > 1:  # a mark used twice groups thousands: 1.000.000
        return _ungrouped(value, body), None
    ungrouped = _ungrouped(value, whole) if any(c in GROUP_SPACES for c in whole) else whole
    could_group = len(decimals) == 3 and 1 <= len(whole) <= 3 and not whole.startswith("0")
    if could_group and ungrouped == whole:
        thousands, fraction = whole + decimals, f"{whole},{decimals.rstrip('0')}".rstrip(",")
        raise NumberError(value, t("“{text}” có hai cách đọc: {thousands} (dấu “{mark}” phân nghìn) hoặc "
                                   "{fraction} (dấu “{mark}” thập phân); hãy nhập {thousands} hoặc {fraction}",
                                   text=value.strip(), thousands=thousands, fraction=fraction, mark=mark))
    return ungrouped, decimals  # "1 000,5" and "1 000.5": spaces group, the mark is the decimal mark


def _ungrouped(value: str, whole: str) -> str:
    """Whole digits written with thousands grouping (one kind of mark, groups of three), marks removed."""
    if not _GROUPED.fullmatch(whole):
        raise NumberError(value, t("nhóm chữ số không đúng: dấu phân nghìn phải tách từng nhóm ba chữ số"))
    separators = {c for c in whole if not c.isdigit()}
    if len(separators) > 1 and not separators <= set(GROUP_SPACES):
        raise NumberError(value, t("nhóm chữ số không đúng: dùng một loại dấu phân nghìn"))
    return "".join(c for c in whole if c.isdigit())


def _bounded(value, number: Decimal) -> Decimal:
    exponent = number.as_tuple().exponent
    whole_digits = number.adjusted() + 1 if number else 1
    if whole_digits > MAX_WHOLE_DIGITS:
        raise _too_large(value)
    if isinstance(exponent, int) and -exponent > MAX_DECIMALS and number != number.quantize(
            Decimal(1).scaleb(-MAX_DECIMALS)):
        raise NumberError(value, t("quá {n} chữ số thập phân", n=MAX_DECIMALS))
    return number


def _too_large(value) -> NumberError:
    return NumberError(value, t("quá lớn: tối đa {n} chữ số phần nguyên", n=MAX_WHOLE_DIGITS))


def number_text(value: Decimal | int) -> str:
    """A number written back exactly as it was read, in a form the reader takes one way only: the Vietnamese
    decimal comma and no thousands grouping (1000, 1234,5), since "1.000" is the writing it refuses."""
    text = f"{Decimal(value):f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")
