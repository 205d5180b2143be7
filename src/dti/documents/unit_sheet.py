"""The units workbook: the template the secretariat fills to add many units at once (a province's departments,
say, which no national register lists), with its instructions inside and the groups to choose from."""

from __future__ import annotations

import io
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.datavalidation import DataValidation

# The columns, in order, as the sheet heads them and the import reads them.
COLUMNS = ("Tên đơn vị", "Tên viết tắt", "Khối đánh giá", "Xếp hạng", "Từ năm", "Mã đơn vị hành chính")
SHEET = "Đơn vị"
YES, NO = "Có", "Không"
ROWS_OFFERED = 2000  # rows the lists cover


def unit_template(groups: Sequence[str]) -> bytes:
    """The workbook: the units sheet (header; the group chosen from ``groups``, ranking yes or no), the lists,
    and the instructions."""
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet.append(COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for column, width in zip("ABCDEF", (44, 18, 40, 10, 10, 22), strict=True):
        sheet.column_dimensions[column].width = width
    lists = book.create_sheet("Danh sách")
    for row, group in enumerate(groups, start=1):
        lists.cell(row=row, column=1, value=group)
    lists.cell(row=1, column=2, value=YES)
    lists.cell(row=2, column=2, value=NO)
    choose_group = DataValidation(type="list", formula1=f"='Danh sách'!$A$1:$A${max(len(groups), 1)}",
                                  allow_blank=False, showErrorMessage=True, errorTitle="Khối đánh giá",
                                  error="Chọn một khối trong danh sách.")
    choose_group.add(f"C2:C{ROWS_OFFERED + 1}")
    choose_ranked = DataValidation(type="list", formula1="='Danh sách'!$B$1:$B$2", allow_blank=True,
                                   showErrorMessage=True, errorTitle="Xếp hạng", error="Chọn Có hoặc Không.")
    choose_ranked.add(f"D2:D{ROWS_OFFERED + 1}")
    sheet.add_data_validation(choose_group)
    sheet.add_data_validation(choose_ranked)
    guide = book.create_sheet("Hướng dẫn")
    for line in (
        "Mỗi dòng của trang “Đơn vị” là một đơn vị được đánh giá (ví dụ: một sở, ban, ngành).",
        "Tên đơn vị: tên như trong văn bản chính thức (ví dụ: Sở Khoa học và Công nghệ); không trùng đơn vị đã có.",
        "Tên viết tắt: không bắt buộc.",
        "Khối đánh giá: chọn trong danh sách (các khối của bộ chỉ số đã nhập).",
        "Xếp hạng: Có (mặc định) hoặc Không — đơn vị không xếp hạng vẫn được chấm điểm.",
        "Từ năm: năm đầu tiên đơn vị được đánh giá (không bắt buộc), ví dụ 2025.",
        "Mã đơn vị hành chính: chỉ cho xã, phường, đặc khu (5 chữ số của danh mục quốc gia); để trống với sở, ngành.",
        "Tệp có lỗi ở bất kỳ dòng nào thì không đơn vị nào được thêm; mọi lỗi được báo cùng lúc, kèm số dòng.",
    ):
        guide.append([line])
    guide.column_dimensions["A"].width = 110
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
