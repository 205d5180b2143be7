"""The engine's messages in the reader's language.

Messages are written in Vietnamese, the language of the officials who use dti, with named placeholders:
``t("thiếu trường bắt buộc '{key}'", key=key)``. ``src/dti/engine/locale/en`` translates them to English. The
language is a context variable, so the web application sets it per request (``use_language``) and the engine
stays free of Django; the command line reads DTI_LANGUAGE.
"""

from __future__ import annotations

import contextvars
import gettext
import os
from functools import lru_cache
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
SOURCE_LANGUAGE = "vi"
DEFAULT_LANGUAGE = os.environ.get("DTI_LANGUAGE", SOURCE_LANGUAGE)
_language: contextvars.ContextVar[str] = contextvars.ContextVar("dti_language", default=DEFAULT_LANGUAGE)


def use_language(code: str) -> contextvars.Token:
    return _language.set(code)


def reset_language(token: contextvars.Token) -> None:
    _language.reset(token)


def current_language() -> str:
    return _language.get()


@lru_cache(maxsize=8)
def _catalogue(code: str) -> gettext.NullTranslations:
    return gettext.translation("dti", LOCALE_DIR, languages=[code], fallback=True)


def t(message: str, /, **params) -> str:
    """``message`` in the current language, its placeholders filled from ``params``."""
    code = _language.get()
    text = message if code == SOURCE_LANGUAGE else _catalogue(code).gettext(message)
    return text.format(**params) if params else text


def N_(message: str) -> str:  # the conventional name of gettext's no-op marker
    """Marks a message for translation where it is defined; it is translated where it is shown, with t()."""
    return message
