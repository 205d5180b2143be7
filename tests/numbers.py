"""Numbers as the pages write them, for tests that read pages (dti.web.numbers, which needs a request's
language, writes the same)."""

from decimal import Decimal

from dti.engine.points import format_number


def on_page(value, places: int = 2, language: str = "vi") -> str:
    """804,54 on a Vietnamese page, 804.54 on an English one."""
    return format_number(Decimal(str(value)), places, language)


def from_page(text: str) -> Decimal:
    """A number a Vietnamese page shows, read back."""
    return Decimal(text.replace(".", "").replace(",", "."))
