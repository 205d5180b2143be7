"""The appendix XLSX read back cell by cell against the decision's published numbers."""

from decimal import Decimal

import pytest
from openpyxl import load_workbook

from dti.cli import main
from dti.documents.appendix import Appendix, appendix_table
from dti.documents.appendix_xlsx import HEADER_ROWS, write_appendix_xlsx
from dti.engine import StageInputs, UnitEntry, format_points

from ..builders import framework_data, group_result, indicator
from ..conftest import BACNINH_DATA, BACNINH_FRAMEWORK
from ..published import published_tables


@pytest.fixture(scope="module")
def workbook(tmp_path_factory):
    path = tmp_path_factory.mktemp("xlsx") / "phu-luc.xlsx"
    assert main(["export-appendix", "-f", str(BACNINH_FRAMEWORK), "-d", str(BACNINH_DATA), "-o", str(path)]) == 0
    return load_workbook(path)


def shown(value) -> str:
    return format_points(Decimal(str(value)))


@pytest.mark.parametrize("index", [0, 1])
def test_every_cell_of_both_appendices_matches_the_decision(workbook, index):
    published = published_tables()[index]
    sheet = workbook.worksheets[index]
    assert sheet.title == ["Phụ lục I", "Phụ lục II"][index]
    top, second = HEADER_ROWS
    width = 2 * (len(published.pillars) + 1) + 4
    assert [sheet.cell(top, c).value for c in (1, 2, 3, width - 1, width)] == [
        "STT", "Đơn vị", "Điểm tính qua khai báo", "Xếp hạng", "Xếp loại"]
    assert sheet.cell(top, 3 + len(published.pillars) + 1).value == "Điểm sau khi rà soát"
    assert [sheet.cell(second, c).value for c in range(3, 3 + len(published.pillars) + 1)] == [
        *published.pillars, "Tổng điểm"]
    assert sheet.cell(second + 1, 1).value == published.label
    for offset, row in enumerate(published.rows, start=second + 2):
        cells = [sheet.cell(offset, c).value for c in range(1, width + 1)]
        assert cells[0] == row.stt and cells[1] == row.unit
        assert [shown(v) for v in cells[2:-2]] == [shown(v) for v in (*row.declared, *row.reviewed)]
        assert all(isinstance(v, int | float | Decimal) for v in cells[2:-2])  # numbers, not text
        assert (cells[-2], cells[-1]) == (row.rank, row.grade)
    average = second + 2 + len(published.rows)
    assert sheet.cell(average, 2).value == "Điểm trung bình"
    assert [shown(sheet.cell(average, c).value) for c in range(3, width - 1)] == [
        shown(v) for v in (*published.average_declared, *published.average_reviewed)]


def test_header_frozen_numbers_formatted_and_a4_landscape_fitted_to_width(workbook):
    sheet = workbook.worksheets[1]
    top, second = HEADER_ROWS
    assert sheet.freeze_panes == f"C{second + 1}"
    assert f"A{top}:A{second}" in {str(r) for r in sheet.merged_cells.ranges}
    assert sheet.cell(second + 2, 3).number_format == "0.00"
    assert sheet.page_setup.orientation == "landscape" and str(sheet.page_setup.paperSize) == "9"
    assert sheet.page_setup.fitToWidth == 1 and sheet.sheet_properties.pageSetUpPr.fitToPage


def test_a_unit_name_that_looks_like_a_formula_stays_text(tmp_path):
    inputs = StageInputs(values={"1.1": {"points": ["10"]}})
    result = group_result(framework_data([indicator({"kind": "direct"})]),
                          [UnitEntry('=HYPERLINK("http://x","y")')], inputs)
    path = tmp_path / "a.xlsx"
    write_appendix_xlsx([Appendix("PHỤ LỤC I", "", "", appendix_table(result))], path)
    cell = load_workbook(path).worksheets[0].cell(HEADER_ROWS[1] + 2, 2)
    assert cell.value == '=HYPERLINK("http://x","y")' and cell.data_type == "s"


def test_the_appendix_lists_units_in_rank_order_whatever_the_order_they_joined():
    inputs = StageInputs(values={"1.1": {"points": ["5", "18", "12", "18", "20"]}})
    units = [UnitEntry("Xã Một"), UnitEntry("Xã Hai"), UnitEntry("Xã Ba"), UnitEntry("Xã Bốn"),
             UnitEntry("Xã Năm", ranked=False)]
    table = appendix_table(group_result(framework_data([indicator({"kind": "direct"})]), units, inputs))
    assert [(row.number, row.unit, row.rank) for row in table.rows] == [
        (1, "Xã Hai", 1), (2, "Xã Bốn", 1), (3, "Xã Ba", 3), (4, "Xã Một", 4), (5, "Xã Năm", None)]
    assert [row.reviewed[-1] for row in table.rows] == [18, 18, 12, 5, 20]
