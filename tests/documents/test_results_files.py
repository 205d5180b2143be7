"""Results files: both layouts load; bad files are refused with the row and the fault."""

import textwrap
from decimal import Decimal as D

import pytest

from dti.documents.results import load_results
from dti.engine import ResultsFileError, score_framework

from ..conftest import BACNINH_DATA


def write(tmp_path, text, name="kq.csv"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


def test_the_shipped_bacninh_file_loads_both_groups(bacninh_framework):
    results = load_results(BACNINH_DATA, bacninh_framework)
    assert results.layout == "pillar"
    assert [len(g.units) for g in results.groups.values()] == [17, 8]
    assert results.groups["so-nganh"].declared.total_tolerance == D("0.030")  # 6 pillars × 0.005


HEADER = "group,unit,declared.NTS,declared.TCS,declared.HTS,declared.NLS,declared.ATTT,declared.HDCDS,"
HEADER += "declared.total,reviewed.NTS,reviewed.TCS,reviewed.HTS,reviewed.NLS,reviewed.ATTT,reviewed.HDCDS,reviewed.total"


def test_a_total_outside_rounding_tolerance_is_reported_and_the_given_total_used(tmp_path, bacninh_framework):
    path = write(tmp_path, f"""
        {HEADER}
        so-nganh,Sở A,100,80,90,62.78,94.28,453.25,880.32,80,80,90,62.78,74.28,417.48,814.54
        """)
    result = score_framework(bacninh_framework, load_results(path, bacninh_framework).groups)
    assert len(result.warnings) == 1
    assert "Sở A: tổng điểm công bố 814.54 khác tổng các chỉ số chính 804.54" in result.warnings[0]
    assert result.groups[0].view("reviewed", 0).total == D("814.54")
    assert result.groups[0].view("declared", 0).total == D("880.32")  # within 0.03 of 880.31: silent


def test_ranked_no_keeps_a_unit_out_of_the_ranking(tmp_path, bacninh_framework):
    path = write(tmp_path, f"""
        {HEADER},ranked
        so-nganh,Sở A,100,80,90,62.78,94.28,453.25,,80,80,90,62.78,74.28,417.48,,có
        so-nganh,Ban B,100,80,90,62.78,94.28,453.25,,80,80,90,62.78,74.28,500,,không
        """)
    group = score_framework(bacninh_framework, load_results(path, bacninh_framework).groups).groups[0]
    assert group.ranks == (1, None)


@pytest.mark.parametrize(("body", "fault"), [
    ("so-nganh,Sở A,100,80,90,62.78,94.28,abc,,80,80,90,62.78,74.28,417.48,", "dòng 2, cột 'declared.HDCDS': cần một số"),
    ("tinh,Sở A,100,80,90,62.78,94.28,453.25,,80,80,90,62.78,74.28,417.48,", "dòng 2: khối 'tinh' không có"),
    ("so-nganh,,100,80,90,62.78,94.28,453.25,,80,80,90,62.78,74.28,417.48,", "thiếu tên đơn vị"),
    ("so-nganh,Sở A,100,80,90,62.78,94.28,,,80,80,90,62.78,74.28,417.48,", "thiếu điểm declared.HDCDS"),
])
def test_bad_rows_are_refused_naming_the_row(tmp_path, bacninh_framework, body, fault):
    path = write(tmp_path, f"{HEADER}\n{body}\n")
    with pytest.raises(ResultsFileError, match=fault):
        load_results(path, bacninh_framework)


def test_a_pillar_above_its_max_names_the_unit(tmp_path, bacninh_framework):
    path = write(tmp_path, f"{HEADER}\nso-nganh,Sở A,100,80,90,75,94.28,453.25,,80,80,90,62.78,74.28,417.48,\n")
    from dti.engine import InputError

    with pytest.raises(InputError, match="Sở A.*NLS.*từ 0 đến 70"):
        score_framework(bacninh_framework, load_results(path, bacninh_framework).groups)


def test_unknown_columns_and_duplicate_units_are_refused(tmp_path, bacninh_framework):
    with pytest.raises(ResultsFileError, match="cột 'declared.XYZ' không hợp lệ"):
        load_results(write(tmp_path, "group,unit,declared.XYZ\nso-nganh,A,1\n"), bacninh_framework)
    row = "so-nganh,Sở A,100,80,90,62.78,94.28,453.25,,80,80,90,62.78,74.28,417.48,"
    with pytest.raises(ResultsFileError, match="dòng 3: đơn vị 'Sở A' đã có ở dòng 2"):
        load_results(write(tmp_path, f"{HEADER}\n{row}\n{row}\n"), bacninh_framework)


def test_a_district_pillar_in_a_department_row_is_refused(tmp_path, bacninh_framework):
    path = write(tmp_path, f"{HEADER},declared.HDKTS\n"
                           "so-nganh,Sở A,100,80,90,62.78,94.28,453.25,,80,80,90,62.78,74.28,417.48,,5\n")
    with pytest.raises(ResultsFileError, match="khối so-nganh không có chỉ số chính HDKTS"):
        load_results(path, bacninh_framework)


def test_semicolons_decimal_commas_and_a_bom_are_read(tmp_path, bacninh_framework):
    text = HEADER.replace(",", ";") + "\nso-nganh;Sở A;100;80;90;62,78;94,28;453,25;;80;80;90;62,78;74,28;417,48;\n"
    path = tmp_path / "excel.csv"
    path.write_bytes("\ufeff".encode() + text.encode("utf-8"))
    group = load_results(path, bacninh_framework).groups["so-nganh"]
    assert group.reviewed.pillar_points["NLS"] == [D("62.78")]


def test_an_xlsx_results_file_loads_like_the_csv(tmp_path, bacninh_framework):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["# Kết quả thử"])
    sheet.append(HEADER.split(","))
    sheet.append(["so-nganh", "Sở A", 100, 80, 90, 62.78, 94.28, 453.25, None, 80, 80, 90, 62.78, 74.28, 417.48, None])
    workbook.save(tmp_path / "kq.xlsx")
    group = score_framework(bacninh_framework, load_results(tmp_path / "kq.xlsx", bacninh_framework).groups).groups[0]
    assert group.view("reviewed", 0).total == D("804.54")


INDICATOR_LEVEL = """
    group,unit,indicator,declared.value,declared.a,declared.b,declared.points,reviewed.value,reviewed.a,reviewed.b,reviewed.points
    huyen,UBND A,1.1,4,,,,3,,,
    huyen,UBND A,1.2,,2,3,,,1,3,
    huyen,UBND A,1.3,,5,5,,,5,5,
    huyen,UBND A,NTS.con-lai,,,,40,,,,30
    """


def district_rows(unit):
    pillars = ["TCS", "HTS", "NLS", "ATTT", "HDCDS", "HDKTS", "HDXHS"]
    return "".join(f"huyen,{unit},{p}.con-lai,,,,50,,,,50\n" for p in pillars)


def test_indicator_level_results_are_scored_by_their_rules(tmp_path, bacninh_framework):
    path = write(tmp_path, INDICATOR_LEVEL + district_rows("UBND A").replace("\n", "\n    "))
    results = load_results(path, bacninh_framework)
    assert results.layout == "indicator"
    group = score_framework(bacninh_framework, results.groups).groups[0]
    assert group.view("declared", 0).pillars["NTS"] == D("93.333333")  # 20 + 13.333333 + 20 + 40
    assert group.view("reviewed", 0).pillars["NTS"] == D("71.666667")  # 15 + 6.666667 (1/3 × 20, rounded once) + 20 + 30
    assert group.explain("reviewed", 0, "1.1") == "3 cuộc họp → 15/20 điểm"
    assert group.explain("reviewed", 0, "1.2") == "1/3 × 20 → 6,67/20 điểm"


def test_indicator_level_missing_indicator_names_unit_and_indicator(tmp_path, bacninh_framework):
    from dti.engine import InputError

    path = write(tmp_path, INDICATOR_LEVEL)
    with pytest.raises(InputError, match="UBND A.*TCS.con-lai.*thiếu giá trị"):
        score_framework(bacninh_framework, load_results(path, bacninh_framework).groups)


def test_indicator_level_refuses_an_input_the_rule_does_not_have(tmp_path, bacninh_framework):
    path = write(tmp_path, "group,unit,indicator,declared.count\nhuyen,UBND A,1.1,4\n")
    with pytest.raises(ResultsFileError, match="chỉ số 1.1 không có đầu vào 'count'"):
        load_results(path, bacninh_framework)


def test_an_indicator_of_a_published_pillar_says_so(bacninh_framework):
    results = load_results(BACNINH_DATA, bacninh_framework)
    group = score_framework(bacninh_framework, results.groups).groups[1]
    assert group.explain("reviewed", 0, "1.1") == ("1.1: điểm chỉ số chính được công bố trực tiếp, "
                                                   "không chấm theo chỉ số thành phần")
    assert group.explain("reviewed", 0, "NTS") == "Nhận thức số: điểm được công bố cho cả chỉ số chính → 90/100 điểm"


def test_every_input_of_the_units_is_one_row_of_the_inputs_file():
    import csv
    import io

    from dti.documents.opendata import INPUT_COLUMNS, inputs_csv

    rows = [{"group": "xa", "unit": "Xã Tân Chi", "indicators": [
        ["declared", "1.1", {"Tổng số": "12", "Số đạt": "9"}, False, None],
        ["reviewed", "1.1", {"Tổng số": "12", "Số đạt": "8"}, False, None],
        ["reviewed", "1.2", {}, True, None],
        ["reviewed", "1.3", {}, False, "2.5"],
        ["declared", "1.4", {"Ghi chú": "=HYPERLINK(\"x\")"}, False],  # a snapshot taken before points were recorded
    ]}]
    content = inputs_csv(rows).decode("utf-8")
    assert content.startswith("\ufeff")  # spreadsheets read it as UTF-8
    table = list(csv.reader(io.StringIO(content.lstrip("\ufeff"))))
    assert table[0] == INPUT_COLUMNS
    assert table[1:] == [
        ["xa", "Xã Tân Chi", "declared", "1.1", "Số đạt", "9", "no", ""],
        ["xa", "Xã Tân Chi", "declared", "1.1", "Tổng số", "12", "no", ""],
        ["xa", "Xã Tân Chi", "reviewed", "1.1", "Số đạt", "8", "no", ""],
        ["xa", "Xã Tân Chi", "reviewed", "1.1", "Tổng số", "12", "no", ""],
        ["xa", "Xã Tân Chi", "reviewed", "1.2", "", "", "yes", ""],
        ["xa", "Xã Tân Chi", "reviewed", "1.3", "", "", "no", "2.5"],
        ["xa", "Xã Tân Chi", "declared", "1.4", "Ghi chú", "'=HYPERLINK(\"x\")", "no", ""],  # never run as a formula
    ]
