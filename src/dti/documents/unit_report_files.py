"""Unit reports as PDF and DOCX, from the same content (unit_report.py) and in the same words.

The PDF is drawn by ReportLab (unit_report_pdf.py, loaded on first use); the DOCX is written here with
python-docx, the radar chart as a PNG (charts.py).
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from functools import cache
from io import BytesIO

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt, RGBColor

from .charts import RadarChart
from .decision_docx import TABLE_STYLE_ID, column_widths, new_document, page_setup, table_cell
from .fonts import serif_family
from .unit_report import (
    CHART_NOTE,
    INDICATOR_HEADER,
    NO_INDICATORS,
    PILLAR_HEADER,
    UnitReport,
    indicator_row,
    pillar_rows,
    report_lists,
    summary_cells,
)

# --- PDF (unit_report_pdf, ReportLab) -----------------------------------------------------------------------------

@cache
def prepare() -> None:
    """Load once what every report needs — ReportLab, its fonts, cairo and fontconfig (0.4 s) — so that the
    processes forked to write a period's reports inherit them instead of each loading them again."""
    importlib.import_module(".unit_report_pdf", __package__)
    serif_family()
    RadarChart(("", "", ""), (None,) * 3, (None,) * 3, width=8, height=8).png(scale=1)


def unit_reports_pdf(reports: Sequence[UnitReport]) -> list[bytes]:
    """One PDF per report, in the same order."""
    return [unit_report_pdf(report) for report in reports]


def unit_report_pdf(report: UnitReport) -> bytes:
    from .unit_report_pdf import unit_report_pdf as draw  # imported on use: ReportLab loads in 0.2 s

    return draw(report)


# --- DOCX ---------------------------------------------------------------------------------------------------------

def unit_report_docx(report: UnitReport) -> bytes:
    """The report as DOCX; Word takes the chart as PNG."""
    document = new_document()
    page_setup(document.sections[0], landscape=False, margins_mm=(20, 20, 25, 20))

    kicker = document.add_paragraph()
    run = kicker.add_run(report.heading)
    run.font.size = Pt(9)
    heading = document.add_paragraph()
    run = heading.add_run(report.unit)
    run.bold, run.font.size = True, Pt(18)
    heading.paragraph_format.space_after = Pt(0)
    document.add_paragraph(report.group)

    summary = summary_cells(report)
    _table(document, [caption[0].upper() + caption[1:] for _, caption in summary], [[figure for figure, _ in summary]])
    document.add_paragraph(report.next_grade_sentence).runs[0].italic = True

    _heading(document, "Điểm theo chỉ số chính")
    _table(document, PILLAR_HEADER, pillar_rows(report), numbers=range(1, 6), bold_last=True)
    if report.indicators is None:  # a sentence under the table it explains, as in the PDF
        _paragraph(document, NO_INDICATORS, TABLE_STYLE_ID)
    if report.chart:
        document.add_picture(BytesIO(report.chart.png()), width=Cm(14))
        legend = document.add_paragraph()
        for colour, dashed, label in report.chart_legend:
            key = legend.add_run("▨ " if dashed else "■ ")
            key.font.color.rgb = RGBColor.from_string(colour.lstrip("#").upper())
            legend.add_run(f"{label}    ")
        _paragraph(document, CHART_NOTE, TABLE_STYLE_ID)

    for title, items, empty in report_lists(report):
        if not items and empty is None:
            continue
        _heading(document, title)
        for text in items or (empty or "",):
            _paragraph(document, text, "ListBullet" if items else None)

    if report.indicators is not None:
        _heading(document, "Điểm từng chỉ số thành phần")
        _table(document, INDICATOR_HEADER, [indicator_row(line) for line in report.indicators], numbers=range(2, 5),
               widths=[Cm(1.3), Cm(6.2), Cm(1.5), Cm(1.6), Cm(1.7), Cm(4.2)])
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _paragraph(document, text: str, style_id: str | None = None):
    """A paragraph in a style given by id: python-docx looks a style name up among all styles each time."""
    paragraph = document.add_paragraph(text)
    if style_id:
        paragraph._p.style = style_id
    return paragraph


def _heading(document, text: str) -> None:
    paragraph = document.add_paragraph()
    run = paragraph.add_run(text)
    run.bold, run.font.size = True, Pt(12.5)
    paragraph.paragraph_format.space_before = Pt(10)
    paragraph.paragraph_format.space_after = Pt(4)


def _table(document, header, rows, *, numbers: range = range(0), bold_last: bool = False, widths=None) -> None:
    """A grid with a bold header row; the ``numbers`` columns aligned right; ``bold_last``: a total row."""
    table = document.add_table(rows=1 + len(rows), cols=len(header))
    table.style = "Table Grid"
    right = WD_ALIGN_PARAGRAPH.RIGHT
    for position, (row, values) in enumerate(zip(table.rows, [header, *rows], strict=True)):
        bold = position == 0 or (bold_last and position == len(rows))
        for column, (cell, value) in enumerate(zip(row.cells, values, strict=True)):
            table_cell(cell, value, bold=bold, align=right if position and column in numbers else None)
    if widths:
        column_widths(table, widths)
