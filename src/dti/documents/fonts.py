"""The documents' serif font, shipped with the package: Liberation Serif 2 (Times New Roman's metrics, every
Vietnamese glyph; SIL Open Font License, in ``fonts/LICENSE``).

The same four files serve every writer, whatever fonts the machine has: ReportLab embeds them by path,
WeasyPrint reads them from the stylesheet's @font-face rules (documents/pdf.py), and they are added to
fontconfig's application fonts of this process, where Cairo finds them by family name for the charts' PNG in
Word documents. A document is therefore identical on every machine, and a machine without any system font
still writes it.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from functools import cache
from importlib.resources import files
from pathlib import Path

from dti.engine import DtiError
from dti.engine.i18n import t

FONT_DIR = Path(str(files("dti.documents").joinpath("fonts")))
FAMILY_NAME = "Liberation Serif"  # the family the files declare; the stylesheet and the charts ask for it
FAMILY = "Serif"  # ReportLab's name for the family
# ReportLab face name → (file, bold, italic).
FACES = {FAMILY: ("LiberationSerif-Regular.ttf", 0, 0), f"{FAMILY}-Bold": ("LiberationSerif-Bold.ttf", 1, 0),
         f"{FAMILY}-Italic": ("LiberationSerif-Italic.ttf", 0, 1),
         f"{FAMILY}-BoldItalic": ("LiberationSerif-BoldItalic.ttf", 1, 1)}


def font_faces() -> list[tuple[Path, int, int]]:
    """(file, bold, italic) of each face."""
    return [(FONT_DIR / name, bold, italic) for name, bold, italic in FACES.values()]


def font_files() -> list[Path]:
    return [path for path, _bold, _italic in font_faces()]


@cache
def register_with_fontconfig() -> None:
    """Add the shipped faces to fontconfig's current configuration, before Pango or Cairo first ask for a font."""
    library = ctypes.util.find_library("fontconfig") or "libfontconfig.so.1"
    try:
        fontconfig = ctypes.CDLL(library)
    except OSError:
        raise DtiError(t("Không tải được thư viện fontconfig để dùng phông chữ của tài liệu.")) from None
    fontconfig.FcConfigAppFontAddFile.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
    for path in font_files():
        if not fontconfig.FcConfigAppFontAddFile(None, str(path).encode()):
            raise DtiError(t("Không nạp được phông chữ {font}.", font=path.name))


@cache
def serif_family() -> str:
    """Register the four faces with ReportLab once per process; returns the family's name for styles."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for name, (file_name, bold, italic) in FACES.items():
        pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / file_name)))
        addMapping(FAMILY, bold, italic, name)
    return FAMILY
