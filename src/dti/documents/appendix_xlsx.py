"""The appendix tables as an XLSX workbook, one sheet per group, laid out as in decision 2405/QĐ-UBND.

Two-level merged header (STT | Đơn vị | Điểm tính qua khai báo … | Điểm sau khi rà soát … | Xếp hạng | Xếp loại),
the group label row, one row per unit, the Điểm trung bình row. Numbers are stored as numbers — the values the
decision prints, rounded half up to two decimals — with a two-decimal format; the header is frozen; the sheet
prints on A4 landscape fitted to the page width. Text that a spreadsheet would run as a formula stays text.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from .appendix import Appendix

THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="E8EEF4")
NUMBER_FORMAT = "0.00"
HEADER_ROWS = (4, 5)  # after the two title rows and a blank row


def _text(cell, value: str) -> None:
    """Write text that is never run as a formula, whatever it begins with (=, +, -, @)."""
    cell.value = value
    cell.data_type = "s"


def write_appendix_xlsx(appendices: Sequence[Appendix], path: str | Path) -> None:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for appendix in appendices:
        _sheet(workbook, appendix)
    workbook.save(path)


def _sheet(workbook: Workbook, appendix: Appendix) -> None:
    table = appendix.table
    sheet = workbook.create_sheet(appendix.short_heading[:31])
    width = table.column_count
    pillars = len(table.pillars) + 1  # pillars and the total, per stage
    last = get_column_letter(width)
    for row, text, bold in ((1, appendix.heading, True), (2, appendix.title or table.label.upper(), True),
                            (3, appendix.note, False)):
        sheet.merge_cells(f"A{row}:{last}{row}")
        cell = sheet.cell(row, 1)
        _text(cell, text)
        cell.font = Font(bold=bold, size=12 if bold else 11, italic=not bold)
        cell.alignment = Alignment(horizontal="center", wrap_text=True)
    top, second = HEADER_ROWS
    spans = [(1, 1, "STT"), (2, 2, "Đơn vị"), (3, 2 + pillars, "Điểm tính qua khai báo"),
             (3 + pillars, 2 + 2 * pillars, "Điểm sau khi rà soát"), (width - 1, width - 1, "Xếp hạng"),
             (width, width, "Xếp loại")]
    for first, end, label in spans:
        if first == end:
            sheet.merge_cells(start_row=top, start_column=first, end_row=second, end_column=end)
        else:
            sheet.merge_cells(start_row=top, start_column=first, end_row=top, end_column=end)
        _text(sheet.cell(top, first), label)
    for stage in range(2):
        for offset, label in enumerate((*table.pillars, "Tổng điểm")):
            _text(sheet.cell(second, 3 + stage * pillars + offset), label)
    for row in (top, second):
        for column in range(1, width + 1):
            cell = sheet.cell(row, column)
            cell.font = Font(bold=True)
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            cell.fill = HEADER_FILL
            cell.border = BORDER
    row = second + 1
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    _text(sheet.cell(row, 1), table.label)
    sheet.cell(row, 1).font = Font(bold=True)
    for entry in table.rows:
        row += 1
        values = [entry.number, None, *entry.declared, *entry.reviewed, entry.rank, None]
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row, column, value)
            if column > 2 and column < width - 1:
                cell.number_format = NUMBER_FORMAT
        _text(sheet.cell(row, 2), entry.unit + ("" if entry.ranked else " (không xếp hạng)"))
        _text(sheet.cell(row, width), entry.grade or "")
    if table.average_row is not None:
        row += 1
        _text(sheet.cell(row, 2), "Điểm trung bình")
        for column, value in enumerate(table.average_row, start=3):
            sheet.cell(row, column, value).number_format = NUMBER_FORMAT
        for column in range(1, width + 1):
            sheet.cell(row, column).font = Font(bold=True)
    for data_row in range(second + 1, row + 1):
        for column in range(1, width + 1):
            sheet.cell(data_row, column).border = BORDER
    sheet.column_dimensions["A"].width = 5
    sheet.column_dimensions["B"].width = 36
    for column in range(3, width - 1):
        sheet.column_dimensions[get_column_letter(column)].width = 10
    sheet.column_dimensions[get_column_letter(width - 1)].width = 8
    sheet.column_dimensions[get_column_letter(width)].width = 12
    sheet.freeze_panes = f"C{second + 1}"
    sheet.print_title_rows = f"{top}:{second}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
