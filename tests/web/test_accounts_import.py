"""Many accounts from one workbook: the template carries its instructions and role list; every row is checked
first, every fault named with its line, nothing created if any; each new officer mailed a link to set a password."""

import io
import re

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dti.accounts.models import Membership
from dti.assessments.audit import Action
from dti.assessments.models import AuditEntry, OutgoingMail, Unit
from dti.documents.account_sheet import COLUMNS

# The period and its people are written once for the module (conftest's ``world``).
pytestmark = pytest.mark.usefixtures("world")


def template(client) -> openpyxl.Workbook:
    response = client.get(reverse("assessments:accounts_template"))
    assert response["Content-Disposition"].startswith("attachment")
    return openpyxl.load_workbook(io.BytesIO(response.content))


def filled(client, rows) -> SimpleUploadedFile:
    book = template(client)
    for row in rows:
        book["Tài khoản"].append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("tai-khoan.xlsx", out.getvalue())


def upload(client, file):
    return client.post(reverse("assessments:accounts_import"), {"file": file}, follow=True).content.decode()


def test_the_template_has_the_columns_the_roles_to_choose_and_its_instructions(as_user):
    book = template(as_user("an"))
    assert [c.value for c in book["Tài khoản"][1]] == list(COLUMNS)
    assert [c.value for c in book["Danh sách"]["A"]][:4] == ["Cơ quan thường trực", "Cán bộ thẩm định",
                                                            "Cán bộ đơn vị", "Lãnh đạo"]
    assert any("D2:D" in str(v.sqref) for v in book["Tài khoản"].data_validations.dataValidation)
    assert "Hướng dẫn" in book.sheetnames


def test_three_officers_are_created_and_mailed_a_link_to_choose_their_password(as_user, client):
    Unit.objects.filter(name="Sở Y tế").update(official_code="SYT")
    an = as_user("an")
    page = upload(an, filled(an, [
        ["canbo.bacninh", "Nguyễn Thị Hoa", "hoa@bacninh.example", "Cán bộ đơn vị", "ubnd tp. bắc ninh"],
        ["canbo.syt", "Trần Văn Nam", "nam@syt.example", "Cán bộ đơn vị", "SYT"],
        ["lanhdao2", "Lê Minh", "", "Lãnh đạo", ""],
    ]))
    assert "Đã tạo 3 tài khoản; 2 cán bộ được gửi đường dẫn để tự đặt mật khẩu." in page
    units = dict(Membership.objects.filter(user__username__in=["canbo.bacninh", "canbo.syt"])
                 .values_list("user__username", "unit__name"))
    assert units == {"canbo.bacninh": "UBND TP. Bắc Ninh", "canbo.syt": "Sở Y tế"}
    assert not get_user_model().objects.get(username="lanhdao2").has_usable_password()
    assert AuditEntry.objects.filter(action=Action.ACCOUNT_CREATED, new__account__in=[
        "canbo.bacninh", "canbo.syt", "lanhdao2"]).count() == 3
    mail = OutgoingMail.objects.get(recipients=["hoa@bacninh.example"])
    link = re.search(r"http://127\.0\.0\.1:8000(/tai-khoan/dat-lai-mat-khau/\S+/)", mail.body).group(1)
    client.logout()
    answer = client.get(link, follow=True)
    assert answer.status_code == 200 and 'name="new_password1"' in answer.content.decode()


def test_a_file_with_faults_names_each_and_creates_nothing(as_user):
    an = as_user("an")
    before = get_user_model().objects.count()
    page = upload(an, filled(an, [
        ["Chi Hoa", "Hoa", "hoa@example", "Cán bộ đơn vị", "UBND TP. Bắc Ninh"],
        ["canbo.a", "", "", "Thủ trưởng", ""],
        ["canbo.b", "Bình", "", "Cán bộ đơn vị", "UBND xã Không Có"],
        ["chi", "Chi", "", "Lãnh đạo", ""],
    ]))
    assert "Dòng 2, cột “Tên đăng nhập”: “Chi Hoa” không phải tên đăng nhập hợp lệ" in page
    assert "Dòng 3, cột “Họ và tên”: thiếu họ và tên." in page
    assert "Dòng 3, cột “Vai trò”: “Thủ trưởng” không phải một vai trò." in page
    assert "Dòng 4, cột “Đơn vị”: không có đơn vị nào tên hoặc mã “UBND xã Không Có”." in page
    assert "Dòng 5, cột “Tên đăng nhập”: “chi” đã có người dùng." in page
    assert get_user_model().objects.count() == before
    assert not OutgoingMail.objects.exists()


def test_a_file_that_is_not_the_template_is_refused(as_user):
    bad = SimpleUploadedFile("x.csv", "Họ tên,Email\nA,a@b.c\n".encode())
    page = upload(as_user("an"), bad)
    assert "Dòng đầu tiên phải là dòng tiêu đề của mẫu: Tên đăng nhập, Họ và tên" in page
