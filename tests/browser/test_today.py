"""A year of the merged Bắc Ninh (with Bắc Giang since 1 July 2025) in a real browser, role by role.

The secretariat loads the province's 99 communes and wards from the national register, records the 2025 merger
of its two departments, adds the new departments from a file and 20 department accounts from another, opens the
2026 period on the example framework, extends the deadline of one late unit and reminds the others; a reviewer
filters to the submitted units, accepts a pillar's remaining indicators in one action and asks two questions in
one round, which the unit answers in words; the leader reads the dashboard, and the merged department's
comparison with 2023 comes from its predecessors by the period's stated method. The units' own figures are
entered through the same actions (the declaration screens have their own browser test, test_year).
"""

import datetime
import random
import re
from urllib.parse import urlsplit

import pytest
from django.utils import timezone, translation
from openpyxl import Workbook
from playwright.sync_api import expect

from dti.accounts.models import Role
from dti.assessments.actions import declarations
from dti.assessments.models import Declaration, OutgoingMail, Participation, Period, Unit
from dti.assessments.operations.demo import PROJECT_ROOT, load_demo
from dti.assessments.operations.demo_today import example_inputs
from dti.documents.account_sheet import COLUMNS

from .test_year import confirm_move, in_place, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

MERGED = "Sở Khoa học và Công nghệ tỉnh Bắc Ninh"
PREDECESSORS = ("Sở Thông tin và truyền thông", "Sở Khoa học và Công nghệ")
LATE = "Sở Y tế"  # has not declared when the deadline passes; given a few more days
COMMUNE = "Phường Kinh Bắc"
PERIOD = "Đánh giá chỉ số chuyển đổi số năm 2026"
OFFICER_PASSWORD = "mat-khau-can-bo-2026"


def message(page) -> str:
    return page.locator(".messages, [role=status], [role=alert]").first.inner_text()


def the_secretariat_onboards_the_province(page, url: str, tmp_path) -> None:
    sign_in(page, url, "sotttt")
    page.goto(f"{url}/quan-ly/bo-chi-so/")
    page.set_input_files("input[type=file][name=file]", str(PROJECT_ROOT / "frameworks" / "mau-bacninh-2026.yaml"))
    page.click("form[enctype] button[type=submit]")
    page.wait_for_load_state()
    assert "bộ chỉ số mẫu" in page.locator("h1").inner_text()

    page.goto(f"{url}/quan-ly/don-vi/")
    register = page.locator("#from-register")
    register.locator("select[name=province]").select_option(label="Tỉnh Bắc Ninh")
    register.locator("select[name=group_code]").select_option("xa-phuong")
    register.locator("input[name=year]").fill("2025")
    register.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert "99" in message(page)
    assert Unit.objects.filter(group_code="xa-phuong").exclude(official_code="").count() == 99

    # The two departments leave the open 2024 period (they declared nothing there), then merge.
    current = Period.objects.get(year=2024)
    page.goto(f"{url}/quan-ly/ky-danh-gia/{current.pk}/")
    for name in PREDECESSORS:
        page.locator("tr", has=page.get_by_role("link", name=name, exact=True)).get_by_role(
            "button", name="Bỏ", exact=True).click()
        page.wait_for_load_state()
    page.goto(f"{url}/quan-ly/don-vi/")
    page.locator("#unit-search input[name=q]").fill("so")  # 99 communes and wards: the departments are found
    page.locator("#unit-search button[type=submit]").click()
    page.wait_for_load_state()
    merge = page.locator("#merge")
    merge.locator("select[name=predecessors]").select_option(label=list(PREDECESSORS))
    merge.locator("input[name=name]").fill(MERGED)
    merge.locator("select[name=group_code]").select_option("so-nganh")
    merge.locator("input[name=year]").fill("2025")
    merge.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert MERGED in message(page)

    page.goto(f"{url}/quan-ly/don-vi/")
    page.set_input_files("#units-import input[type=file]", str(PROJECT_ROOT / "data" / "bacninh-2026-don-vi.csv"))
    page.locator("#units-import button[type=submit]").click()
    page.wait_for_load_state()
    assert "4 đơn vị" in message(page)

    departments = list(Unit.objects.active_in(2026).filter(group_code="so-nganh").order_by("name"))
    assert len(departments) == 20
    book = Workbook()
    sheet = book.active
    sheet.append(COLUMNS)
    with translation.override("vi"):
        officer = str(Role.UNIT_OFFICER.label)
    for number, unit in enumerate(departments, start=1):
        sheet.append([f"so{number:02d}", f"Cán bộ {unit.name}", f"so{number:02d}@bacninh.example", officer, unit.name])
    accounts = tmp_path / "tai-khoan-so-nganh.xlsx"
    book.save(accounts)
    page.goto(f"{url}/quan-ly/tai-khoan/")
    page.set_input_files("#accounts-import input[type=file]", str(accounts))
    page.locator("#accounts-import button[type=submit]").click()
    page.wait_for_load_state()
    assert message(page).startswith("Đã tạo 20 tài khoản")


def the_secretariat_opens_the_period(page, url: str) -> Period:
    day = timezone.localdate()
    page.goto(f"{url}/quan-ly/ky-danh-gia/")
    page.get_by_text("Mở kỳ đánh giá mới").click()
    form = page.locator("form", has=page.locator("input[name=year]"))
    form.locator("input[name=year]").fill("2026")
    form.locator("input[name=name]").fill(PERIOD)
    form.locator("select[name=framework]").select_option(
        label=form.locator("select[name=framework] option", has_text="mẫu").first.inner_text())
    form.locator("input[name=declaration_opens]").fill((day - datetime.timedelta(days=30)).isoformat())
    form.locator("input[name=declaration_closes]").fill((day + datetime.timedelta(days=10)).isoformat())
    form.locator("input[name=second_review_margin]").fill("0")
    form.locator("select[name=comparison_method]").select_option("percent")  # 2023 was out of 1,000
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    period = Period.objects.get(year=2026)
    assert period.participations.filter(group__code="xa-phuong").count() == 99
    assert set(period.participations.filter(group__code="so-nganh").values_list("unit__name", flat=True)) == {
        u.name for u in Unit.objects.active_in(2026).filter(group_code="so-nganh")}
    for group in ("Xã, phường (bộ chỉ số mẫu)", "Sở, ban, ngành (bộ chỉ số mẫu)"):
        assigning = page.locator("form", has=page.locator("select[name=reviewer]"))
        assigning.locator("select[name=reviewer]").select_option(label="Trần Thị Bình (thẩm định) (thamdinh)")
        assigning.locator("select[name=group]").select_option(label=group)
        assigning.locator("button[type=submit]").click()
        page.wait_for_load_state()
    confirm_move(page)
    assert page.locator("#period-state").inner_text() == "Đang khai báo"
    return Period.objects.get(pk=period.pk)


def the_units_declare(period: Period) -> None:
    """Forty communes and the merged department send their declarations, twenty communes keep a draft; the
    other units, the late department among them, have not started when the deadline passes."""
    draw = random.Random(2026)  # noqa: S311 - example figures
    communes = list(period.participations.filter(group__code="xa-phuong").order_by("unit__name"))
    merged = period.participations.get(unit__name=MERGED)
    for k, participation in enumerate([merged, *communes[:60]]):
        for indicator in participation.framework_group.leaves():
            declarations.save_declared_indicator(participation, indicator, inputs=example_inputs(indicator, 0.8, draw),
                                                 not_applicable=False, comment="", expected_version=None, by=None)
        if k <= 40:
            declarations.submit_declaration(participation, by=None)


def an_officer_opens_their_account(page, url: str, username: str) -> None:
    """The officer follows the link of the e-mail that opened the account and chooses a password."""
    mail = OutgoingMail.objects.get(recipients=[f"{username}@bacninh.example"], subject__contains="Tài khoản")
    link = urlsplit(re.search(r"https?://\S+", mail.body).group(0))
    page.context.clear_cookies()
    page.goto(url + link.path)
    page.fill("input[name=new_password1]", OFFICER_PASSWORD)
    page.fill("input[name=new_password2]", OFFICER_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    sign_in(page, url, username, OFFICER_PASSWORD)


def the_deadline_passes_and_the_secretariat_follows_up(page, url: str, period: Period) -> None:
    Period.objects.filter(pk=period.pk).update(declaration_closes=timezone.localdate() - datetime.timedelta(days=1))
    sign_in(page, url, "sotttt")
    page.goto(f"{url}/quan-ly/ky-danh-gia/{period.pk}/tien-do/")
    page.locator("#filters input[name=tre]").check()
    page.locator("#filters button[type=submit]").click()
    page.wait_for_load_state()
    late = period.participations.count() - 41
    # A page of 50 at a time; the reminder button counts every late unit.
    assert page.locator("#progress tbody tr").count() == min(late, 50) and "tre=1" in page.url
    assert f"Nhắc {late} đơn vị" in page.locator("#remind-all").inner_text()
    page.fill("#filters input[name=q]", "so y te")  # found without diacritics, the late filter kept
    page.locator("#filters button[type=submit]").click()
    page.wait_for_load_state()
    row = page.locator("#progress tbody tr", has=page.get_by_role("link", name=LATE, exact=True))
    assert "quá hạn" in row.inner_text()
    row.locator("summary", has_text="Mở lại").click()
    row.locator("input[name=until]").fill((timezone.localdate() + datetime.timedelta(days=3)).isoformat())
    row.locator("input[name=reason]").fill("Gia hạn theo Công văn số 25/SYT (ví dụ)")
    row.get_by_role("button", name="Mở lại").click()
    page.wait_for_load_state()
    until = (timezone.localdate() + datetime.timedelta(days=3)).strftime("%d/%m/%Y")
    assert f"{LATE}" in message(page) and until in message(page)

    page.goto(f"{url}/quan-ly/ky-danh-gia/{period.pk}/tien-do/?tre=1")
    page.locator("#remind-all button").click()
    page.wait_for_load_state()
    assert message(page).startswith(f"Đã gửi thư nhắc tới {late} đơn vị:")
    # Mail reaches the units with an account: the 19 departments that have not sent, each with its link.
    reminded = OutgoingMail.objects.filter(subject__contains="Nhắc hạn khai báo")
    assert reminded.count() == 19
    mail = reminded.get(recipients=[f"{username_of(LATE)}@bacninh.example"])
    participation = period.participations.get(unit__name=LATE)
    assert f"/quan-ly/khai-bao/{participation.pk}/" in mail.body and until in mail.body

    an_officer_opens_their_account(page, url, username_of(LATE))
    page.goto(f"{url}/quan-ly/khai-bao/{participation.pk}/NTS/")  # the extension opens it again for this unit
    assert "Hạn khai báo đã kết thúc" not in page.locator("main").inner_text()
    assert page.locator("button.save").count() == 1


def username_of(unit_name: str) -> str:
    names = list(Unit.objects.active_in(2026).filter(group_code="so-nganh").order_by("name")
                 .values_list("name", flat=True))
    return f"so{names.index(unit_name) + 1:02d}"


def the_reviewer_reviews(page, url: str, period: Period) -> Participation:
    sign_in(page, url, "sotttt")
    page.goto(f"{url}/quan-ly/ky-danh-gia/{period.pk}/")
    confirm_move(page)
    assert page.locator("#period-state").inner_text() == "Đang rà soát"

    sign_in(page, url, "thamdinh")
    page.goto(f"{url}/quan-ly/ky-danh-gia/{period.pk}/tham-dinh/")
    filters = page.locator("#queue-filters")
    filters.locator("select[name=trang-thai]").select_option("submitted")
    filters.locator("button[type=submit]").click()
    page.wait_for_load_state()
    states = page.locator("#queue tbody tr td:nth-child(3)").all_inner_texts()
    assert states and set(states) == {"Đã nộp"}
    filters.locator("input[name=q]").fill("phuong kinh bac")  # without diacritics
    filters.locator("button[type=submit]").click()
    page.wait_for_load_state()
    page.get_by_role("link", name=COMMUNE, exact=True).click()
    page.wait_for_load_state()
    in_place(page, page.locator("#accept-HTS button"), "Đã chấp nhận")
    commune = period.participations.get(unit__name=COMMUNE)
    reviewed = set(commune.entries.filter(stage="reviewed").values_list("indicator_code", flat=True))
    assert reviewed == {i.code for i in commune.framework_group.pillar("HTS").leaves()} and len(reviewed) == 2
    assert page.locator("#accept-HTS button").count() == 0  # nothing left to accept in the pillar

    merged = period.participations.get(unit__name=MERGED)
    page.goto(f"{url}/quan-ly/tham-dinh/{merged.pk}/")
    leaves = merged.framework_group.leaves()
    for indicator, question in ((leaves[0], "Đề nghị gửi kế hoạch chuyển đổi số năm 2026 đã ký."),
                                (leaves[2], "Số máy tính lấy theo kiểm kê tài sản ngày nào?")):
        item = page.locator("#review-" + indicator.code.replace(".", "\\."))
        item.locator("summary", has_text="Đề nghị đơn vị làm rõ").click()
        item.locator("textarea[name=question]").fill(question)
        in_place(page, item.get_by_role("button", name="Thêm vào các câu hỏi sẽ gửi"), f"câu hỏi về {indicator.code}")
    in_place(page, page.locator("#questions").get_by_role("button", name="Gửi cùng lúc các câu hỏi cho đơn vị (2)"),
             "Đã gửi 2 câu hỏi")
    return merged


def the_unit_answers(page, url: str, merged: Participation) -> None:
    an_officer_opens_their_account(page, url, username_of(MERGED))
    page.goto(f"{url}/quan-ly/khai-bao/{merged.pk}/")
    questions = page.locator("#questions")
    for text in ("Kế hoạch số 30/KH-SKHCN ngày 15/01/2026 (ví dụ) đã tải lên.",
                 "Theo biên bản kiểm kê ngày 31/12/2025 (ví dụ)."):
        questions.locator("textarea[name=answer]").first.fill(text)
        questions.get_by_role("button", name="Gửi câu trả lời").first.click()
        page.wait_for_load_state()
        assert text in page.locator("#questions").inner_text()
    assert page.locator("#declaration-state").inner_text() == "Đã nộp"  # answered without resubmitting

    sign_in(page, url, "thamdinh")
    page.goto(f"{url}/quan-ly/tham-dinh/{merged.pk}/")
    assert "Theo biên bản kiểm kê ngày 31/12/2025" in page.locator("main").inner_text()
    in_place(page, page.locator("#accept-all button"), "Đã chấp nhận")
    page.reload()
    assert page.locator("#declaration-state").inner_text() == "Đã rà soát"


def the_leader_reads_the_year(page, url: str, period: Period, merged: Participation) -> None:
    sign_in(page, url, "lanhdao")
    page.goto(f"{url}/quan-ly/")
    overview = page.locator(f"#overview-{period.pk}")
    counts = [" ".join(text.split()) for text in overview.locator(".counts article").all_inner_texts()]
    assert "40 Đã nộp" in counts and "1 Đã rà soát" in counts, counts
    overview.locator("svg").first.wait_for()

    page.goto(f"{url}/quan-ly/khai-bao/{merged.pk}/phan-tich/")
    sentence = page.locator("#baseline-method").inner_text()
    assert sentence.startswith("So với năm 2023 qua các đơn vị tiền thân, theo trung bình cộng tỷ lệ điểm")
    assert "Sở Khoa học và Công nghệ 734,82/1.000,00 (73,48%)" in sentence
    assert "Sở Thông tin và truyền thông 929,35/1.000,00 (92,94%)" in sentence
    expect(page.locator("#baseline-change")).to_contain_text("điểm phần trăm")

    commune = period.participations.get(unit__name=COMMUNE)
    page.goto(f"{url}/quan-ly/khai-bao/{commune.pk}/phan-tich/")
    formed = page.locator("#former-units").inner_text()
    assert "Phường Suối Hoa, Thành phố Bắc Ninh, Tỉnh Bắc Ninh" in formed
    assert "không có mốc so sánh" in page.locator("#baseline-method").inner_text()


def test_the_merged_province_runs_its_year(live_server, page, tmp_path):
    load_demo()
    url = live_server.url
    the_secretariat_onboards_the_province(page, url, tmp_path)
    period = the_secretariat_opens_the_period(page, url)
    the_units_declare(period)
    the_deadline_passes_and_the_secretariat_follows_up(page, url, period)
    merged = the_reviewer_reviews(page, url, period)
    the_unit_answers(page, url, merged)
    the_leader_reads_the_year(page, url, period, merged)
    assert Declaration.objects.filter(participation__period=period, state="submitted").count() == 41
