"""Template filters for numbers and grades; rounding itself is the engine's one helper."""

from decimal import Decimal

from django import template

from dti.documents.analysis_output import signed_change
from dti.web import names, numbers

register = template.Library()


@register.filter
def points(value: Decimal | None) -> str:
    """Two decimals, rounded half up, with the marks of the page's language: 804,54 (vi), 804.54 (en)."""
    return numbers.number(value)


@register.filter
def whole(count: int | None) -> str:
    """A count with the thousands marked as the page's language writes them: 3.321 in Vietnamese (where 3,321
    would read as a fraction), 3,321 in English."""
    return "" if count is None else numbers.number(int(count), 0)


@register.filter
def lookup(mapping: dict | None, key):
    """mapping[key], or None (templates cannot index a dict by a variable)."""
    return (mapping or {}).get(key)


@register.filter
def percent(share: Decimal | None) -> str:
    """A share 0..1 as a percent with one decimal, rounded half up: 78,9% (vi), 78.9% (en)."""
    return numbers.percent(share)


@register.filter
def slug(value: str) -> str:
    return names.css_key(value)


@register.filter
def describe(rule, max_points) -> str:
    """A rule in words, for the framework tree and the methodology page."""
    return rule.describe(max_points)


@register.filter
def within(sentence: str, glossary=None):
    """A sentence in the page's language with the framework's texts inside it in the reader's language, or
    marked as Vietnamese (dti.web.names.within)."""
    return names.within(sentence, glossary)


@register.filter(name="named")
def named_filter(value, glossary=None):
    """A name from the data in the reader's language, or marked as Vietnamese (dti.web.names)."""
    return names.named(value, glossary)


@register.filter(name="name_text")
def name_text_filter(value, glossary=None) -> str:
    """The same without markup, for titles and attributes."""
    return names.name_text(value, glossary)


@register.filter
def css_id(value: str) -> str:
    """An indicator code as an HTML id that CSS selectors accept (1.2 → i-1_2)."""
    return "i-" + "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in str(value))


@register.filter
def signed(change: int | None) -> str:
    """A change of rank: +2 (up), −1 (down), 0."""
    return "" if change is None else signed_change(change)


@register.filter(name="signed_points")
def signed_points_filter(change: Decimal | None) -> str:
    """A change of points: +12,50, −3,00 (vi); +12.50, −3.00 (en)."""
    return numbers.signed(change)


@register.filter
def minutes(duration) -> int:
    """A timedelta in whole minutes, rounded up (a lockout of 14 min 30 s reads '15 minutes')."""
    return 0 if duration is None else -(-int(duration.total_seconds()) // 60)
