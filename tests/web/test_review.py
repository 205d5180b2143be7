"""A reviewer accepts, adjusts with a reason, or asks the unit; scope and refusals."""

from decimal import Decimal

import pytest
from django.urls import reverse

from dti.assessments.models import AuditEntry, Declaration, IndicatorEntry

from .test_declaration import chi_participation, fill_everything, open_period  # noqa: F401 - fixtures

# The period and its people are written once for the module (conftest's ``world``).
pytestmark = pytest.mark.usefixtures("world")


@pytest.fixture
def submitted(as_user, chi_participation):  # noqa: F811
    client = as_user("chi")
    fill_everything(client, chi_participation)
    client.post(reverse("assessments:declaration_submit", args=[chi_participation.pk]))
    assert Declaration.objects.get(participation=chi_participation).state == "submitted"
    return chi_participation


def act(client, participation, code, **data):
    return client.post(reverse("assessments:review_action", args=[participation.pk, code]), data, follow=True)


def test_accepting_copies_the_declared_values(as_user, submitted, people):
    act(as_user("binh"), submitted, "1.1", action="accept")
    reviewed = IndicatorEntry.objects.get(participation=submitted, indicator_code="1.1", stage="reviewed")
    assert (reviewed.inputs, reviewed.points, reviewed.updated_by) == ({"value": "4"}, 20, people["binh"])


def test_an_adjustment_without_a_reason_is_refused(as_user, submitted):
    page = act(as_user("binh"), submitted, "1.1", action="adjust", **{"1.1-input_value": "2"}, reason=" ")
    assert "1.1: Điều chỉnh cần có lý do." in page.content.decode()
    assert not IndicatorEntry.objects.filter(participation=submitted, stage="reviewed").exists()


def test_an_adjustment_with_a_reason_changes_the_reviewed_points_and_is_audited(as_user, submitted, people):
    act(as_user("binh"), submitted, "1.1", action="adjust", **{"1.1-input_value": "2"},
        reason="Chỉ có 2 biên bản họp hợp lệ")
    reviewed = IndicatorEntry.objects.get(participation=submitted, indicator_code="1.1", stage="reviewed")
    assert (reviewed.points, reviewed.reason) == (10, "Chỉ có 2 biên bản họp hợp lệ")
    audit = AuditEntry.objects.get(participation=submitted, action="dti.review.adjusted")
    assert audit.reason == "Chỉ có 2 biên bản họp hợp lệ" and audit.new["points"] == "10"
    page = as_user("binh").get(reverse("assessments:review_unit", args=[submitted.pk])).content.decode()
    assert "Chỉ có 2 biên bản họp hợp lệ" in page


def test_a_question_returns_the_declaration_and_the_unit_sees_it(as_user, submitted):
    act(as_user("binh"), submitted, "1.2", action="clarify", question="Gửi biên bản cuộc họp thứ hai")
    assert Declaration.objects.get(participation=submitted).state == "returned"
    client = as_user("chi")
    page = client.get(reverse("assessments:declaration", args=[submitted.pk])).content.decode()
    assert "Gửi biên bản cuộc họp thứ hai" in page
    client.post(reverse("assessments:declaration_submit", args=[submitted.pk]))
    assert Declaration.objects.get(participation=submitted).state == "submitted"
    assert submitted.clarifications.get().resolved_at is not None


def test_reviewing_every_indicator_shows_the_declaration_reviewed(as_user, submitted):
    """"Reviewed" is read from the entries: shown once the last indicator is reviewed, never stored."""
    client = as_user("binh")
    group = submitted.period.framework.parsed.group("huyen")
    leaves = [indicator for _pillar, indicator in group.indicators() if not indicator.children]
    queue = reverse("assessments:review_queue", args=[submitted.period.pk])
    for indicator in leaves:
        assert "Đã rà soát</td>" not in client.get(queue).content.decode()
        act(client, submitted, indicator.code, action="accept")
    assert f"Đã rà soát</td><td>{len(leaves)}/{len(leaves)}" in client.get(queue).content.decode()
    page = client.get(reverse("assessments:review_unit", args=[submitted.pk])).content.decode()
    assert '<span class="state" id="declaration-state">Đã rà soát</span>' in page
    assert Declaration.objects.get(participation=submitted).state == "submitted"


@pytest.mark.parametrize("role", ["chi", "dung", "lan"])
def test_only_reviewers_of_the_group_and_the_secretariat_review(as_user, submitted, role):
    client = as_user(role)
    assert client.get(reverse("assessments:review_unit", args=[submitted.pk])).status_code == 403
    assert act(client, submitted, "1.1", action="accept").status_code == 403
    assert not IndicatorEntry.objects.filter(participation=submitted, stage="reviewed").exists()


def test_a_declaration_not_yet_submitted_cannot_be_reviewed(as_user, chi_participation):  # noqa: F811
    page = act(as_user("binh"), chi_participation, "1.1", action="accept").content.decode()
    assert "1.1: Bản khai báo chưa được nộp." in page


def test_the_queue_shows_what_changed_since_the_reviewers_last_look(as_user, submitted):
    queue = reverse("assessments:review_queue", args=[submitted.period.pk])
    binh = as_user("binh")
    assert "chưa mở" in binh.get(queue).content.decode()
    binh.get(reverse("assessments:review_unit", args=[submitted.pk]))
    act(binh, submitted, "1.2", action="clarify", question="Gửi biên bản")  # the reviewer's own change
    row = binh.get(queue).content.decode().split("UBND TP. Bắc Ninh", 1)[1].split("</tr>", 1)[0]
    assert '<mark class="changes">' not in row
    client = as_user("chi")
    from .test_declaration import save

    save(client, submitted, "1.2", version=1, a="1", b="2")
    client.post(reverse("assessments:declaration_submit", args=[submitted.pk]))
    row = as_user("binh").get(queue).content.decode().split("UBND TP. Bắc Ninh", 1)[1].split("</tr>", 1)[0]
    assert '<mark class="changes">' in row


def test_two_reviewers_adjusting_the_same_indicator_the_second_is_refused(as_user, submitted, people):
    from dti.accounts.models import Role
    from dti.accounts.services import create_account
    from dti.assessments.models import ReviewerAssignment

    second = create_account(username="tuan", password="x" * 12, role=Role.REVIEWER)
    ReviewerAssignment.objects.create(period=submitted.period, reviewer=second, group=submitted.group)
    act(as_user("binh"), submitted, "1.1", action="adjust", version="0", **{"1.1-input_value": "3"}, reason="Ba")
    client = as_user(None)
    client.force_login(second)
    page = act(client, submitted, "1.1", action="adjust", version="0", **{"1.1-input_value": "1"},
               reason="Một").content.decode()
    assert "value = 3" in page
    assert IndicatorEntry.objects.get(participation=submitted, indicator_code="1.1", stage="reviewed").inputs == {
        "value": "3"}


def test_a_reviewer_assigned_one_indicator_reviews_only_that_one(as_user, submitted):
    from dti.accounts.models import Role
    from dti.accounts.services import create_account
    from dti.assessments.models import ReviewerAssignment

    narrow = create_account(username="hoa", password="x" * 12, role=Role.REVIEWER)
    ReviewerAssignment.objects.create(period=submitted.period, reviewer=narrow, group=submitted.group,
                                      indicator_code="1.2")
    client = as_user(None)
    client.force_login(narrow)
    assert act(client, submitted, "1.1", action="accept").status_code == 403
    act(client, submitted, "1.2", action="accept")
    assert list(IndicatorEntry.objects.filter(participation=submitted, stage="reviewed")
                .values_list("indicator_code", flat=True)) == ["1.2"]


def test_a_reviewer_gives_points_directly_with_a_reason_and_the_results_follow(as_user, submitted):
    act(as_user("binh"), submitted, "1.2", action="adjust", **{"1.2-input_a": "2", "1.2-input_b": "2"},
        points="12.5", reason="Một cuộc họp chỉ chủ trì một phần")
    reviewed = IndicatorEntry.objects.get(participation=submitted, indicator_code="1.2", stage="reviewed")
    assert (reviewed.points, reviewed.points_given) == (Decimal("12.5"), True)
    page = act(as_user("binh"), submitted, "1.3", action="adjust", **{"1.3-input_a": "1", "1.3-input_b": "1"},
               points="25", reason="x").content.decode()
    assert "1.3:" in page
    from dti.assessments.queries.adapter import period_inputs

    data = period_inputs(submitted.period)["huyen"]
    position = [u.name for u in data.units].index("UBND TP. Bắc Ninh")
    assert data.reviewed.indicator_points["1.2"][position] == Decimal("12.5")


def test_a_question_asked_after_the_declaration_closed_can_still_be_answered(as_user, submitted):
    from dti.assessments.actions.periods import advance_period
    from dti.assessments.policy import edit_refusal

    period = advance_period(submitted.period, "reviewing")
    assert edit_refusal(submitted) is not None  # submitted and the period under review: nothing to change
    act(as_user("binh"), submitted, "1.2", action="clarify", question="Gửi lại biên bản")
    client = as_user("chi")
    data = {"indicator": "1.2", "1.2-input_a": "3", "1.2-input_b": "3", "1.2-version": ""}
    client.post(reverse("assessments:declaration_pillar", args=[submitted.pk, "NTS"]), data)
    entry = IndicatorEntry.objects.get(participation=submitted, indicator_code="1.2", stage="declared")
    assert entry.inputs == {"a": "3", "b": "3"}
    client.post(reverse("assessments:declaration_submit", args=[submitted.pk]))
    assert Declaration.objects.get(participation=submitted).state == "submitted"
    assert period.state == "reviewing" and edit_refusal(submitted) is not None  # answered: closed again
