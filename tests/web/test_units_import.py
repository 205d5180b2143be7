"""Units from one workbook — a province's departments, which no register lists: the template carries its
instructions and the groups to choose from; every row is checked first, every fault named with its line and
column, nothing added if any."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dti.assessments.audit import Action
from dti.assessments.models import AuditEntry, Unit
from dti.documents.unit_sheet import COLUMNS

# The period and its people are written once for the module (conftest's ``world``).
pytestmark = pytest.mark.usefixtures("world")


def template(client) -> openpyxl.Workbook:
    response = client.get(reverse("assessments:units_template"))
    assert response["Content-Disposition"].startswith("attachment")
    return openpyxl.load_workbook(io.BytesIO(response.content))


def filled(client, rows) -> SimpleUploadedFile:
    book = template(client)
    for row in rows:
        book["Đơn vị"].append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("don-vi.xlsx", out.getvalue())


def upload(client, file):
    return client.post(reverse("assessments:units_import"), {"file": file}, follow=True).content.decode()


def test_the_template_offers_the_frameworks_groups_and_its_instructions(as_user):
    book = template(as_user("an"))
    assert [c.value for c in book["Đơn vị"][1]] == list(COLUMNS)
    groups = [c.value for c in book["Danh sách"]["A"] if c.value]
    assert groups == ["Đơn vị UBND huyện/thị xã/thành phố (huyen)", "Đơn vị sở ban ngành (so-nganh)"]
    assert any("C2:C" in str(v.sqref) for v in book["Đơn vị"].data_validations.dataValidation)
    assert "Hướng dẫn" in book.sheetnames


def test_departments_are_added_with_their_group_ranking_and_year(as_user):
    an = as_user("an")
    page = upload(an, filled(an, [
        ["Sở Khoa học và Công nghệ tỉnh Bắc Ninh (mới)", "Sở KH&CN", "Đơn vị sở ban ngành (so-nganh)", "Có", 2025, None],
        ["Ban Quản lý các khu công nghiệp", None, "so-nganh", "Không", "2025", None],
    ]))
    assert "Đã thêm 2 đơn vị từ tệp." in page
    added = Unit.objects.get(name="Sở Khoa học và Công nghệ tỉnh Bắc Ninh (mới)")
    assert (added.short_name, added.group_code, added.ranked, added.active_from) == ("Sở KH&CN", "so-nganh", True,
                                                                                     2025)
    assert Unit.objects.get(name="Ban Quản lý các khu công nghiệp").ranked is False
    entry = AuditEntry.objects.get(action=Action.UNITS_FROM_FILE)
    assert entry.new["units"] == ["Sở Khoa học và Công nghệ tỉnh Bắc Ninh (mới)", "Ban Quản lý các khu công nghiệp"]


def test_every_fault_is_named_with_its_line_and_nothing_is_added(as_user):
    an = as_user("an")
    before = Unit.objects.count()
    page = upload(an, filled(an, [
        ["Sở Nội vụ mới", None, "so-nganh", "Có", 2025, None],  # a good row: not added either
        ["sở y tế", None, "so-nganh", "Có", None, None],
        ["Sở Xây dựng mới", None, "xaa", "Có", None, None],
        ["Sở Tư pháp mới", None, "so-nganh", "có lẽ", "1985", None],
        ["", None, "so-nganh", None, None, "0721A"],
        ["Sở Công Thương mới", None, "so-nganh", None, "1.000", None],  # a thousand, or one: refused
    ]))
    assert Unit.objects.count() == before
    for fault in ("Dòng 3, cột “Tên đơn vị”: “sở y tế” đã là một đơn vị (“Sở Y tế”).",
                  "Dòng 4, cột “Khối đánh giá”: “xaa” không phải là khối của các bộ chỉ số đã nhập.",
                  "Dòng 5, cột “Xếp hạng”: ghi “Có” hoặc “Không”, không ghi “có lẽ”.",
                  "Dòng 5, cột “Từ năm”: “1985” không phải là năm từ 1990 đến 2100.",
                  "Dòng 7, cột “Từ năm”: “1.000”: ",
                  "Dòng 6, cột “Tên đơn vị”: thiếu tên đơn vị.",
                  "Dòng 6, cột “Mã đơn vị hành chính”: “0721A” không phải là mã của danh mục (chỉ gồm chữ số)."):
        assert fault in page, fault


def test_a_file_that_is_not_the_template_is_refused(as_user):
    an = as_user("an")
    book = openpyxl.Workbook()
    book.active.append(["Tên", "Khối"])
    out = io.BytesIO()
    book.save(out)
    page = upload(an, SimpleUploadedFile("khac.xlsx", out.getvalue()))
    assert "Dòng đầu tiên phải là dòng tiêu đề của mẫu" in page
