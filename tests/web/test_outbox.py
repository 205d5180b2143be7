"""A mail server that is down never fails a committed change: the message waits in the outbox and is retried."""

import io
import socket

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from dti.assessments.actions.periods import advance_period
from dti.assessments.models import Clarification, Declaration, OutgoingMail, PeriodTransition

from .test_declaration import chi_participation, open_period  # noqa: F401 - fixtures
from .test_review import act, ask, submitted  # noqa: F401 - fixtures


@pytest.fixture
def mail_server_down(settings):
    with socket.socket() as probe:  # a loopback port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 2
    return settings


def test_asking_the_unit_succeeds_with_the_mail_server_down(as_user, submitted, mail_server_down,  # noqa: F811
                                                             django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        page = ask(as_user("binh"), submitted, ("1.2", "Gửi biên bản thứ hai"))
    assert page.status_code == 200
    assert Clarification.objects.open().get(participation=submitted).question == "Gửi biên bản thứ hai"
    assert Declaration.objects.get(participation=submitted).state == "submitted"
    waiting = OutgoingMail.objects.get()
    assert (waiting.sent_at, waiting.attempts) == (None, 1) and "Connection" in waiting.last_error
    assert waiting.recipients == ["chi@ubnd-bacninh.example"] and "Chỉ số 1.2" in waiting.body


def test_moving_the_period_to_appeals_succeeds_with_the_mail_server_down(submitted, mail_server_down,  # noqa: F811
                                                                        django_capture_on_commit_callbacks):
    period = submitted.period
    with django_capture_on_commit_callbacks(execute=True):
        advance_period(period, "reviewing")
        advance_period(period, "appeals")
    assert PeriodTransition.objects.filter(period=period, to_state="appeals").exists()
    assert OutgoingMail.objects.filter(sent_at__isnull=True, subject__contains="Kết quả tạm thời").exists()


def test_the_secretariat_sees_undelivered_mail_and_it_is_sent_once_the_server_is_back(
        as_user, submitted, mail_server_down, django_capture_on_commit_callbacks):  # noqa: F811
    with django_capture_on_commit_callbacks(execute=True):
        ask(as_user("binh"), submitted, ("1.2", "Gửi biên bản thứ hai"))
    secretariat = as_user("an")
    assert "1 thư chưa gửi được" in secretariat.get(reverse("assessments:dashboard")).content.decode()
    page = secretariat.get(reverse("assessments:outbox")).content.decode()
    assert "Đề nghị làm rõ 1 chỉ số" in page and "ConnectionRefusedError" in page
    call_command("deliver_mail", stdout=io.StringIO())  # still down: tried again, still waiting
    assert OutgoingMail.objects.get().attempts == 2

    mail_server_down.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    secretariat.post(reverse("assessments:outbox"))
    assert [m.to for m in mail.outbox] == [["chi@ubnd-bacninh.example"]]
    assert OutgoingMail.objects.get().sent_at is not None
    assert "1 thư chưa gửi được" not in secretariat.get(reverse("assessments:dashboard")).content.decode()


def test_only_the_secretariat_reads_the_outbox(as_user, people):
    for name in ("binh", "chi", "lan"):
        assert as_user(name).get(reverse("assessments:outbox")).status_code == 403
