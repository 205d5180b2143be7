"""In the appeal window a unit contests an indicator with new evidence; a second reviewer decides."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dti.accounts.models import Role
from dti.accounts.services import create_account
from dti.assessments.actions import reviews
from dti.assessments.actions.periods import advance_period
from dti.assessments.models import Appeal, Evidence, IndicatorEntry, Period, ReviewerAssignment

from .test_declaration import chi_participation, open_period, reviewed  # noqa: F401 - fixtures

# The period and its people are written once for the module (conftest's ``world``).
pytestmark = pytest.mark.usefixtures("world")


@pytest.fixture
def in_appeals(reviewed, people, settings, tmp_path):  # noqa: F811
    settings.MEDIA_ROOT = tmp_path
    period = reviewed.period
    group = period.framework.parsed.group("huyen")
    item = next(i for _, i in group.indicators() if i.code == "1.1")
    reviews.adjust(reviewed, item, inputs={"value": "2"}, not_applicable=False,
                   reason="Chỉ 2 biên bản hợp lệ", by=people["binh"])
    period = advance_period(period, "reviewing")
    advance_period(period, "appeals")
    second = create_account(username="tuan", password="x" * 12, role=Role.REVIEWER)
    ReviewerAssignment.objects.create(period=period, reviewer=second, group=period.framework.groups.get(code="huyen"))
    return reviewed, second


def appeal(client, participation, code="1.1", reason="Có 4 biên bản, gửi kèm"):
    return client.post(reverse("assessments:declaration_appeals", args=[participation.pk]),
                       {"indicator": code, "reason": reason}, follow=True)


def test_a_unit_contests_with_new_evidence_and_a_second_reviewer_upholds(as_user, in_appeals):
    participation, second = in_appeals
    chi = as_user("chi")
    chi.post(reverse("assessments:evidence_add", args=[participation.pk, "1.1"]),
             {"file": SimpleUploadedFile("bien-ban-4.pdf", b"%PDF-1.4 bon bien ban")})
    assert Evidence.objects.filter(participation=participation, indicator_code="1.1").exists()
    appeal(chi, participation)
    filed = Appeal.objects.get()
    assert filed.state == "open"
    with pytest.raises(ValidationError, match="Còn đề nghị phúc khảo chưa giải quyết của: UBND TP. Bắc Ninh"):
        advance_period(participation.period, "finalized")
    # Bình reviewed 1.1: he may not decide the appeal.
    as_user("binh").post(reverse("assessments:decide_appeal", args=[participation.pk, filed.pk]),
                         {"upheld": "yes", f"appeal-{filed.pk}-input_value": "4", "decision": "Đúng"})
    assert Appeal.objects.get().state == "open"
    client = as_user(None)
    client.force_login(second)
    client.post(reverse("assessments:decide_appeal", args=[participation.pk, filed.pk]),
                {"upheld": "yes", f"appeal-{filed.pk}-input_value": "4", "decision": "Biên bản thứ 3, 4 hợp lệ"})
    assert Appeal.objects.get().state == "upheld"
    entry = IndicatorEntry.objects.get(participation=participation, indicator_code="1.1", stage="reviewed")
    assert (entry.points, entry.reason) == (20, "Biên bản thứ 3, 4 hợp lệ")


def test_a_rejection_needs_a_reason_and_keeps_the_reviewed_points(as_user, in_appeals):
    participation, second = in_appeals
    appeal(as_user("chi"), participation)
    filed = Appeal.objects.get()
    client = as_user(None)
    client.force_login(second)
    client.post(reverse("assessments:decide_appeal", args=[participation.pk, filed.pk]), {"upheld": "no",
                                                                                          "decision": " "})
    assert Appeal.objects.get().state == "open"
    client.post(reverse("assessments:decide_appeal", args=[participation.pk, filed.pk]),
                {"upheld": "no", "decision": "Biên bản thứ 3 không có chữ ký"})
    assert Appeal.objects.get().state == "rejected"
    assert IndicatorEntry.objects.get(participation=participation, indicator_code="1.1", stage="reviewed").points == 10


def test_appeals_outside_the_window_or_without_reason_are_refused(as_user, in_appeals):
    participation, _second = in_appeals
    page = appeal(as_user("chi"), participation, reason=" ").content.decode()
    assert "1.1: Hãy nêu lý do điểm rà soát chưa đúng." in page and not Appeal.objects.exists()
    Period.objects.filter(pk=participation.period_id).update(appeal_closes=datetime.date(2024, 12, 31))
    page = appeal(as_user("chi"), participation).content.decode()
    assert not Appeal.objects.exists() and "1.1: Thời gian phúc khảo đã kết thúc ngày 31/12/2024." in page
    assert as_user("dung").post(reverse("assessments:declaration_appeals", args=[participation.pk]),
                                {"indicator": "1.1", "reason": "x"}).status_code == 403


def test_the_audit_log_replays_a_year_with_an_upheld_and_a_rejected_appeal(as_user, in_appeals):
    from dti.assessments.queries.audit_log import replay_inputs

    participation, second = in_appeals
    chi = as_user("chi")
    appeal(chi, participation, "1.1")
    appeal(chi, participation, "1.2", reason="Đủ 2/2 văn bản")
    upheld, rejected = Appeal.objects.order_by("indicator_code")
    client = as_user(None)
    client.force_login(second)
    client.post(reverse("assessments:decide_appeal", args=[participation.pk, upheld.pk]),
                {"upheld": "yes", f"appeal-{upheld.pk}-input_value": "4", "decision": "Biên bản thứ 3, 4 hợp lệ"})
    client.post(reverse("assessments:decide_appeal", args=[participation.pk, rejected.pk]),
                {"upheld": "no", "decision": "Văn bản thứ hai ngoài kỳ"})
    assert list(Appeal.objects.order_by("indicator_code").values_list("state", flat=True)) == ["upheld", "rejected"]
    stored = {(e.participation_id, e.indicator_code, e.stage): {
        "inputs": e.inputs, "not_applicable": e.not_applicable,
        "points": f"{e.points.normalize():f}" if e.points_given else None}
        for e in IndicatorEntry.objects.filter(participation__period=participation.period)
        if e.participation_id == participation.pk}
    replayed = {key: value for key, value in replay_inputs(participation.period).items()
                if key[0] == participation.pk}
    assert replayed == stored
    assert replayed[(participation.pk, "1.1", "reviewed")]["inputs"] == {"value": "4"}
