"""The serif font of the documents for ReportLab: Times New Roman where installed, otherwise the font the system
puts in its place (Liberation Serif, with the same metrics, from Debian's fonts-liberation, installed by the
project's set-up). fontconfig chooses, as it does for WeasyPrint, so that both kinds of PDF use the same files;
a face is asked for with Vietnamese coverage so that no glyph can be missing.
"""

from __future__ import annotations

import shutil

# fc-match only, by its absolute path, with fixed arguments
import subprocess  # nosec B404
from functools import cache

from dti.engine import DtiError
from dti.engine.i18n import t

FAMILY = "Serif"
# ReportLab face name → (fontconfig pattern of the face, bold, italic).
FACES = {FAMILY: ("", 0, 0), f"{FAMILY}-Bold": (":bold", 1, 0), f"{FAMILY}-Italic": (":italic", 0, 1),
         f"{FAMILY}-BoldItalic": (":bold:italic", 1, 1)}
REQUESTED = "Times New Roman:lang=vi"


def font_file(style: str) -> str:
    """The file fontconfig gives for Times New Roman in ``style`` (":bold", ":italic" …)."""
    fc_match = shutil.which("fc-match")
    if fc_match is None:
        raise DtiError(t("Không tìm thấy fc-match (fontconfig) để chọn phông chữ cho tệp PDF."))
    command = [fc_match, "--format=%{file}", REQUESTED + style]  # fixed arguments, no shell
    found = subprocess.run(command, capture_output=True, text=True, check=True, timeout=30)  # noqa: S603  # nosec B603
    path = found.stdout.strip()
    if not path.lower().endswith((".ttf", ".otf")):
        raise DtiError(t("Phông chữ {font} không dùng được cho tệp PDF: cần phông TrueType có chữ tiếng Việt (ví "
                         "dụ gói fonts-liberation).", font=path or "—"))
    return path


@cache
def serif_family() -> str:
    """Register the four faces with ReportLab once per process; returns the family's name for styles."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for name, (style, bold, italic) in FACES.items():
        pdfmetrics.registerFont(TTFont(name, font_file(style)))
        addMapping(FAMILY, bold, italic, name)
    return FAMILY
