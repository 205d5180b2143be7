"""The annex-style framework table (XLSX): round trip, template, and every malformed file refused by row and column."""

import pytest
import yaml
from openpyxl import load_workbook

from dti.cli import main
from dti.documents.annex import read_annex, write_annex
from dti.documents.frameworks import load_framework
from dti.engine import FrameworkError

from ..conftest import BACNINH_FRAMEWORK, NATIONAL_FRAMEWORK


@pytest.fixture
def annex(tmp_path):
    path = tmp_path / "phu-luc.xlsx"
    write_annex(yaml.safe_load(BACNINH_FRAMEWORK.read_text(encoding="utf-8")), path)
    return path


@pytest.mark.parametrize("source", [BACNINH_FRAMEWORK, NATIONAL_FRAMEWORK], ids=["bacninh", "national"])
def test_a_framework_written_as_annex_reads_back_identical(tmp_path, source):
    path = tmp_path / "a.xlsx"
    write_annex(yaml.safe_load(source.read_text(encoding="utf-8")), path)
    assert read_annex(path) == load_framework(source)


def test_the_annex_has_the_published_columns_and_the_rule_in_words(annex):
    sheet = load_workbook(annex)["huyen"]
    header = [c.value for c in sheet[1]]
    assert header[:7] == ["STT", "Chỉ số/Chỉ số thành phần", "Điểm tối đa", "Cách xác định và tính điểm",
                          "Tài liệu kiểm chứng", "Nguồn thu thập dữ liệu", "Đơn vị phối hợp xác minh số liệu"]
    row = next(r for r in sheet.iter_rows(values_only=True) if r[0] == "1.1")
    assert row[2] == 20 and "từ 4 cuộc họp → 20" in row[3] and row[8] == "steps"


def test_the_empty_template_is_a_valid_example(tmp_path, capsys):
    assert main(["framework-template", str(tmp_path / "mau.xlsx")]) == 0
    framework = read_annex(tmp_path / "mau.xlsx")
    assert framework.groups[0].pillars[0].indicators[1].rule.kind == "ratio"
    assert "Hướng dẫn" in load_workbook(tmp_path / "mau.xlsx").sheetnames


def edit(path, sheet, cell, value):
    workbook = load_workbook(path)
    workbook[sheet][cell] = value
    workbook.save(path)


def refused(path) -> str:
    with pytest.raises(FrameworkError) as error:
        read_annex(path)
    return str(error.value)


def row_of(path, sheet, stt) -> int:
    return next(r[0].row for r in load_workbook(path)[sheet].iter_rows() if r[0].value == stt)


def test_a_wrong_header_is_refused_naming_the_column(annex):
    edit(annex, "huyen", "C1", "Điểm")
    assert refused(annex) == ("phu-luc.xlsx, trang 'huyen', dòng 1, cột C (Điểm tối đa): "
                              "tiêu đề cột phải là 'Điểm tối đa', gặp 'Điểm'")


def test_max_points_not_adding_up_names_the_row_and_column(annex):
    row = row_of(annex, "huyen", "1.3")
    edit(annex, "huyen", f"C{row}", 25)
    message = refused(annex)
    assert f"trang 'huyen', dòng {row_of(annex, 'huyen', '1')}, cột C (Điểm tối đa)" in message
    assert "cộng lại 105" in message


def test_an_unknown_rule_names_the_row_and_column(annex):
    row = row_of(annex, "huyen", "1.2")
    edit(annex, "huyen", f"I{row}", "ratioo")
    message = refused(annex)
    assert f"trang 'huyen', dòng {row}, cột I (Quy tắc)" in message and "ratioo" in message


def test_a_number_written_as_text_with_a_decimal_comma_is_refused(annex):
    row = row_of(annex, "so-nganh", "1.1")
    edit(annex, "so-nganh", f"C{row}", "100,5")
    message = refused(annex)
    assert f"trang 'so-nganh', dòng {row}, cột C (Điểm tối đa): cần một ô kiểu số, gặp '100,5'" in message
    assert "dạng văn bản" in message


def test_bad_rule_parameters_name_the_parameters_column(annex):
    row = row_of(annex, "huyen", "1.2")
    edit(annex, "huyen", f"J{row}", "{when_zero: maybe}")
    assert f"dòng {row}, cột J (Tham số quy tắc (YAML))" in refused(annex)


def test_a_file_that_is_not_a_workbook_is_refused(tmp_path):
    path = tmp_path / "x.xlsx"
    path.write_bytes(b"not a zip")
    assert "không phải tệp XLSX hợp lệ" in refused(path)


def test_the_frameworks_english_travels_in_its_own_sheet_and_a_half_row_is_refused(annex):
    sheet = load_workbook(annex)["Tiếng Anh"]
    rows = {r[0]: r[1] for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["Nhận thức số"] == "Digital awareness" and rows["cuộc họp"] == "meetings"
    assert read_annex(annex).glossary["Xuất sắc"] == "Excellent"
    edit(annex, "Tiếng Anh", "B3", None)
    assert "trang 'Tiếng Anh', dòng 3, cột B" in refused(annex)
    edit(annex, "Tiếng Anh", "A3", "Nhận thức sốô")
    edit(annex, "Tiếng Anh", "B3", "Awareness")
    assert "'Nhận thức sốô' không có trong bộ chỉ số" in refused(annex)
