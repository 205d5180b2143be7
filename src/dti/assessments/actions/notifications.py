"""E-mail to the people of a unit when something needs them, through a durable outbox.

A message is written to the outbox (OutgoingMail) in the transaction of the change it announces and delivered
after the commit; a mail server that is down or refuses leaves the message in the outbox with its error, to be
tried again by ``dti deliver-mail`` or from the secretariat's outbox page. Delivery never fails the change:
the question, the returned declaration, the period's new state are committed whatever the mail server does.

Django's e-mail backends do the sending: the console by default (DTI_EMAIL_BACKEND, DTI_EMAIL_* settings for
SMTP). Messages are in Vietnamese, the language of every unit.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from dti.assessments import policy
from dti.assessments.models import Declaration, OutgoingMail, Participation, Period

logger = logging.getLogger(__name__)

SIGNATURE = "\n\n— Hệ thống đánh giá chỉ số chuyển đổi số (thư tự động, không trả lời thư này)"


def _recipients(units) -> list[str]:
    users = get_user_model().objects.filter(membership__unit__in=units, is_active=True).exclude(email="")
    return sorted(set(users.values_list("email", flat=True)))


def _send(units, subject: str, body: str) -> None:
    _send_to(_recipients(units), subject, body)


def _send_to(recipients: list[str], subject: str, body: str) -> None:
    if recipients:
        message = OutgoingMail.objects.create(subject=f"[DTI] {subject}", body=body + SIGNATURE,
                                              recipients=recipients)
        transaction.on_commit(lambda: deliver(message))


def deliver(message: OutgoingMail) -> bool:
    """One attempt to send ``message``; True when sent. Any failure is recorded on the message, never raised."""
    message.attempts += 1
    message.last_attempt_at = timezone.now()
    try:
        send_mail(message.subject, message.body, settings.DEFAULT_FROM_EMAIL, message.recipients,
                  fail_silently=False)
    except Exception as exc:  # any fault of the mail server or the network: kept, shown and retried
        message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
        logger.warning("mail %s not delivered (attempt %s): %s", message.pk, message.attempts, message.last_error)
    else:
        message.sent_at = message.last_attempt_at
        message.last_error = ""
    message.save(update_fields=["attempts", "last_attempt_at", "sent_at", "last_error"])
    return message.sent_at is not None


def undelivered():
    return OutgoingMail.objects.filter(sent_at__isnull=True)


def deliver_waiting(limit: int = 500) -> tuple[int, int]:
    """Try every message not yet delivered, oldest first; (sent, still waiting)."""
    sent = sum(deliver(message) for message in undelivered()[:limit])
    return sent, undelivered().count()


def questions_sent(participation: Participation, questions) -> None:
    """One message for a round of questions, each with its indicator, and where to answer them."""
    listed = "\n".join(f"- Chỉ số {q.indicator_code}: {q.question}" for q in questions)
    _send([participation.unit], f"Đề nghị làm rõ {len(questions)} chỉ số — {participation.period.name}",
          f"Cán bộ thẩm định đề nghị {participation.unit.name} làm rõ:\n\n{listed}\n\n"
          "Hãy trả lời từng câu hỏi (có thể bổ sung minh chứng); không cần nộp lại bản khai báo.\n\n"
          f"Trả lời tại: {declaration_link(participation)}")


def question_answered(clarification) -> None:
    """The reviewer who asked learns of the answer, with the link to the unit's review."""
    asker = clarification.asked_by
    if asker is None or not asker.is_active or not asker.email:
        return
    participation = clarification.participation
    link = f"{settings.DTI_SITE_URL}{reverse('assessments:review_unit', args=[participation.pk])}"
    _send_to([asker.email], f"{participation.unit.name} đã trả lời về chỉ số {clarification.indicator_code}",
             f"Câu hỏi: {clarification.question}\n\nTrả lời của {participation.unit.name}: {clarification.answer}"
             f"\n\nXem tại: {link}")


def declaration_returned(participation: Participation, reason: str) -> None:
    _send([participation.unit], f"Bản khai báo được trả lại — {participation.period.name}",
          f"Bản khai báo của {participation.unit.name} được trả lại để sửa.\n\nLý do: {reason}")


def _day(day) -> str:
    """A date as Vietnamese letters write it (dd/mm/yyyy); "…" when not set."""
    return day.strftime("%d/%m/%Y") if day else "…"


def still_declaring(period: Period) -> list[Participation]:
    """The participations whose declaration the unit has not sent (or has been given back)."""
    return [p for p in period.participations.select_related("unit", "declaration")
            if getattr(p, "declaration", None) is None or p.declaration.state in policy.UNIT_EDITS]


def account_opened(account) -> None:
    """A new account's holder gets a link to choose their own password (the secretariat never knows it)."""
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    link = settings.DTI_SITE_URL + reverse("accounts:password_reset_confirm", args=[
        urlsafe_base64_encode(force_bytes(account.pk)), default_token_generator.make_token(account)])
    _send_to([account.email], "Tài khoản của bạn trên hệ thống đánh giá chuyển đổi số",
             f"Xin chào {account.get_full_name() or account.username},\n\nTài khoản “{account.username}” đã được "
             f"tạo cho bạn. Đặt mật khẩu để đăng nhập tại:\n{link}\n\nĐường dẫn chỉ dùng được một lần.")


def declaration_link(participation: Participation) -> str:
    """The unit's declaration page, for an e-mail."""
    return f"{settings.DTI_SITE_URL}{reverse('assessments:declaration', args=[participation.pk])}"


def declaration_deadline_moved(period: Period) -> None:
    for participation in still_declaring(period):
        _send([participation.unit], f"Hạn khai báo mới — {period.name}",
              f"Hạn khai báo của {period.name} nay là ngày {_day(period.declaration_closes)}.\n\n"
              f"Bản khai báo của {participation.unit.name}: {declaration_link(participation)}")


def remind(period: Period, participations: list[Participation], today=None) -> None:
    """A reminder of the declaration deadline to each unit, with the link to its declaration; a unit whose
    declaration was reopened after the deadline is told its own new deadline."""
    today = today or timezone.localdate()
    reopened = dict(Declaration.objects.filter(participation__in=participations, reopened_until__isnull=False)
                    .values_list("participation_id", "reopened_until"))
    for participation in participations:
        closes = max((d for d in (period.declaration_closes, reopened.get(participation.pk)) if d), default=None)
        if closes is None:
            when = f"{period.name} đang mở khai báo."
        elif closes >= today:
            when = f"Hạn khai báo {period.name} là ngày {_day(closes)} (còn {(closes - today).days} ngày)."
        else:
            when = f"Hạn khai báo {period.name} là ngày {_day(closes)}."
        _send([participation.unit], f"Nhắc hạn khai báo — {period.name}",
              f"{when} Bản khai báo của {participation.unit.name} chưa được nộp.\n\n"
              f"Khai báo tại: {declaration_link(participation)}")


def appeal_window_moved(period: Period) -> None:
    _send([p.unit for p in period.participations.select_related("unit")], f"Thời gian phúc khảo mới — {period.name}",
          f"Đơn vị có thể đề nghị phúc khảo {period.name} từ ngày {_day(period.appeal_opens)} "
          f"đến ngày {_day(period.appeal_closes)}.")


def period_moved(period: Period, state: str) -> None:
    units = [p.unit for p in period.participations.select_related("unit")]
    if state == Period.State.APPEALS:
        _send(units, f"Kết quả tạm thời — {period.name}",
              f"Kết quả tạm thời của {period.name} đã có. Đơn vị xem kết quả của mình và có thể đề nghị phúc khảo "
              f"từ ngày {_day(period.appeal_opens)} đến ngày {_day(period.appeal_closes)}.")
    elif state == Period.State.PUBLISHED:
        _send(units, f"Công bố kết quả — {period.name}", f"Kết quả {period.name} đã được công bố.")


def remind_deadline(period: Period, days: int, today=None) -> int:
    """Remind units that have not submitted when the declaration closes within ``days``; how many units."""
    today = today or timezone.localdate()
    if period.state != Period.State.DECLARING or not period.declaration_closes:
        return 0
    left = (period.declaration_closes - today).days
    if not 0 <= left <= days:
        return 0
    waiting = still_declaring(period)
    remind(period, waiting, today)
    return len(waiting)
