"""The secretariat imports frameworks through the page: YAML or the annex table, nothing half-imported."""

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from dti.assessments.models import FrameworkGroup, FrameworkVersion
from dti.documents.annex import write_annex

from ..conftest import BACNINH_FRAMEWORK


@pytest.fixture
def secretariat(client, people):
    client.force_login(people["an"])
    return client


def annex_upload(tmp_path, change=None) -> SimpleUploadedFile:
    path = tmp_path / "phu-luc.xlsx"
    data = yaml.safe_load(BACNINH_FRAMEWORK.read_text(encoding="utf-8"))
    data["code"] = "bacninh-2024"
    write_annex(data, path)
    if change:
        workbook = load_workbook(path)
        change(workbook)
        workbook.save(path)
    return SimpleUploadedFile("phu-luc.xlsx", path.read_bytes())


def test_a_valid_annex_becomes_a_framework_version_shown_as_a_tree(secretariat, tmp_path):
    response = secretariat.post(reverse("assessments:frameworks"), {"file": annex_upload(tmp_path)}, follow=True)
    version = FrameworkVersion.objects.get(code="bacninh-2024")
    assert list(version.groups.values_list("code", flat=True)) == ["so-nganh", "huyen"]
    page = response.content.decode()
    assert "Ban Chỉ đạo chuyển đổi số cấp huyện tổ chức họp trong năm" in page
    assert "từ 4 cuộc họp → 20" in page


def test_a_malformed_annex_names_row_and_column_and_imports_nothing(secretariat, tmp_path):
    def break_it(workbook):
        sheet = workbook["huyen"]
        row = next(r[0].row for r in sheet.iter_rows() if r[0].value == "1.3")
        sheet[f"C{row}"] = "20,5"

    before = (FrameworkVersion.objects.count(), FrameworkGroup.objects.count())
    response = secretariat.post(reverse("assessments:frameworks"), {"file": annex_upload(tmp_path, break_it)})
    page = response.content.decode()
    assert "trang &#x27;huyen&#x27;, dòng" in page and "cột C (Điểm tối đa)" in page
    assert (FrameworkVersion.objects.count(), FrameworkGroup.objects.count()) == before


def test_the_empty_template_and_a_version_download_as_xlsx(secretariat, tmp_path):
    response = secretariat.get(reverse("assessments:framework_template"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    version = FrameworkVersion.objects.first()
    response = secretariat.get(reverse("assessments:framework_annex", args=[version.pk]))
    (tmp_path / "v.xlsx").write_bytes(response.content)
    assert load_workbook(tmp_path / "v.xlsx")["huyen"]["A1"].value == "STT"


@pytest.mark.parametrize("role", ["binh", "chi"])
def test_reviewers_and_unit_officers_cannot_download_frameworks(client, people, role):
    client.force_login(people[role])
    assert client.get(reverse("assessments:framework_template")).status_code == 403


def test_an_english_page_shows_the_engine_fault_in_english(secretariat, tmp_path):
    secretariat.get(reverse("choose_language"), {"language": "en", "next": "/"})
    bad = SimpleUploadedFile("bad.yaml", b"code: x\nname: x\nsource: x\ngroups: 3\n")
    page = secretariat.post(reverse("assessments:frameworks"), {"file": bad}).content.decode()
    assert "bad.yaml, top of the file: &#x27;groups&#x27; must be a list, found int" in page
    version = FrameworkVersion.objects.first()
    tree = secretariat.get(reverse("assessments:framework", args=[version.pk])).content.decode()
    assert "By steps: from 4 cuộc họp → 20" in tree and "Theo bậc" not in tree


def test_the_engine_language_does_not_leak_between_requests(secretariat):
    from dti.engine.i18n import current_language

    secretariat.get(reverse("choose_language"), {"language": "en", "next": "/"})
    secretariat.get(reverse("assessments:frameworks"))
    assert current_language() == "vi"
