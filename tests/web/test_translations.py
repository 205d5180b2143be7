"""Both catalogues are complete and compiled: the interface's Vietnamese, and the engine's English."""

import gettext
import json
import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "dti"
CATALOGUES = {
    "interface, Vietnamese": SRC / "web" / "locale" / "vi" / "LC_MESSAGES" / "django",
    "engine, English": SRC / "engine" / "locale" / "en" / "LC_MESSAGES" / "dti",
}


def entries(base: Path) -> dict[str, str]:
    """msgid → msgstr of a .po file (the catalogues have no plurals). A message with a context is keyed as
    gettext keys it: context, EOT, msgid."""
    found, context, key, value, field = {}, "", [], [], None
    for line in [*base.with_suffix(".po").read_text(encoding="utf-8").splitlines(), ""]:
        if line.startswith("msgctxt "):
            context = json.loads(line[8:]) + "\x04"
        elif line.startswith("msgid "):
            key, field = [context + json.loads(line[6:])], "id"
            context = ""
        elif line.startswith("msgstr "):
            value, field = [json.loads(line[7:])], "str"
        elif line.startswith('"') and field == "id":
            key.append(json.loads(line))
        elif line.startswith('"') and field == "str":
            value.append(json.loads(line))
        elif not line.strip() and field == "str":
            found["".join(key)] = "".join(value)
            field = None
    found.pop("", None)
    return found


@pytest.mark.parametrize("base", CATALOGUES.values(), ids=CATALOGUES.keys())
def test_every_message_is_translated_with_the_same_placeholders(base):
    assert "#, fuzzy" not in base.with_suffix(".po").read_text(encoding="utf-8")
    for msgid, msgstr in entries(base).items():
        assert msgstr, msgid
        assert sorted(re.findall(r"\{\w+\}", msgid)) == sorted(re.findall(r"\{\w+\}", msgstr)), msgid


@pytest.mark.parametrize("base", CATALOGUES.values(), ids=CATALOGUES.keys())
def test_the_compiled_catalogue_is_up_to_date(base):
    with base.with_suffix(".mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = [msgid for msgid, msgstr in entries(base).items() if compiled.gettext(msgid) != msgstr]
    assert stale == [], "compile the catalogue (docs/operations.md, Translations)"


def test_every_engine_message_is_in_the_catalogue():
    """A message added to the engine without a translation would show in Vietnamese on English pages."""
    from dti.engine.i18n import t

    calls = set()
    for path in [*(SRC / "engine").glob("*.py"), *(SRC / "documents").glob("*.py"), SRC / "cli.py"]:
        text = path.read_text(encoding="utf-8")
        calls |= {m.encode().decode("unicode_escape").encode("latin-1").decode("utf-8")
                  for m in re.findall(r'(?:\bt|\bN_)\(\s*"((?:[^"\\]|\\.)*)"\s*[,)]', text)}
    known = set(entries(CATALOGUES["engine, English"]))
    assert sorted(calls - known) == []
    assert t("không áp dụng") == "không áp dụng"
