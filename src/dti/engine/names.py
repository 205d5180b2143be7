"""Names of units as one writing: the same name typed on two keyboards, pasted from Word or read from a file is
the same text.

"UBND TP. Bắc Ninh" can arrive composed (NFC, what Vietnamese keyboards on Windows send) or decomposed (NFD,
macOS and some PDFs: "a" + U+0306 + U+0301), with a zero-width space from a web page, a no-break space from
Word, or two spaces; each of those was a second unit. ``clean_name`` gives the one writing that is stored and
compared; ``name_key`` is what two names must differ in to be two units; ``search_key`` what a search typed
without diacritics (or in either form) still finds.
"""

from __future__ import annotations

import re
import unicodedata

# Characters that print as nothing: zero-width space, joiners, word joiner, byte-order mark, soft hyphen.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
_SPACES = re.compile(r"\s+")
_NOT_LETTER_OR_DIGIT = re.compile(r"[\W_]+")


def clean_name(text: str) -> str:
    """The name in NFC, without invisible characters, every run of white space (no-break ones too) one space."""
    composed = unicodedata.normalize("NFC", str(text).translate(_INVISIBLE))
    return _SPACES.sub(" ", composed).strip()


def name_key(text: str) -> str:
    """What makes two names the same unit: letters and digits, case and punctuation aside ("UBND TP. Bắc Ninh"
    and "ubnd tp bắc ninh" are one unit; "Bắc Ninh" and "Bắc Giang" two). Diacritics count: they are letters in
    Vietnamese."""
    return _NOT_LETTER_OR_DIGIT.sub("", clean_name(text).casefold())


def search_key(text: str) -> str:
    """The name as a search compares it: without diacritics ("đ" as "d"), case, invisible characters or extra
    spaces, so that "tai chinh", "TÀI CHÍNH" and a decomposed "Tài chính" all find "Sở Tài chính". Only for
    finding: two names differing in diacritics stay two units (``name_key``)."""
    decomposed = unicodedata.normalize("NFD", clean_name(text).casefold().replace("đ", "d"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))
