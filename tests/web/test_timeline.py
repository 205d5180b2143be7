"""The period's dates change after creation — a declaration deadline extended, an appeal window moved — through
one action: in order, recorded with the old and new dates, told to the units it concerns, never once finalized."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from dti.assessments.actions import declarations
from dti.assessments.actions.periods import advance_period, change_timeline
from dti.assessments.audit import Action
from dti.assessments.models import AuditEntry, OutgoingMail, Period
from dti.assessments.queries.audit_log import describe

from .test_declaration import chi_participation, fill_everything, open_period  # noqa: F401 - fixtures

# The period and its people are written once for the module (conftest's ``world``).
pytestmark = pytest.mark.usefixtures("world")

DATES = {"declaration_opens": "2024-01-01", "declaration_closes": "2099-12-31", "review_closes": "",
         "appeal_opens": "", "appeal_closes": ""}


def post_dates(client, period, **changes):
    return client.post(reverse("assessments:period_timeline", args=[period.pk]),
                       {**DATES, **changes}, follow=True)


def test_the_secretariat_extends_the_deadline_and_the_units_still_declaring_hear_of_it(as_user, open_period):  # noqa: F811
    page = post_dates(as_user("an"), open_period, declaration_closes="2100-01-15",
                      reason="Gia hạn theo Công văn 12/SKHCN").content.decode()
    assert "Đã đổi lịch của kỳ đánh giá." in page
    assert "01/01/2024 → 15/01/2100" in page  # the period page shows the new deadline, dd/mm/yyyy
    assert Period.objects.get(pk=open_period.pk).declaration_closes == datetime.date(2100, 1, 15)
    entry = AuditEntry.objects.get(action=Action.TIMELINE_CHANGED)
    assert (entry.old, entry.new, entry.reason) == ({"declaration_closes": "2099-12-31"},
                                                    {"declaration_closes": "2100-01-15"}, "Gia hạn theo Công văn 12/SKHCN")
    assert describe(entry) == "an đổi lịch: đóng khai báo 31/12/2099 → 15/01/2100"
    mail = OutgoingMail.objects.get(subject__contains="Hạn khai báo mới")
    assert mail.recipients == ["chi@ubnd-bacninh.example"] and "ngày 15/01/2100" in mail.body


def test_a_unit_that_has_submitted_is_not_told_of_a_new_deadline(as_user, open_period, chi_participation):  # noqa: F811
    fill_everything(as_user("chi"), chi_participation)
    declarations.submit_declaration(chi_participation, by=None)
    post_dates(as_user("an"), open_period, declaration_closes="2100-01-15")
    assert Period.objects.get(pk=open_period.pk).declaration_closes == datetime.date(2100, 1, 15)
    assert not OutgoingMail.objects.filter(subject__contains="Hạn khai báo mới").exists()


def test_dates_out_of_order_are_refused_and_nothing_changes(as_user, open_period):  # noqa: F811
    page = post_dates(as_user("an"), open_period, appeal_opens="2099-01-01", appeal_closes="2098-01-01")
    assert "Các mốc thời gian phải theo thứ tự" in page.content.decode()
    period = Period.objects.get(pk=open_period.pk)
    assert (period.appeal_opens, period.appeal_closes) == (None, None)
    assert not AuditEntry.objects.filter(action=Action.TIMELINE_CHANGED).exists()


def test_the_same_dates_again_change_nothing_and_record_nothing(as_user, open_period):  # noqa: F811
    assert "Lịch không thay đổi." in post_dates(as_user("an"), open_period).content.decode()
    assert not AuditEntry.objects.filter(action=Action.TIMELINE_CHANGED).exists()


def test_a_new_appeal_window_is_sent_to_every_unit_while_appeals_are_heard(open_period, people):  # noqa: F811
    advance_period(open_period, "reviewing")
    advance_period(open_period, "appeals")
    changed = change_timeline(open_period, {"declaration_closes": datetime.date(2099, 12, 31),
                                            "appeal_opens": datetime.date(2100, 2, 1),
                                            "appeal_closes": datetime.date(2100, 2, 10)}, by=people["an"])
    assert changed == ["appeal_opens", "appeal_closes"]
    mail = OutgoingMail.objects.get(subject__contains="Thời gian phúc khảo mới")
    assert "từ ngày 01/02/2100 đến ngày 10/02/2100" in mail.body


def test_a_finalized_period_keeps_its_dates_and_offers_no_change(as_user, open_period, people):  # noqa: F811
    Period.objects.filter(pk=open_period.pk).update(state=Period.State.FINALIZED)
    with pytest.raises(ValidationError, match="không thể thay đổi"):
        change_timeline(open_period, {"declaration_closes": datetime.date(2100, 1, 15)}, by=people["an"])
    client = as_user("an")
    assert "Đổi lịch" not in client.get(reverse("assessments:period", args=[open_period.pk])).content.decode()
    post_dates(client, open_period, declaration_closes="2100-01-15")
    assert Period.objects.get(pk=open_period.pk).declaration_closes == datetime.date(2099, 12, 31)


def test_the_period_page_offers_the_dates_to_the_secretariat_only(as_user, open_period):  # noqa: F811
    url = reverse("assessments:period", args=[open_period.pk])
    assert 'id="timeline-change"' in as_user("an").get(url).content.decode()
    assert 'id="timeline-change"' not in as_user("lan").get(url).content.decode()


def test_the_comparison_method_changes_after_creation_and_the_change_is_recorded(as_user, open_period):  # noqa: F811
    assert open_period.comparison_method == Period.Comparison.MEAN
    page = post_dates(as_user("an"), open_period, comparison_method=Period.Comparison.PERCENT,
                      reason="Năm trước chấm trên thang 1.000").content.decode()
    assert "Đã đổi lịch của kỳ đánh giá." in page
    assert Period.objects.get(pk=open_period.pk).comparison_method == Period.Comparison.PERCENT
    entry = AuditEntry.objects.get(action=Action.TIMELINE_CHANGED)
    assert (entry.old, entry.new) == ({"comparison_method": "mean"}, {"comparison_method": "percent"})
    assert describe(entry).startswith("an đổi lịch: so sánh với năm trước qua các đơn vị tiền thân trung bình cộng "
                                      "điểm của các đơn vị tiền thân")
    assert describe(entry).endswith("→ trung bình cộng tỷ lệ điểm trên điểm tối đa của các đơn vị tiền thân")
    post_dates(as_user("an"), open_period)  # a form without the method keeps the period's own
    assert Period.objects.get(pk=open_period.pk).comparison_method == Period.Comparison.PERCENT
