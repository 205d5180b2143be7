"""The accounts workbook: the template the secretariat fills to create many accounts at once (the officers of a
province's communes and departments), with its instructions inside and a list to choose each role from."""

from __future__ import annotations

import io
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.datavalidation import DataValidation

# The columns, in order, as the sheet heads them and the import reads them.
COLUMNS = ("Tên đăng nhập", "Họ và tên", "Thư điện tử", "Vai trò", "Đơn vị")
SHEET = "Tài khoản"
ROWS_OFFERED = 2000  # rows the role list covers


def account_template(roles: Sequence[str], units: Sequence[str]) -> bytes:
    """The workbook: the accounts sheet (header, role chosen from ``roles``, unit from ``units``), the units'
    names and official codes, and the instructions."""
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet.append(COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for column, width in zip("ABCDE", (18, 28, 30, 22, 40), strict=True):
        sheet.column_dimensions[column].width = width
    lists = book.create_sheet("Danh sách")
    for row, role in enumerate(roles, start=1):
        lists.cell(row=row, column=1, value=role)
    for row, unit in enumerate(units, start=1):
        lists.cell(row=row, column=2, value=unit)
    choose_role = DataValidation(type="list", formula1=f"='Danh sách'!$A$1:$A${max(len(roles), 1)}",
                                 allow_blank=False, showErrorMessage=True, errorTitle="Vai trò",
                                 error="Chọn một vai trò trong danh sách.")
    choose_role.add(f"D2:D{ROWS_OFFERED + 1}")
    sheet.add_data_validation(choose_role)
    if units:
        choose_unit = DataValidation(type="list", formula1=f"='Danh sách'!$B$1:$B${len(units)}", allow_blank=True,
                                     showErrorMessage=True, errorTitle="Đơn vị",
                                     error="Chọn một đơn vị trong danh sách.")
        choose_unit.add(f"E2:E{ROWS_OFFERED + 1}")
        sheet.add_data_validation(choose_unit)
    guide = book.create_sheet("Hướng dẫn")
    for line in (
        "Mỗi dòng của trang “Tài khoản” là một tài khoản.",
        "Tên đăng nhập: chữ không dấu, số và các dấu . _ - (ví dụ: canbo.xaanbinh); không trùng tài khoản đã có.",
        "Họ và tên: bắt buộc.",
        "Thư điện tử: cán bộ nhận tại đây đường dẫn để tự đặt mật khẩu; mỗi địa chỉ một tài khoản.",
        "Vai trò: chọn trong danh sách. Cán bộ đơn vị phải có Đơn vị; các vai trò khác để trống Đơn vị.",
        "Đơn vị: tên như trong danh sách, hoặc mã đơn vị hành chính.",
        "Tệp có lỗi ở bất kỳ dòng nào thì không tài khoản nào được tạo; mọi lỗi được báo cùng lúc, kèm số dòng.",
    ):
        guide.append([line])
    guide.column_dimensions["A"].width = 110
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
