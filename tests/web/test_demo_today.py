"""The demo in today's shape: the merged Bắc Ninh's 2026 period — 99 communes and wards from the register,
departments from a file and from the 2025 mergers — on the example framework, part-way through review."""

from decimal import Decimal

import pytest
from django.urls import reverse

from dti.assessments.audit import Action
from dti.assessments.models import AuditEntry, Clarification, Period, Unit
from dti.assessments.operations.demo import load_demo
from dti.assessments.operations.demo_today import PERIOD_NAME, load_today
from dti.assessments.queries.presentation import provisional_total
from dti.assessments.queries.progress import progress_board


@pytest.fixture
def today(db):
    load_demo()
    return load_today()


def test_the_merged_province_has_its_communes_departments_and_a_year_at_work(today):
    assert today.name == PERIOD_NAME and "mẫu" in today.framework.name and today.state == Period.State.DECLARING
    communes = today.participations.filter(group__code="xa-phuong")
    assert communes.count() == 99 and not communes.filter(unit__official_code="").exists()
    departments = set(today.participations.filter(group__code="so-nganh").values_list("unit__name", flat=True))
    assert {"Sở Khoa học và Công nghệ tỉnh Bắc Ninh", "Sở Y tế", "Thanh tra tỉnh"} <= departments
    assert "Sở Thông tin và truyền thông" not in departments  # merged in 2025
    _rows, counts = progress_board(today, (), False)
    assert all(counts.get(state, 0) > 0 for state in ("not_started", "draft", "submitted", "reviewed")), counts
    assert Clarification.objects.open().filter(participation__period=today).count() == 3  # one of four answered
    for action in (Action.UNITS_IMPORTED, Action.UNITS_FROM_FILE, Action.UNITS_MERGED):
        assert AuditEntry.objects.filter(action=action).exists()


def test_the_merged_department_states_its_comparison_through_its_predecessors(today, client):
    from dti.accounts.services import create_account

    unit = Unit.objects.get(name="Sở Khoa học và Công nghệ tỉnh Bắc Ninh")
    assert sorted(link.predecessor.name for link in unit.predecessor_links.all()) == [
        "Sở Khoa học và Công nghệ", "Sở Thông tin và truyền thông"]
    client.force_login(create_account(username="doc", password=None, role="leader"))
    participation = today.participations.get(unit=unit)
    page = client.get(reverse("assessments:participation_analysis", args=[participation.pk])).content.decode()
    sentence = page.split('id="baseline-method">', 1)[1].split("</p>", 1)[0]
    assert sentence.startswith("So với năm 2023 qua các đơn vị tiền thân, theo trung bình cộng tỷ lệ điểm")
    assert "Sở Khoa học và Công nghệ 734,82/1.000,00 (73,48%)" in sentence and "→ 83,21%." in sentence


def test_a_communes_page_names_the_communes_and_district_it_was_formed_from(today, client):
    from dti.accounts.services import create_account

    client.force_login(create_account(username="doc", password=None, role="leader"))
    participation = today.participations.get(unit__name="Phường Kinh Bắc")
    page = client.get(reverse("assessments:participation_analysis", args=[participation.pk])).content.decode()
    formed = page.split('id="former-units">', 1)[1].split("</ul>", 1)[0]
    assert "Thành phố Bắc Ninh, Tỉnh Bắc Ninh" in formed and formed.count("<li>") >= 2
    assert "Chưa đơn vị cấp xã nào hình thành nên đơn vị này được đánh giá" in page


def test_a_reviewed_unit_sees_its_provisional_change_while_the_rest_is_reviewed(today, client):
    from dti.accounts.services import create_account
    from dti.assessments.operations.demo_today import ASKED_UNIT, REVIEWED_UNIT
    from dti.assessments.queries.baseline import PERCENT, baseline
    from dti.web.numbers import signed as signed_points

    client.force_login(create_account(username="doc", password=None, role="leader"))
    reviewed = today.participations.get(unit__name=REVIEWED_UNIT)  # merged in 2025, reviewed in the demo
    total = provisional_total(reviewed)
    assert total is not None
    page = client.get(reverse("assessments:participation_analysis", args=[reviewed.pk])).content.decode()
    change = page.split('id="baseline-change">', 1)[1].split("</p>", 1)[0]
    before = baseline(reviewed.unit, 2026, Decimal(100), PERCENT).value  # its predecessors' mean share of 1,000
    assert f"{signed_points(total - before)} điểm phần trăm</strong>" in change and "(tạm tính)" in change
    asked = today.participations.get(unit__name=ASKED_UNIT)  # under review, two indicators asked about
    assert provisional_total(asked) is None
    page = client.get(reverse("assessments:participation_analysis", args=[asked.pk])).content.decode()
    assert 'id="baseline-method"' in page and 'id="baseline-change"' not in page
    assert "đơn vị của khối chưa nộp bản khai báo; phân tích sẽ hiện khi mọi đơn vị đã nộp" in page
    assert "None" not in page.split('class="notice"', 1)[1].split("</p>", 1)[0]  # no other unit's raw fault
