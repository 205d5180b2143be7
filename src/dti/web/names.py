"""Names from the data (units, pillars, grades, groups, periods) as the page's reader reads them.

A Vietnamese page shows them as written. Another page shows the framework's own English (its ``english``
glossary, a period's ``name_en``) and, where there is none, the Vietnamese marked ``lang="vi"``: a screen reader
then says it in Vietnamese, and the tests can tell a name left as it is from a sentence left untranslated.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from django.utils.translation import get_language

from dti.engine import Framework

Glossary = Mapping[str, str]


def css_key(name: str) -> str:
    """A name as a CSS class or variable suffix ("Xuất sắc" → xuat-sac): a grade's colour is looked up by its
    Vietnamese name, whichever language the page writes it in."""
    return slugify(str(name).replace("đ", "d").replace("Đ", "D"))


def reading_vietnamese() -> bool:
    return (get_language() or "vi").startswith("vi")


def _text_and_english(value: Any, glossary: Glossary | None) -> tuple[str, str]:
    if not isinstance(value, str) and hasattr(value, "name"):  # a period: its own English name
        return str(value.name), str(getattr(value, "name_en", "") or "")
    text = "" if value is None else str(value)
    return text, (glossary or {}).get(text, "")


def name_text(value: Any, glossary: Glossary | None = None) -> str:
    """The name in the reader's language where the data has it, else as written: for titles and attributes."""
    text, english = _text_and_english(value, glossary)
    return text if reading_vietnamese() or not english else english


def named(value: Any, glossary: Glossary | None = None) -> str | SafeString:
    """The name for a page's body: as ``name_text``, with a Vietnamese name on another page marked lang="vi"."""
    text, english = _text_and_english(value, glossary)
    if reading_vietnamese() or not text:
        return text
    return english or format_html('<span lang="vi">{}</span>', text)


def for_reader(data: Any, glossary: Glossary) -> Any:
    """A chart's data with every text the glossary translates in the reader's language (charts draw text, not
    markup: names without English stay as written)."""
    if reading_vietnamese() or not glossary:
        return data
    if isinstance(data, str):
        return glossary.get(data, data)
    if isinstance(data, dict):
        return {key: for_reader(value, glossary) for key, value in data.items()}
    if isinstance(data, list | tuple):
        return [for_reader(value, glossary) for value in data]
    return data


class ReaderGlossary(dict):
    """Vietnamese text → English of the frameworks of a page, with every text they hold (``texts``), translated
    or not, so that a sentence can mark the ones left in Vietnamese."""

    texts: frozenset[str] = frozenset()


def glossary_of(frameworks: Iterable[Framework]) -> ReaderGlossary:
    """One glossary from the frameworks of a page (a page across years); the first given wins a disagreement."""
    glossary, texts = ReaderGlossary(), set()
    for framework in frameworks:
        for text, english in framework.glossary.items():
            glossary.setdefault(text, english)
        texts |= framework.texts
    glossary.texts = frozenset(texts)
    return glossary


def within(sentence: str, glossary: Glossary | None = None) -> str | SafeString:
    """A sentence in the reader's language (a rule or a grading in words, a next step) with the framework's own
    texts inside it — a unit of count, a ratio's labels, grade names — each as ``named`` gives it."""
    texts = getattr(glossary, "texts", ())
    if reading_vietnamese() or not sentence:
        return sentence
    # Whole words only, and no one- or two-letter names (a formula's a and b are not texts to translate)
    found = sorted({text for text in texts if len(text) > 2 and text in sentence}, key=len, reverse=True)
    if not found:
        return sentence
    parts, last = [], 0
    for match in re.finditer(r"(?<!\w)(?:" + "|".join(map(re.escape, found)) + r")(?!\w)", sentence):
        parts += [conditional_escape(sentence[last:match.start()]), conditional_escape(named(match[0], glossary))]
        last = match.end()
    parts.append(conditional_escape(sentence[last:]))
    # Safe: every part is escaped above.
    return mark_safe("".join(parts))  # noqa: S308  # nosec B308 B703
