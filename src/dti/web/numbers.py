"""Numbers on pages, in the language of the request: the one place pages, messages and charts' data labels get
their numbers written (the marks themselves are the engine's, ``dti.engine.points.NUMBER_MARKS``)."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import get_language

from dti.engine.points import format_number, format_percent


def language() -> str:
    return (get_language() or "vi")[:2]


def number(value: Decimal | int | None, places: int = 2) -> str:
    """804,54 on a Vietnamese page, 804.54 on an English one; 1.000 and 1,000."""
    return format_number(value, places, language())


def percent(share: Decimal | None) -> str:
    """A share 0..1: 66,3% on a Vietnamese page, 66.3% on an English one."""
    return format_percent(share, language())


def signed(change: Decimal | int | None, places: int = 2) -> str:
    """A change: +12,50, −3,00, 0,00 (a true minus sign)."""
    if change is None:
        return ""
    shown = number(abs(Decimal(change)), places)
    if shown == number(0, places):
        return shown
    return f"+{shown}" if change > 0 else f"−{shown}"
