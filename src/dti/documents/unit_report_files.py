"""Unit reports as PDF (WeasyPrint) and DOCX (python-docx).

A period's reports are laid out in one pass and cut into one PDF per unit: the fonts and the stylesheet are
prepared once, which makes a whole period's reports several times faster than one document per unit.
"""

from __future__ import annotations

from collections.abc import Sequence
from io import BytesIO

from docx import Document
from docx.shared import Cm, Pt, RGBColor

from dti.engine import format_points

from .charts import svg_to_png
from .decision_docx import TABLE_STYLE_ID, base_style, page_setup, table_cell
from .pdf import layout, page_starts, pdf_of, render_html
from .unit_report import UnitReport


def unit_reports_pdf(reports: Sequence[UnitReport]) -> list[bytes]:
    """One PDF per report, in the same order. The chart stays SVG: vector, and faster for WeasyPrint to draw
    than the same chart as an image."""
    if not reports:
        return []
    document = layout(render_html("unit_report.html", reports=reports))
    starts = [i for i, _ in page_starts(document)]
    if len(starts) != len(reports):
        raise RuntimeError(f"{len(reports)} reports laid out as {len(starts)}")  # a template fault, not the user's
    return [pdf_of(document, document.pages[start:end],
                   title=f"Báo cáo kết quả chỉ số chuyển đổi số: {report.unit}")
            for report, start, end in zip(reports, starts, [*starts[1:], len(document.pages)], strict=True)]


def unit_report_pdf(report: UnitReport) -> bytes:
    return unit_reports_pdf([report])[0]


def unit_report_docx(report: UnitReport) -> bytes:
    """The report as DOCX; Word takes the chart as PNG."""
    document = Document()
    base_style(document)
    page_setup(document.sections[0], landscape=False, margins_mm=(20, 20, 25, 20))

    kicker = document.add_paragraph()
    run = kicker.add_run(f"BÁO CÁO KẾT QUẢ ĐÁNH GIÁ CHỈ SỐ CHUYỂN ĐỔI SỐ · {report.period.upper()}")
    run.font.size = Pt(9)
    heading = document.add_paragraph()
    run = heading.add_run(report.unit)
    run.bold, run.font.size = True, Pt(18)
    heading.paragraph_format.space_after = Pt(0)
    document.add_paragraph(report.group)

    rank = f"{report.rank}/{report.ranked_count}" if report.rank else "—"
    summary = [("Điểm sau rà soát", f"{format_points(report.reviewed_total)} / {format_points(report.max_points)}"),
               ("Điểm tự khai báo", format_points(report.declared_total)),
               ("Xếp hạng trong khối", rank), ("Xếp loại", report.grade or "—")]
    _table(document, [label for label, _ in summary], [[value for _, value in summary]])
    document.add_paragraph(report.next_grade_sentence).runs[0].italic = True

    _heading(document, "Điểm theo chỉ số chính")
    rows = [[line.name, format_points(line.max_points), format_points(line.declared), format_points(line.reviewed),
             f"{format_points(line.share * 100)}%" if line.share is not None else "",
             format_points(line.average) if line.average is not None else ""] for line in report.pillars]
    rows.append(["Tổng điểm", format_points(report.max_points), format_points(report.declared_total),
                 format_points(report.reviewed_total),
                 f"{format_points(report.reviewed_total / report.max_points * 100)}%",
                 format_points(report.average_total) if report.average_total is not None else ""])
    _table(document, ["Chỉ số chính", "Tối đa", "Khai báo", "Sau rà soát", "Tỷ lệ", "TB khối"], rows)
    if report.chart:
        document.add_picture(BytesIO(svg_to_png(report.chart.svg())), width=Cm(14))
        legend = document.add_paragraph()
        for colour, dashed, label in report.chart_legend:
            key = legend.add_run("▨ " if dashed else "■ ")
            key.font.color.rgb = RGBColor.from_string(colour.lstrip("#").upper())
            legend.add_run(f"{label}    ")
        _paragraph(document, "Tỷ lệ điểm sau rà soát trên điểm tối đa của từng chỉ số chính; các vòng là 25, 50, 75 "
                   "và 100% (số liệu ở bảng trên).", TABLE_STYLE_ID)

    for title, items, empty in (("Điểm mạnh", report.strengths, "Không có chỉ số chính nào cao hơn trung bình khối."),
                                ("Điểm yếu", report.weaknesses, "Không có chỉ số chính nào thấp hơn trung bình khối."),
                                ("Các chỉ số thành phần còn xa điểm tối đa nhất", report.furthest_below_max, None)):
        if not items and empty is None:
            continue
        _heading(document, title)
        for text in items or (empty,):
            _paragraph(document, text, "ListBullet" if items else None)

    _heading(document, "Điểm từng chỉ số thành phần")
    if report.indicators is None:
        document.add_paragraph("Kỳ đánh giá này công bố điểm theo chỉ số chính; không có điểm và ý kiến rà soát của "
                               "từng chỉ số thành phần.")
    else:
        rows = [[line.code, line.name, format_points(line.max_points), format_points(line.declared),
                 "không áp dụng" if line.not_applicable else format_points(line.reviewed), line.reason]
                for line in report.indicators]
        _table(document, ["Mã", "Chỉ số thành phần", "Tối đa", "Khai báo", "Sau rà soát", "Ý kiến rà soát"], rows,
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


def _table(document, header: list[str], rows: list[list[str]], widths=None) -> None:
    table = document.add_table(rows=1 + len(rows), cols=len(header))
    table.style = "Table Grid"
    for row_cells, values, bold in ((table.rows[0].cells, header, True),
                                    *((r.cells, v, False) for r, v in zip(table.rows[1:], rows, strict=True))):
        for cell, value in zip(row_cells, values, strict=True):
            table_cell(cell, value, bold=bold)
    if widths:
        for row in table.rows:
            for cell, width in zip(row.cells, widths, strict=True):
                cell.width = width
