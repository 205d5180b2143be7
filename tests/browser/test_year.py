"""The whole assessment year in a real browser, role by role, on a fresh demo database.

One test, because each role works on what the previous one left: the secretariat imports a framework as the annex
workbook, opens a period and assigns reviewers; two unit officers declare, one with evidence files and citations,
the other refused at submit until the missing indicator is filled. Each step asserts what the user sees and keeps
a small screenshot under docs/screenshots/year-*.png.
"""

import pytest
from docx import Document
from openpyxl import load_workbook
from pdfminer.high_level import extract_text
from playwright.sync_api import expect

from dti.assessments.models import Declaration, Participation, Period
from dti.assessments.operations.demo import DEMO_PASSWORD, load_demo
from dti.documents.annex import write_annex

from .conftest import SCREENSHOTS

pytestmark = pytest.mark.django_db(transaction=True)

BANDS = [{"grade": "Xuất sắc", "from": 90}, {"grade": "Tốt", "from": 75}, {"grade": "Khá", "from": 60},
         {"grade": "Trung bình", "from": 50}, {"grade": "Kém"}]
FRAMEWORK = {
    "code": "thu-nghiem-2025", "name": "Bộ chỉ số thử nghiệm năm 2025", "source": "Quyết định số 99/QĐ-UBND (thử)",
    "year": 2025,
    "groups": [{"code": "huyen", "name": "UBND cấp huyện", "grading": {"kind": "percent_bands", "bands": BANDS},
                "pillars": [
                    {"code": "NTS", "name": "Nhận thức số", "max_points": 40, "indicators": [
                        {"code": "1.1", "name": "Họp Ban chỉ đạo chuyển đổi số", "max_points": 20,
                         "rule": {"kind": "count", "points_each": 5, "unit": "cuộc họp BCĐ"},
                         "evidence": "Biên bản các cuộc họp"},
                        {"code": "1.2", "name": "Kế hoạch chuyển đổi số năm", "max_points": 20,
                         "rule": {"kind": "yes_no", "question": "Đã ban hành kế hoạch"},
                         "evidence": "Quyết định ban hành kế hoạch"}]},
                    {"code": "HTS", "name": "Hạ tầng số", "max_points": 60, "indicators": [
                        {"code": "2.1", "name": "Cán bộ có máy tính", "max_points": 30,
                         "rule": {"kind": "ratio", "numerator": "Số cán bộ có máy tính",
                                  "denominator": "Tổng số cán bộ", "when_zero": "zero"}},
                        {"code": "2.2", "name": "Bảo đảm an toàn thông tin", "max_points": 30,
                         "rule": {"kind": "direct"}}]}]}]}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
BAC_NINH, TU_SON = "UBND TP. Bắc Ninh", "UBND TP. Từ Sơn"
SECOND_REVIEWER_PASSWORD = "mat-khau-tham-dinh-2025"


def shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"year-{name}.png")


def sign_in(page, url: str, username: str, password: str = DEMO_PASSWORD) -> None:
    page.context.clear_cookies()
    page.goto(f"{url}/tai-khoan/dang-nhap/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("form button[type=submit]")
    page.wait_for_load_state()


def indicator_selector(code: str) -> str:
    return "#indicator-" + code.replace(".", "\\.")


def save_indicator(page, code: str, values: dict[str, str]) -> None:
    article = page.locator(indicator_selector(code))
    for name, value in values.items():
        field = article.locator(f"[name='{code}-input_{name}']")
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
    article.locator("button.save").click()
    page.wait_for_load_state()
    assert f"{code}" in page.locator(".messages, [role=status], body").first.inner_text()


def the_secretariat_opens_the_year(page, url: str, tmp_path) -> Period:
    annex = tmp_path / "phu-luc-bo-chi-so-2025.xlsx"
    write_annex(FRAMEWORK, annex)
    sign_in(page, url, "sotttt")
    page.goto(f"{url}/quan-ly/bo-chi-so/")
    page.set_input_files("input[type=file][name=file]", str(annex))
    page.click("form[enctype] button[type=submit]")
    page.wait_for_load_state()
    assert "Bộ chỉ số thử nghiệm năm 2025" in page.locator("h1").inner_text()
    body = page.locator("main").inner_text()
    assert "1.1" in body and "cuộc họp BCĐ" in body and "2.2" in body
    shot(page, "1-framework")

    page.goto(f"{url}/quan-ly/tai-khoan/")  # a second reviewer, for the appeals
    page.fill("input[name=username]", "thamdinh2")
    page.fill("input[name=full_name]", "Đỗ Văn Hải (thẩm định)")
    page.fill("input[name=password]", SECOND_REVIEWER_PASSWORD)
    page.select_option("select[name=role]", "reviewer")
    page.locator("form", has=page.locator("input[name=username]")).locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert "thamdinh2" in page.locator("main").inner_text()

    page.goto(f"{url}/quan-ly/ky-danh-gia/")
    page.get_by_text("Mở kỳ đánh giá mới").click()
    page.fill("input[name=year]", "2025")
    page.fill("input[name=name]", "Đánh giá thử nghiệm năm 2025")
    page.select_option("select[name=framework]", label=page.locator("select[name=framework] option",
                                                                    has_text="thử nghiệm").first.inner_text())
    page.uncheck("input[name=add_units]")
    page.fill("input[name=second_review_margin]", "0")
    page.locator("form", has=page.locator("input[name=year]")).locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Đánh giá thử nghiệm năm 2025"
    period = Period.objects.get(year=2025)
    for unit in (BAC_NINH, TU_SON):
        adding = page.locator("form", has=page.locator("select[name=unit]"))
        adding.locator("select[name=unit]").select_option(label=unit)
        adding.locator("select[name=group]").select_option(label="UBND cấp huyện")
        adding.locator("button[type=submit]").click()
        page.wait_for_load_state()
    units = page.locator("main table").last.inner_text()
    assert BAC_NINH in units and TU_SON in units
    for reviewer in ("Trần Thị Bình (thẩm định) (thamdinh)", "Đỗ Văn Hải (thẩm định) (thamdinh2)"):
        assigning = page.locator("form", has=page.locator("select[name=reviewer]"))
        assigning.locator("select[name=reviewer]").select_option(label=reviewer)  # offered by name
        assigning.locator("select[name=group]").select_option(label="UBND cấp huyện")
        assigning.locator("button[type=submit]").click()
        page.wait_for_load_state()
    reviewers = page.locator("main").inner_text()
    assert "Trần Thị Bình (thẩm định) — UBND cấp huyện" in reviewers and "Đỗ Văn Hải (thẩm định) — UBND cấp huyện" in reviewers
    confirm_move(page)
    assert page.locator("#period-state").inner_text() == "Đang khai báo"
    shot(page, "1-period")
    return period


def declaration_of(page, url: str, unit: str, period: Period) -> None:
    participation = Participation.objects.get(period=period, unit__name=unit)
    page.goto(f"{url}/quan-ly/khai-bao/{participation.pk}/")


def submit_declaration(page, url: str, unit: str, period: Period) -> None:
    """The unit officer presses "Nộp bản khai báo" on the declaration; the caller checks what came of it."""
    declaration_of(page, url, unit, period)
    page.get_by_role("button", name="Nộp bản khai báo").click()
    page.wait_for_load_state()


def the_units_declare(page, url: str, period: Period) -> None:
    sign_in(page, url, "donvi.bacninh")
    page.get_by_role("link", name=f"{BAC_NINH} — Đánh giá thử nghiệm năm 2025").first.click()
    page.get_by_role("link", name="NTS — Nhận thức số").click()
    save_indicator(page, "1.1", {"count": "3"})
    assert "15/20" in page.locator("#indicator-1\\.1").inner_text()
    save_indicator(page, "1.2", {"value": "có"})
    evidence = page.locator("#indicator-1\\.1 footer")
    evidence.locator("summary").click()
    page.set_input_files("#indicator-1\\.1 footer input[type=file]", files=[
        {"name": "bien-ban-hop-bcd.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    evidence.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert "bien-ban-hop-bcd.pdf" in page.locator("#indicator-1\\.1 footer").inner_text()
    citation = page.locator("#indicator-1\\.2 footer")
    citation.locator("summary").click()
    citation.locator("input[name=symbol]").fill("15/KH-UBND")
    citation.locator("input[name=issued_on]").fill("2025-02-10")
    citation.locator("input[name=issuer]").fill("UBND thành phố Bắc Ninh")
    citation.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert "15/KH-UBND" in page.locator("#indicator-1\\.2 footer").inner_text()
    shot(page, "2-declaration")
    declaration_of(page, url, BAC_NINH, period)
    page.get_by_role("link", name="HTS — Hạ tầng số").click()
    save_indicator(page, "2.1", {"a": "45", "b": "50"})
    save_indicator(page, "2.2", {"points": "25"})
    submit_declaration(page, url, BAC_NINH, period)
    assert page.locator("#declaration-state").inner_text() == "Đã nộp"

    sign_in(page, url, "donvi.tuson")
    declaration_of(page, url, TU_SON, period)
    page.get_by_role("link", name="NTS — Nhận thức số").click()
    save_indicator(page, "1.1", {"count": "2"})
    save_indicator(page, "1.2", {"value": "có"})
    declaration_of(page, url, TU_SON, period)
    page.get_by_role("link", name="HTS — Hạ tầng số").click()
    save_indicator(page, "2.1", {"a": "30", "b": "40"})
    submit_declaration(page, url, TU_SON, period)
    refusal = page.locator("main").inner_text()
    assert "2.2 Bảo đảm an toàn thông tin: chưa khai báo" in refusal
    assert page.locator("#declaration-state").inner_text() == "Nháp"
    shot(page, "2-refused")
    page.get_by_role("link", name="HTS — Hạ tầng số").click()
    save_indicator(page, "2.2", {"points": "20"})
    submit_declaration(page, url, TU_SON, period)
    assert page.locator("#declaration-state").inner_text() == "Đã nộp"
    assert {d.participation.unit.name: d.state for d in Declaration.objects.filter(participation__period=period)} \
        == {BAC_NINH: "submitted", TU_SON: "submitted"}


def confirm_move(page) -> None:
    """The period page's move button, then the confirmation's: a period never moves back."""
    page.locator("form", has=page.locator("input[name=to_state]")).locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("#move-summary").is_visible()
    page.locator("#confirm-move").click()
    page.wait_for_load_state()


def move_period(page, url: str, period: Period, state_label: str) -> None:
    sign_in(page, url, "sotttt")
    page.goto(f"{url}/quan-ly/ky-danh-gia/{period.pk}/")
    confirm_move(page)
    assert page.locator("#period-state").inner_text() == state_label, page.locator("main").inner_text()[:500]


def review_page(page, url: str, period: Period, unit: str):
    participation = Participation.objects.get(period=period, unit__name=unit)
    page.goto(f"{url}/quan-ly/tham-dinh/{participation.pk}/")
    return participation


def in_place(page, button, outcome: str) -> None:
    """Press a review action done in place (htmx): the page is not reloaded, the outcome is announced."""
    before = page.evaluate("() => performance.getEntriesByType('navigation')[0].startTime + location.href")
    button.click()
    expect(page.locator("#review-outcome")).to_contain_text(outcome)
    assert page.evaluate("() => performance.getEntriesByType('navigation')[0].startTime + location.href") == before


def adjust(page, code: str, values: dict[str, str], reason: str) -> None:
    item = page.locator("#review-" + code.replace(".", "\\."))
    item.locator("summary", has_text="Điều chỉnh").click()
    for name, value in values.items():
        item.locator(f"[name='{code}-input_{name}']").fill(value)
    item.locator("textarea[name=reason]").fill(reason)
    in_place(page, item.get_by_role("button", name="Lưu điều chỉnh"), f"Đã điều chỉnh {code}.")


def accept(page, code: str) -> None:
    in_place(page, page.locator("#review-" + code.replace(".", "\\.")).get_by_role("button", name="Chấp nhận"),
             f"Đã chấp nhận {code} như khai báo.")


def the_reviewer_reviews(page, url: str, period: Period) -> None:
    move_period(page, url, period, "Đang rà soát")
    sign_in(page, url, "thamdinh")
    review_page(page, url, period, BAC_NINH)
    adjust(page, "1.1", {"count": "2"}, "Chỉ có 2 biên bản họp hợp lệ")
    adjust(page, "2.1", {"a": "40", "b": "50"}, "Danh sách cán bộ chỉ có 40 máy tính")
    accept(page, "1.2")
    accept(page, "2.2")
    reviewed = page.locator("#review-1\\.1").inner_text()
    assert "10,00" in reviewed and "Chỉ có 2 biên bản họp hợp lệ" in reviewed
    assert "24,00" in page.locator("#review-2\\.1").inner_text()
    page.locator("#review-1\\.1").scroll_into_view_if_needed()
    shot(page, "3-review")
    participation = review_page(page, url, period, TU_SON)
    for code in ("1.1", "1.2", "2.1"):
        accept(page, code)
    for code, question in (("2.1", "Danh sách cán bộ có máy tính?"),
                           ("2.2", "Đề nghị gửi biên bản kiểm tra an toàn thông tin năm 2025")):
        item = page.locator("#review-" + code.replace(".", "\\."))
        item.locator("summary", has_text="Đề nghị đơn vị làm rõ").click()
        item.locator("textarea[name=question]").fill(question)
        in_place(page, item.get_by_role("button", name="Thêm vào các câu hỏi sẽ gửi"), f"câu hỏi về {code}")
    in_place(page, page.locator("#questions").get_by_role("button", name="Gửi cùng lúc các câu hỏi cho đơn vị (2)"),
             "Đã gửi 2 câu hỏi")
    assert page.locator("#declaration-state").inner_text() == "Đã nộp"  # the review goes on meanwhile

    sign_in(page, url, "donvi.tuson")  # the unit answers each question in words, without resubmitting
    declaration_of(page, url, TU_SON, period)
    questions = page.locator("#questions")
    assert "Đề nghị gửi biên bản kiểm tra an toàn thông tin năm 2025" in questions.inner_text()
    for text in ("Danh sách 40 cán bộ đã gửi kèm bản khai báo.",
                 "Biên bản kiểm tra số 05/BB-UBND: đạt 18 điểm theo hướng dẫn."):
        questions.locator("textarea[name=answer]").first.fill(text)
        questions.get_by_role("button", name="Gửi câu trả lời").first.click()
        page.wait_for_load_state()
        assert text in page.locator("#questions").inner_text()
    assert page.locator("#declaration-state").inner_text() == "Đã nộp"
    shot(page, "3-answers")

    sign_in(page, url, "thamdinh")
    review_page(page, url, period, TU_SON)
    assert "Biên bản kiểm tra số 05/BB-UBND" in page.locator("#review-2\\.2").inner_text()
    adjust(page, "2.2", {"points": "18"}, "Theo biên bản kiểm tra 05/BB-UBND")
    assert "18,00" in page.locator("#review-2\\.2").inner_text()
    page.reload()  # the last indicator reviewed: the declaration reads "reviewed", from its entries
    assert page.locator("#declaration-state").inner_text() == "Đã rà soát"
    assert Declaration.objects.get(participation=participation).state == "submitted"


def the_appeal_is_decided(page, url: str, period: Period) -> None:
    move_period(page, url, period, "Phúc khảo")
    sign_in(page, url, "donvi.bacninh")
    participation = Participation.objects.get(period=period, unit__name=BAC_NINH)
    page.goto(f"{url}/quan-ly/khai-bao/{participation.pk}/NTS/")  # new evidence first
    page.locator("#indicator-1\\.1 footer summary").click()
    page.set_input_files("#indicator-1\\.1 footer input[type=file]", files=[
        {"name": "bien-ban-hop-bcd-lan-3.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    page.locator("#indicator-1\\.1 footer button[type=submit]").click()
    page.wait_for_load_state()
    assert "bien-ban-hop-bcd-lan-3.pdf" in page.locator("#indicator-1\\.1 footer").inner_text()
    page.goto(f"{url}/quan-ly/khai-bao/{participation.pk}/phuc-khao/")
    row = page.locator("#appeal-i-1_1")
    row.locator("summary").click()
    row.locator("textarea[name=reason]").fill("Cuộc họp thứ ba có biên bản bổ sung")
    row.get_by_role("button", name="Gửi đề nghị phúc khảo").click()
    page.wait_for_load_state()
    assert "Cuộc họp thứ ba có biên bản bổ sung" in page.locator("#appeal-i-1_1").inner_text()
    shot(page, "4-appeal")

    sign_in(page, url, "thamdinh2", SECOND_REVIEWER_PASSWORD)  # not the reviewer of 1.1: the second one decides
    review_page(page, url, period, BAC_NINH)
    appeal = page.locator("article", has=page.locator("input[name=upheld]"))
    appeal.locator("input[name=upheld][value=yes]").check()
    appeal.locator("input[name$='-input_count']").fill("3")
    appeal.locator("textarea[name=decision]").fill("Biên bản bổ sung hợp lệ: 3 cuộc họp")
    appeal.get_by_role("button", name="Quyết định").click()
    page.wait_for_load_state()
    assert "15,00" in page.locator("#review-1\\.1").inner_text()


def the_secretariat_publishes(page, url: str, period: Period, tmp_path) -> None:
    move_period(page, url, period, "Đã chốt")
    page.goto(f"{url}/quan-ly/ky-danh-gia/{period.pk}/")
    page.locator("form", has=page.locator("input[name=to_state]")).locator("button[type=submit]").click()
    page.wait_for_load_state()  # results are published with their decision, numbered and dated
    assert "chưa có số quyết định và ngày ký" in page.get_by_role("alert").inner_text()
    page.goto(f"{url}/quan-ly/ky-danh-gia/{period.pk}/quyet-dinh/")
    page.locator("input[name=number]").fill("2612/QĐ-UBND")
    page.locator("input[name=signed_on]").fill("2024-12-26")
    page.locator("form", has=page.locator("input[name=number]")).locator("button[type=submit]").click()
    page.wait_for_load_state()
    move_period(page, url, period, "Đã công bố")
    page.locator("#decision-link").click()
    files = {}
    for name in ("quyet-dinh.docx", "quyet-dinh.pdf", "phu-luc.xlsx"):
        with page.expect_download() as download:
            page.locator(f"a[href$='/tai-ve/{name}']").click()
        files[name] = tmp_path / name
        download.value.save_as(files[name])
    shot(page, "5-documents")
    docx = Document(str(files["quyet-dinh.docx"]))
    cells = [c.text for t in docx.tables for r in t.rows for c in r.cells]
    assert "Số: 2612/QĐ-UBND" in "\n".join([*(p.text for p in docx.paragraphs), *cells])
    assert "DỰ THẢO" not in "\n".join(p.text for p in docx.paragraphs)  # published: as signed, no draft
    workbook = load_workbook(files["phu-luc.xlsx"])
    values = [c.value for sheet in workbook.worksheets for row in sheet.iter_rows() for c in row]
    pdf = extract_text(str(files["quyet-dinh.pdf"]))
    # Bắc Ninh: 1.1 three meetings after the appeal (15) + 20 + 40/50 × 30 (24) + 25 = 84; declared 87.
    # Từ Sơn: 10 + 20 + 30/40 × 30 (22.5) + 18 after its answer to the question = 70.5; declared 72.5.
    for text in ("84.00", "87.00", "70.50", "72.50"):
        assert text in cells and text in pdf
    assert 84 in values and 70.5 in values and "Tốt" in values and "Khá" in values


def a_visitor_reads_the_results(page, url: str, period: Period) -> None:
    page.context.clear_cookies()
    page.goto(f"{url}/ket-qua/{period.pk}/khoi/huyen/")
    rows = page.locator("table tbody tr")
    first = rows.nth(0).inner_text()
    assert BAC_NINH in first and "84,00" in first and "Tốt" in first
    assert "70,50" in rows.nth(1).inner_text()
    # 2023 was scored out of 1,000 and this year out of 100: no change of points or rank is shown against it.
    assert "Thay đổi" not in page.locator("table thead").first.inner_text()
    shot(page, "6-ranking")
    page.get_by_role("link", name=BAC_NINH).first.click()
    page.locator("#reviewed-total").wait_for()
    assert page.locator("#reviewed-total").inner_text() == "84,00"
    assert page.locator("#rank").inner_text() == "1/2"
    with page.expect_navigation():  # the switch submits itself: wait for the English page, not the old one
        page.select_option("select[name=language]", "en")
    page.locator("#reviewed-total").wait_for()
    assert "points after review" in page.locator("main").inner_text()
    shot(page, "6-profile-english")


def test_the_assessment_year_role_by_role(live_server, page, tmp_path):
    load_demo()
    url = live_server.url
    period = the_secretariat_opens_the_year(page, url, tmp_path)
    the_units_declare(page, url, period)
    the_reviewer_reviews(page, url, period)
    the_appeal_is_decided(page, url, period)
    the_secretariat_publishes(page, url, period, tmp_path)
    a_visitor_reads_the_results(page, url, period)
