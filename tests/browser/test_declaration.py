"""A unit officer of the demo types values and sees the engine's points before saving."""

import pytest

from dti.assessments.models import IndicatorEntry
from dti.assessments.operations.demo import DEMO_PASSWORD, load_demo

from .conftest import SCREENSHOTS

pytestmark = pytest.mark.django_db(transaction=True)


def open_the_first_pillar(live_server, page) -> None:
    """The demo, signed in as UBND TP. Bắc Ninh's officer, on the 2024 declaration's first pillar page."""
    load_demo()
    page.goto(live_server.url + "/tai-khoan/dang-nhap/")
    page.fill("input[name=username]", "donvi.bacninh")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.click("text=UBND TP. Bắc Ninh — Đánh giá chỉ số chuyển đổi số năm 2024")
    page.click("text=NTS — Nhận thức số")


def test_points_appear_while_typing_and_are_saved(live_server, page):
    open_the_first_pillar(live_server, page)
    page.fill("input[name='1.2-input_a']", "2")
    page.fill("input[name='1.2-input_b']", "3")
    points = page.locator("#points-i-1_2")
    points.filter(has_text="13,33/20 điểm").wait_for()
    assert points.inner_text().startswith("13,33/20,00")
    with page.expect_navigation():  # the save reloads the page: read the new one, not the old
        page.locator("#indicator-1\\.2 button.save").click()
    assert "Đã lưu 1.2." in page.content()
    entry = IndicatorEntry.objects.get(indicator_code="1.2", participation__unit__name="UBND TP. Bắc Ninh")
    assert entry.inputs == {"a": "2", "b": "3"}
    page.set_viewport_size({"width": 1000, "height": 700})
    page.locator("#indicator-1\\.2").scroll_into_view_if_needed()
    page.screenshot(path=SCREENSHOTS / "declaration.png")


def test_saving_one_indicator_keeps_what_was_typed_in_another_and_leaving_warns(live_server, page):
    open_the_first_pillar(live_server, page)
    page.fill("input[name='1.2-input_a']", "1")
    page.fill("input[name='1.2-input_b']", "2")
    page.fill("input[name='1.1-input_value']", "3")
    with page.expect_navigation():  # "Lưu" of 1.1, with 1.2 typed and not saved
        page.locator("#indicator-1\\.1 button.save").click()
    assert "Đã lưu 1.1, 1.2." in page.content()
    saved = {e.indicator_code: e.inputs for e in IndicatorEntry.objects.filter(
        participation__unit__name="UBND TP. Bắc Ninh", participation__period__year=2024)}
    assert saved == {"1.1": {"value": "3"}, "1.2": {"a": "1", "b": "2"}}
    assert page.input_value("input[name='1.2-input_b']") == "2"

    page.fill("input[name='1.3-input_a']", "1")
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    page.close(run_before_unload=True)
    page.wait_for_timeout(300)
    assert dialogs == ["beforeunload"]


def test_a_file_over_10_mb_is_refused_before_it_is_sent(live_server, page):
    open_the_first_pillar(live_server, page)
    evidence = page.locator("#indicator-1\\.1")
    evidence.locator("summary", has_text="Thêm minh chứng").click()
    field = evidence.locator("input[type=file]")
    field.set_input_files({"name": "ban-quet.pdf", "mimeType": "application/pdf",
                           "buffer": b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024)})
    assert field.evaluate("input => input.validationMessage") == (
        "Tệp lớn hơn 10 MB: hãy chọn tệp nhỏ hơn (ví dụ bản quét ở độ phân giải thấp hơn).")
    requests = []
    page.on("request", lambda request: requests.append(request.method))
    evidence.locator("form[enctype] button[type=submit]").click()
    page.wait_for_timeout(300)
    assert "POST" not in requests  # the form did not go
    field.set_input_files({"name": "bien-ban.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%%EOF\n"})
    assert field.evaluate("input => input.validationMessage") == ""
