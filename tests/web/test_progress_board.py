"""The progress board: each unit's indicators declared and evidence missing, filters, and reminders to one unit
or to every unit that has not sent its declaration, by e-mail with the link to it, recorded in the log."""

import datetime

import pytest
from django.urls import reverse

from dti.assessments.actions import declarations
from dti.assessments.actions.evidence import add_evidence
from dti.assessments.audit import Action
from dti.assessments.models import AuditEntry, OutgoingMail, Period
from dti.assessments.queries.audit_log import describe

from .test_declaration import chi_participation, fill_everything, open_period  # noqa: F401 - fixtures

# The period and its people are written once for the module (conftest's ``world``).
pytestmark = pytest.mark.usefixtures("world")


def board(client, period, query=""):
    return client.get(reverse("assessments:period_progress", args=[period.pk]) + query).content.decode()


def remind(client, period, **data):
    return client.post(reverse("assessments:period_remind", args=[period.pk]), data, follow=True).content.decode()


def test_the_board_shows_what_each_unit_has_declared_and_the_evidence_it_lacks(as_user, chi_participation):  # noqa: F811
    fill_everything(as_user("chi"), chi_participation)  # 11 indicators; 1.1, 1.2 and 1.3 expect evidence
    add_evidence(chi_participation, "1.1", symbol="12/BC-UBND", issued_on=datetime.date(2024, 3, 1),
                 issuer="UBND TP. Bắc Ninh")
    page = board(as_user("an"), chi_participation.period)
    row = page[page.index("UBND TP. Bắc Ninh</a>"):][:400]
    assert "<td>11/11</td>" in row and "<mark>2</mark>" in row
    other = page[page.index("Sở Y tế</a>"):][:400]
    assert "<td>0/6</td>" in other


def test_the_board_filters_by_state_and_by_units_not_yet_sent(as_user, chi_participation):  # noqa: F811
    client = as_user("chi")
    fill_everything(client, chi_participation)
    declarations.submit_declaration(chi_participation, by=None)
    an = as_user("an")
    submitted = board(an, chi_participation.period, "?trang-thai=submitted")
    assert "UBND TP. Bắc Ninh</a>" in submitted and "Sở Y tế</a>" not in submitted
    waiting = board(an, chi_participation.period, "?tre=1")
    assert "UBND TP. Bắc Ninh</a>" not in waiting and "Sở Y tế</a>" in waiting
    assert "Nhắc 1 đơn vị chưa nộp bản khai báo" in waiting


def test_one_unit_is_reminded_with_the_link_to_its_declaration(as_user, chi_participation):  # noqa: F811
    page = remind(as_user("an"), chi_participation.period, participation=chi_participation.pk)
    assert "Đã gửi thư nhắc tới 1 đơn vị: UBND TP. Bắc Ninh." in page
    mail = OutgoingMail.objects.get(subject__contains="Nhắc hạn khai báo")
    assert mail.recipients == ["chi@ubnd-bacninh.example"]
    assert "Hạn khai báo Kỳ 2024 là ngày 31/12/2099" in mail.body
    assert f"/quan-ly/khai-bao/{chi_participation.pk}/" in mail.body
    assert describe(AuditEntry.objects.get(action=Action.UNITS_REMINDED)) == "an nhắc hạn khai báo: UBND TP. Bắc Ninh"


def test_every_unit_not_yet_sent_is_reminded_at_once_and_no_other(as_user, chi_participation):  # noqa: F811
    fill_everything(as_user("chi"), chi_participation)
    declarations.submit_declaration(chi_participation, by=None)
    assert "Đã gửi thư nhắc tới 1 đơn vị: Sở Y tế." in remind(as_user("an"), chi_participation.period)
    assert AuditEntry.objects.get(action=Action.UNITS_REMINDED).new == {"units": ["Sở Y tế"]}


def test_a_unit_that_has_sent_is_not_reminded_and_nothing_is_sent_after_declaration(as_user, chi_participation):  # noqa: F811
    fill_everything(as_user("chi"), chi_participation)
    declarations.submit_declaration(chi_participation, by=None)
    an = as_user("an")
    page = remind(an, chi_participation.period, participation=chi_participation.pk)
    assert "không có đơn vị nào cần nhắc" in page
    Period.objects.filter(pk=chi_participation.period_id).update(state="reviewing")
    page = remind(an, chi_participation.period)
    assert "Chỉ nhắc đơn vị khi kỳ đánh giá đang khai báo." in page
    assert 'id="remind-all"' not in board(an, chi_participation.period)
    assert not OutgoingMail.objects.filter(subject__contains="Nhắc hạn khai báo").exists()
    assert not AuditEntry.objects.filter(action=Action.UNITS_REMINDED).exists()


def test_a_unit_reopened_after_the_deadline_is_reminded_of_its_own_deadline(as_user, chi_participation, people):  # noqa: F811
    yesterday = datetime.date.today() - datetime.timedelta(days=1)
    Period.objects.filter(pk=chi_participation.period_id).update(declaration_closes=yesterday)
    until = datetime.date.today() + datetime.timedelta(days=3)
    declarations.reopen(chi_participation, until=until, reason="Gia hạn theo Công văn 25 (ví dụ)", by=people["an"])
    remind(as_user("an"), chi_participation.period)
    own = OutgoingMail.objects.get(subject__contains="Nhắc hạn khai báo", recipients=["chi@ubnd-bacninh.example"])
    assert f"là ngày {until.strftime('%d/%m/%Y')} (còn 3 ngày)" in own.body


def test_only_a_unit_that_has_not_sent_is_offered_a_reopening(as_user, chi_participation):  # noqa: F811
    fill_everything(as_user("chi"), chi_participation)
    declarations.submit_declaration(chi_participation, by=None)
    page = board(as_user("an"), chi_participation.period)
    sent = page[page.index("UBND TP. Bắc Ninh</a>"):].split("</tr>", 1)[0]
    waiting = page[page.index("Sở Y tế</a>"):].split("</tr>", 1)[0]
    assert "Mở lại" not in sent and "Mở lại" in waiting
