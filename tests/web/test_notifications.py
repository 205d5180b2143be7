"""E-mail to the unit: a question, a returned declaration, provisional and published results, a deadline."""

import datetime
import io

from django.core import mail
from django.core.management import call_command

from dti.assessments.actions.periods import advance_period

from .test_declaration import chi_participation, open_period  # noqa: F401 - fixtures
from .test_review import act, ask, submitted  # noqa: F401 - fixtures


def test_a_question_is_mailed_to_the_units_officers(as_user, submitted, django_capture_on_commit_callbacks):  # noqa: F811
    with django_capture_on_commit_callbacks(execute=True):
        ask(as_user("binh"), submitted, ("1.2", "Gửi biên bản cuộc họp thứ hai"))
    assert [m.to for m in mail.outbox] == [["chi@ubnd-bacninh.example"]]
    assert "Đề nghị làm rõ 1 chỉ số" in mail.outbox[0].subject
    assert f"/khai-bao/{submitted.pk}/" in mail.outbox[0].body  # where to answer
    assert "Gửi biên bản cuộc họp thứ hai" in mail.outbox[0].body


def test_provisional_and_published_results_are_announced(submitted, django_capture_on_commit_callbacks):  # noqa: F811
    period = submitted.period
    with django_capture_on_commit_callbacks(execute=True):
        period = advance_period(period, "reviewing")
        period = advance_period(period, "appeals")
    assert any("Kết quả tạm thời" in m.subject for m in mail.outbox)


def test_units_that_have_not_submitted_are_reminded_before_the_deadline(chi_participation,  # noqa: F811
                                                                       django_capture_on_commit_callbacks):
    period = chi_participation.period
    period.declaration_closes = datetime.date.today() + datetime.timedelta(days=2)
    period.save()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", "--days", "3", stdout=io.StringIO())
    reminders = [m for m in mail.outbox if "Nhắc hạn khai báo" in m.subject]
    assert [m.to for m in reminders] == [["chi@ubnd-bacninh.example"]]
    assert "còn 2 ngày" in reminders[0].body
    assert f"http://127.0.0.1:8000/quan-ly/khai-bao/{chi_participation.pk}/" in reminders[0].body


def test_nothing_is_mailed_when_the_change_is_refused(as_user, chi_participation,  # noqa: F811
                                                      django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        ask(as_user("binh"), chi_participation, ("1.2", "?"))
    assert mail.outbox == []
