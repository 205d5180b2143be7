"""A period never moves back: every move shows what it does and what the period holds, warns where the dates
disagree, and happens only once confirmed."""

import datetime

import pytest
from django.urls import reverse

from dti.assessments import policy
from dti.assessments.models import Period

from .test_declaration import chi_participation, fill_everything, open_period  # noqa: F401 - fixtures

# The period and its people are written once for the module (conftest's ``world``).
pytestmark = pytest.mark.usefixtures("world")


def move(client, period, to_state, **extra):
    return client.post(reverse("assessments:period_advance", args=[period.pk]), {"to_state": to_state, **extra},
                       follow=True).content.decode()


def test_the_first_post_shows_the_summary_and_moves_nothing(as_user, open_period, chi_participation):  # noqa: F811
    fill_everything(as_user("chi"), chi_participation)
    page = move(as_user("an"), open_period, "reviewing", note="Hết hạn")
    assert "Chuyển sang “Đang rà soát”?" in page and 'id="confirm-move"' in page
    assert "2 đơn vị · Chưa bắt đầu: 1 · Nháp: 1" in page
    assert "Hạn khai báo đến ngày 31/12/2099: đơn vị chưa nộp sẽ không khai báo được nữa." in page
    assert 'value="Hết hạn"' in page  # the note travels to the confirmation
    assert Period.objects.get(pk=open_period.pk).state == "declaring"


def test_the_confirmed_post_moves_the_period(as_user, open_period):  # noqa: F811
    page = move(as_user("an"), open_period, "reviewing", confirmed="true")
    assert Period.objects.get(pk=open_period.pk).state == "reviewing"
    assert '<span class="state" id="period-state">Đang rà soát</span>' in page


def test_finalizing_shows_each_groups_provisional_results_and_the_decision_number(as_user, period):
    Period.objects.filter(pk=period.pk).update(state="appeals", decision_settings={"number": "2405/QĐ-UBND"})
    page = move(as_user("an"), period, "finalized")
    assert "Quyết định công bố kết quả: 2405/QĐ-UBND" in page
    # The provisional averages and grades of decision 2405's appendices.
    assert ("<td>Đơn vị sở ban ngành</td><td>17</td><td>17</td><td>747,01</td>"
            "<td>Xuất sắc: 3 · Tốt: 3 · Khá: 3 · Trung bình: 5 · Kém: 3</td>") in page
    assert "<td>Đơn vị UBND huyện/thị xã/thành phố</td><td>8</td><td>8</td><td>601,80</td>" in page
    assert Period.objects.get(pk=period.pk).state == "appeals"


@pytest.mark.parametrize(("to_state", "dates", "warning"), [
    ("declaring", {"declaration_opens": datetime.date(2026, 12, 10)},
     "Lịch mở khai báo là ngày 10/12/2026: đơn vị sẽ khai báo được ngay từ hôm nay."),
    ("declaring", {"declaration_closes": datetime.date(2026, 11, 30)},
     "Hạn khai báo (ngày 30/11/2026) đã qua: không đơn vị nào khai báo được. Cần gia hạn trước."),
    ("appeals", {"appeal_opens": datetime.date(2027, 2, 1), "appeal_closes": datetime.date(2027, 2, 10)},
     "Thời gian phúc khảo bắt đầu ngày 01/02/2027: trước ngày đó đơn vị chưa đề nghị phúc khảo được."),
    ("appeals", {"appeal_opens": datetime.date(2026, 11, 1), "appeal_closes": datetime.date(2026, 11, 10)},
     "Thời gian phúc khảo đã kết thúc ngày 10/11/2026: không đơn vị nào đề nghị phúc khảo được. "
     "Cần dời thời gian phúc khảo trước."),
    ("appeals", {}, "Kỳ đánh giá chưa có thời gian phúc khảo: đơn vị đề nghị phúc khảo được cho đến khi chốt kết quả."),
    ("finalized", {"appeal_closes": datetime.date(2026, 12, 5)},
     "Thời gian phúc khảo còn đến ngày 05/12/2026: chốt kết quả bây giờ sẽ kết thúc phúc khảo sớm."),
])
def test_a_move_that_disagrees_with_the_dates_is_warned_of(to_state, dates, warning):
    period = Period(name="Kỳ 2026", year=2026, **dates)
    assert policy.timeline_warnings(period, to_state, today=datetime.date(2026, 12, 2)) == [warning]


@pytest.mark.parametrize(("to_state", "today"), [("declaring", datetime.date(2026, 11, 15)),
                                               ("reviewing", datetime.date(2026, 12, 1)),
                                               ("appeals", datetime.date(2026, 12, 1)),
                                               ("finalized", datetime.date(2026, 12, 11))])
def test_a_move_in_step_with_the_dates_has_no_warning(to_state, today):
    period = Period(name="Kỳ 2026", year=2026, declaration_opens=datetime.date(2026, 11, 1),
                    declaration_closes=datetime.date(2026, 11, 30), appeal_opens=datetime.date(2026, 12, 1),
                    appeal_closes=datetime.date(2026, 12, 10))
    assert policy.timeline_warnings(period, to_state, today=today) == []


def test_the_period_page_warns_beside_the_move(as_user, open_period):  # noqa: F811
    page = as_user("an").get(reverse("assessments:period", args=[open_period.pk])).content.decode()
    assert 'id="move-warnings"' in page and "đơn vị chưa nộp sẽ không khai báo được nữa" in page


def test_before_review_the_summary_shows_no_results_and_after_it_says_what_is_missing(as_user, open_period):  # noqa: F811
    an = as_user("an")
    assert "<th>Trung bình (sau rà soát)</th>" not in move(an, open_period, "reviewing")
    Period.objects.filter(pk=open_period.pk).update(state="reviewing")
    page = move(an, open_period, "appeals")
    assert "2 đơn vị chưa được rà soát đầy đủ." in page and "None" not in page
