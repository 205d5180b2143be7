"""HTML → PDF for the official documents, with Jinja2 templates (autoescaped) and WeasyPrint.

The templates live in ``documents/templates``; one stylesheet (document.css) gives the Decree 30 layout. PDFs
embed a TrueType font with every Vietnamese glyph: Times New Roman where installed, otherwise Liberation Serif
(same metrics; Debian's fonts-liberation, installed by the project's set-up).
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from dti.engine import format_points


@cache
def environment() -> Environment:
    env = Environment(loader=PackageLoader("dti.documents", "templates"), autoescape=select_autoescape(["html"]),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["points"] = format_points
    return env


@cache
def stylesheet() -> str:
    return files("dti.documents").joinpath("templates", "document.css").read_text(encoding="utf-8")


def render_html(template: str, **context) -> str:
    return environment().get_template(template).render(css=stylesheet(), **context)


def layout(html: str):
    """The laid-out pages of ``html`` (a WeasyPrint document)."""
    from weasyprint import HTML  # imported on use: loading Pango costs half a second
    from weasyprint.urls import URLFetcher

    # Documents are self-contained, their charts data: URLs; nothing is fetched from the network or the disk.
    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols={"data"}, fail_on_errors=True)).render()


def pdf_of(document, pages=None, *, title: str = "") -> bytes:
    """``pages`` of a laid-out document (all by default) as a PDF."""
    part = document if pages is None else document.copy(pages)
    part.metadata.title = title or part.metadata.title
    part.metadata.generator = "dti"
    return part.write_pdf()


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

