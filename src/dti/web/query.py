"""Reading query-string parameters that name things by number: a malformed value reads as absent, never as a
server error ("?ky=abc", "?ky=1.5", "?don-vi=²" — str.isdigit() accepts "²", which int() refuses)."""

from __future__ import annotations

import re

_ID = re.compile(r"[0-9]{1,9}")


def id_or_none(text: str | None) -> int | None:
    """The positive whole number ``text`` writes in ASCII digits (at most nine), or None."""
    if text is None or not _ID.fullmatch(text):
        return None
    return int(text)
