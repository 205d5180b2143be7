"""Reading PDFs back in the tests: their text and the fonts their pages use."""

from io import BytesIO
from pathlib import Path

from pdfminer.high_level import extract_text
from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import resolve1

# A PDF of the documents uses only these fonts (the subset prefix "ABCDEF+" and the face "-Bold" taken off).
DOCUMENT_FONTS = {"Liberation", "LiberationSerif"}  # WeasyPrint writes "Liberation-Serif", ReportLab "LiberationSerif"


def pdf_text(source: Path | bytes) -> str:
    return extract_text(BytesIO(source) if isinstance(source, bytes) else str(source))


def pdf_fonts(source: Path | bytes) -> set[str]:
    """The base names of the fonts of every page."""
    document = PDFDocument(PDFParser(BytesIO(source if isinstance(source, bytes) else source.read_bytes())))
    names = set()
    for page in PDFPage.create_pages(document):
        fonts = resolve1(page.resources.get("Font")) or {}
        for font in fonts.values():
            names.add(resolve1(font)["BaseFont"].name.split("+")[-1])
    return names


def font_families(source: Path | bytes) -> set[str]:
    return {name.split("-")[0] for name in pdf_fonts(source)}
