"""Vietnamese is complete, and the compiled catalogue matches its source."""

import gettext
import json
from pathlib import Path

CATALOGUE = Path(__file__).resolve().parents[2] / "src" / "dti" / "web" / "locale" / "vi" / "LC_MESSAGES"


def entries() -> dict[str, str]:
    """msgid → msgstr of the .po file (plain entries; the catalogue has no plurals)."""
    found, key, field = {}, None, None
    for line in [*(CATALOGUE / "django.po").read_text(encoding="utf-8").splitlines(), ""]:
        if line.startswith("msgid "):
            key, field = [json.loads(line[6:])], "id"
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


def test_every_message_has_a_vietnamese_translation():
    text = (CATALOGUE / "django.po").read_text(encoding="utf-8")
    assert "#, fuzzy" not in text
    missing = [msgid for msgid, msgstr in entries().items() if not msgstr]
    assert missing == []


def test_the_compiled_catalogue_is_up_to_date():
    with (CATALOGUE / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = [msgid for msgid, msgstr in entries().items() if compiled.gettext(msgid) != msgstr]
    assert stale == [], "run: dti manage compilemessages"
