"""HTML → PDF for the official documents, with Jinja2 templates (autoescaped) and WeasyPrint.

The templates live in ``documents/templates``; one stylesheet (document.css) gives the Decree 30 layout. PDFs
embed the package's own serif (Liberation Serif 2, Times New Roman's metrics, every Vietnamese glyph; see
documents/fonts.py), so that a document is the same on every machine.
"""

from __future__ import annotations

import warnings
from functools import cache
from importlib.resources import files

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from dti.engine import format_points

from .fonts import FAMILY_NAME, font_faces


@cache
def environment() -> Environment:
    env = Environment(loader=PackageLoader("dti.documents", "templates"), autoescape=select_autoescape(["html"]),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["points"] = format_points
    return env


@cache
def stylesheet() -> str:
    """document.css after the @font-face rules of the shipped serif (WeasyPrint's fonts are its own, not the
    process's fontconfig ones)."""
    faces = "".join(f'@font-face {{ font-family: "{FAMILY_NAME}"; src: url("{path.as_uri()}"); '
                    f'font-weight: {"bold" if bold else "normal"}; font-style: {"italic" if italic else "normal"}; }}\n'
                    for path, bold, italic in font_faces())
    return faces + files("dti.documents").joinpath("templates", "document.css").read_text(encoding="utf-8")


def render_html(template: str, **context) -> str:
    return environment().get_template(template).render(css=stylesheet(), **context)


def layout(html: str):
    """The laid-out pages of ``html`` (a WeasyPrint document)."""
    with warnings.catch_warnings():
        # On a machine without system fonts WeasyPrint warns of "ugly output" (on import and on use); the
        # documents bring their own.
        warnings.filterwarnings("ignore", "No fonts configured in FontConfig")
        from weasyprint import HTML  # imported on use: loading Pango costs half a second

        return HTML(string=html, url_fetcher=_fetcher()).render()


@cache
def _fetcher():
    """Documents are self-contained, their charts data: URLs; nothing is fetched from the network or the disk but
    the shipped font files."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    fonts = {path.as_uri(): path for path, _bold, _italic in font_faces()}

    class DocumentFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if url in fonts:
                return URLFetcherResponse(url, body=fonts[url].read_bytes())
            return super().fetch(url, headers)

    return DocumentFetcher(allowed_protocols={"data"}, fail_on_errors=True)


def pdf_of(document, pages=None, *, title: str = "") -> bytes:
    """``pages`` of a laid-out document (all by default) as a PDF."""
    part = document if pages is None else document.copy(pages)
    part.metadata.title = title or part.metadata.title
    part.metadata.generator = "dti"
    return part.write_pdf(pdf_tags=True)


def page_starts(document, level: int = 1) -> list[tuple[int, str]]:
    """(page index, label) of every bookmark of ``level``: where each part of a document begins."""
    return [(i, label) for i, page in enumerate(document.pages)
            for bookmark_level, label, *_ in page.bookmarks if bookmark_level == level]


def html_to_pdf_parts(html: str, *, title: str, cut_at_bookmark: str | None) -> tuple[bytes, bytes | None]:
    """The whole document, and the pages from the first-level bookmark ``cut_at_bookmark`` on."""
    document = layout(html)
    whole = pdf_of(document, title=title)
    start = next((i for i, label in page_starts(document) if label == cut_at_bookmark), None)
    return whole, None if start is None else pdf_of(document, document.pages[start:], title=title)

