"""A unit's report: its numbers, rank, grade, the gap to the next grade, strengths and weaknesses, the radar
chart, and every indicator with the reviewer's reason — in the PDF and in the DOCX."""

from decimal import Decimal
from io import BytesIO

import pytest
from docx import Document
from PIL import Image

from dti.documents.frameworks import load_framework
from dti.documents.results import load_results
from dti.documents.unit_report import unit_report
from dti.documents.unit_report_files import unit_report_docx, unit_report_pdf, unit_reports_pdf
from dti.engine import StageInputs, UnitEntry, score_framework

from ..builders import group_result
from ..conftest import BACNINH_DATA, BACNINH_FRAMEWORK
from .pdfs import DOCUMENT_FONTS, font_families, pdf_text


@pytest.fixture(scope="module")
def departments():
    framework = load_framework(BACNINH_FRAMEWORK)
    return score_framework(framework, load_results(BACNINH_DATA, framework).groups).groups[0]


def text_of_pdf(content: bytes) -> str:
    return " ".join(pdf_text(content).split())


def text_of_docx(content: bytes) -> str:
    document = Document(BytesIO(content))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    return " ".join(" ".join([*(p.text for p in document.paragraphs), *cells]).split())


def test_the_report_of_a_department_has_its_numbers_rank_grade_and_gap(departments):
    index = [u.name for u in departments.units].index("Sở Khoa học và Công nghệ")
    report = unit_report(departments, index, period="Kỳ đánh giá năm 2023")
    assert (report.rank, report.ranked_count, report.grade) == (9, 17, "Khá")
    assert "Để đạt loại Tốt, đơn vị cần thêm 13,01 điểm" in report.next_grade_sentence
    assert report.strengths[0].startswith("An toàn thông tin mạng: 80/100 điểm (80%)")
    assert report.weaknesses[0].startswith("Nhận thức số: 30/100 điểm (30%)")
    assert [label.text for label in report.chart.labels][:2] == ["Nhận thức số", "Thể chế số"]
    assert [series.shares[0] for series in report.chart.series] == [report.pillars[0].average_share, Decimal("0.3")]
    pdf = unit_report_pdf(report)
    assert font_families(pdf) <= DOCUMENT_FONTS  # nothing drawn in a font without Vietnamese glyphs
    for text in (text_of_pdf(pdf), text_of_docx(unit_report_docx(report))):
        assert "\ufffd" not in text and "(cid:" not in text
        for expected in ("Sở Khoa học và Công nghệ", "734.82", "976.06", "9/17", "Khá", "13,01", "747.01",
                         "Hoạt động chuyển đổi số", "464.62", "công bố điểm theo chỉ số chính"):
            assert expected in text, expected


def test_each_report_is_its_own_file_in_the_order_asked(departments):
    reports = [unit_report(departments, i, period="2023") for i in range(3)]
    files = unit_reports_pdf(reports)
    assert len(files) == 3
    for report, content in zip(reports, files, strict=True):
        text = text_of_pdf(content)
        assert report.unit in text
        assert all(other.unit not in text for other in reports if other is not report)


def three_pillars(max_points=10):
    pillars = []
    for p in ("A", "B", "C"):
        pillars.append({"code": p, "name": f"Trụ cột {p}", "max_points": 2 * max_points, "indicators": [
            {"code": f"{p}.1", "name": f"Chỉ số {p}.1", "max_points": max_points, "rule": {"kind": "direct"}},
            {"code": f"{p}.2", "name": f"Chỉ số {p}.2", "max_points": max_points, "rule": {"kind": "direct"},
             **({"not_applicable": "zero"} if p == "C" else {})}]})
    return {"code": "t", "name": "Thử", "source": "QĐ thử", "groups": [{
        "code": "g", "name": "Khối xã", "grading": {"kind": "percent_bands", "bands": [
            {"grade": "Tốt", "from": 80}, {"grade": "Khá", "from": 50}, {"grade": "Kém"}]}, "pillars": pillars}]}


def test_an_indicator_level_report_lists_every_indicator_with_the_reviewers_reason():
    declared = StageInputs(values={code: {"points": values} for code, values in {
        "A.1": ["10", "5"], "A.2": ["10", "5"], "B.1": ["8", "5"], "B.2": ["9", "5"], "C.1": ["4", "5"],
        "C.2": ["0", "5"]}.items()}, not_applicable={"C.2": [True, False]})
    reviewed = StageInputs(values={**declared.values, "A.2": {"points": ["6", "5"]}},
                           not_applicable=declared.not_applicable)
    result = group_result(three_pillars(), [UnitEntry("UBND xã <Đông>"), UnitEntry("UBND xã Tây")], declared, reviewed)
    report = unit_report(result, 0, period="Kỳ 2024", reasons={"A.2": "Minh chứng chỉ có 6 văn bản đúng hạn."})
    assert [line.code for line in report.indicators] == ["A.1", "A.2", "B.1", "B.2", "C.1", "C.2"]
    assert report.indicators[1].declared == 10 and report.indicators[1].reviewed == 6
    assert report.indicators[5].not_applicable
    assert report.furthest_below_max[0].startswith("C.1 Chỉ số C.1: 4/10 điểm, còn thiếu 6")
    assert report.next_grade is not None and report.next_grade.grade == "Tốt"
    for text in (text_of_pdf(unit_report_pdf(report)), text_of_docx(unit_report_docx(report))):
        assert "UBND xã <Đông>" in text  # escaped in the HTML, shown as typed
        assert "Minh chứng chỉ có 6 văn bản đúng hạn." in text
        assert "không áp dụng" in text
    assert len(Document(BytesIO(unit_report_docx(report))).inline_shapes) == 1  # the radar chart


def test_the_chart_for_word_is_a_png_with_the_units_polygon_over_the_averages(departments):
    chart = unit_report(departments, 0, period="2023").chart
    image = Image.open(BytesIO(chart.png(scale=1)))
    assert image.format == "PNG" and image.size == (chart.width, chart.height)
    colours = {colour for _, colour in image.getcolors(maxcolors=100_000)}
    assert (255, 255, 255) in colours and (0x1F, 0x5F, 0xA8) in colours  # white ground, the unit's outline
    assert sum(r > b + 60 for r, _, b in colours) > 20  # the average's orange dashes and ground


def test_the_fonts_ship_with_the_package_under_their_licence():
    from dti.documents import fonts

    assert [path.name for path in fonts.font_files()] == [
        "LiberationSerif-Regular.ttf", "LiberationSerif-Bold.ttf", "LiberationSerif-Italic.ttf",
        "LiberationSerif-BoldItalic.ttf"]
    assert all(path.read_bytes()[:4] == b"\0\1\0\0" for path in fonts.font_files())  # TrueType
    assert "SIL OPEN FONT LICENSE Version 1.1" in (fonts.FONT_DIR / "LICENSE").read_text()



def test_a_reports_heading_does_not_say_the_same_words_twice(departments):
    report = unit_report(departments, 0, period="Đánh giá chỉ số chuyển đổi số năm 2023")
    assert report.heading == "BÁO CÁO KẾT QUẢ ĐÁNH GIÁ CHỈ SỐ CHUYỂN ĐỔI SỐ NĂM 2023"
    assert text_of_pdf(unit_report_pdf(report)).count("ĐÁNH GIÁ CHỈ SỐ CHUYỂN ĐỔI SỐ") == text_of_pdf(
        unit_report_pdf(report)).count("BÁO CÁO KẾT QUẢ")
    other = unit_report(departments, 0, period="Kỳ 2023")
    assert other.heading == "BÁO CÁO KẾT QUẢ ĐÁNH GIÁ CHỈ SỐ CHUYỂN ĐỔI SỐ · KỲ 2023"


def test_a_report_of_pillar_points_only_fits_one_page(departments):
    """2023 published points per pillar only: the sentence that says so sits under the pillar table, instead of
    a second page holding that one sentence."""
    from pdfminer.high_level import extract_pages

    for index in range(len(departments.units)):
        report = unit_report(departments, index, period="Đánh giá chỉ số chuyển đổi số năm 2023")
        assert report.indicators is None
        assert len(list(extract_pages(BytesIO(unit_report_pdf(report))))) == 1, report.unit


def test_the_average_in_a_legend_keeps_the_groups_capitals(departments):
    framework = load_framework(BACNINH_FRAMEWORK)
    districts = score_framework(framework, load_results(BACNINH_DATA, framework).groups).groups[1]
    report = unit_report(districts, 0, period="Kỳ 2023")
    assert report.chart_legend[1][2] == "Trung bình đơn vị UBND huyện/thị xã/thành phố"  # not "… ubnd …"
