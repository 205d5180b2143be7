"""The reviewer accepts, in one action, the indicators still to review of a pillar or of the whole unit: only
those assigned to them, each recorded as its own accept, all or none."""

import pytest
from django.test import Client
from django.urls import reverse

from dti.accounts.models import Role
from dti.accounts.services import create_account
from dti.assessments.audit import Action
from dti.assessments.models import AuditEntry, IndicatorEntry, Period, ReviewerAssignment
from dti.assessments.queries import progress

from .test_declaration import chi_participation, fill_everything, open_period  # noqa: F401 - fixtures
from .test_review import act, submitted  # noqa: F401 - fixtures

# The period and its people are written once for the module (conftest's ``world``).
pytestmark = pytest.mark.usefixtures("world")


def accept_remaining(client, participation, pillar=""):
    return client.post(reverse("assessments:accept_remaining", args=[participation.pk]),
                       {"pillar": pillar} if pillar else {}, follow=True).content.decode()


def reviewed_codes(participation):
    return set(IndicatorEntry.objects.filter(participation=participation, stage="reviewed")
               .values_list("indicator_code", flat=True))


def test_a_pillars_remaining_indicators_are_accepted_in_one_action(as_user, submitted):  # noqa: F811
    binh = as_user("binh")
    act(binh, submitted, "1.2", action="adjust", **{"1.2-input_a": "1", "1.2-input_b": "2"}, reason="Thiếu biên bản")
    page = binh.get(reverse("assessments:review_unit", args=[submitted.pk])).content.decode()
    assert "Chấp nhận 3 chỉ tiêu còn lại của NTS theo số liệu tự khai báo" in page
    page = accept_remaining(binh, submitted, "NTS")
    assert "Đã chấp nhận 3 chỉ tiêu theo số liệu tự khai báo: 1.1, 1.3, NTS.con-lai." in page
    assert reviewed_codes(submitted) == {"1.1", "1.2", "1.3", "NTS.con-lai"}
    assert IndicatorEntry.objects.get(participation=submitted, stage="reviewed", indicator_code="1.2").inputs == {
        "a": "1", "b": "2"}  # the adjustment stays
    accepts = AuditEntry.objects.filter(action=Action.REVIEW_ACCEPTED, participation=submitted)
    assert sorted(accepts.values_list("indicator_code", flat=True)) == ["1.1", "1.3", "NTS.con-lai"]


def test_the_whole_units_remaining_indicators_are_accepted_and_it_reads_reviewed(as_user, submitted):  # noqa: F811
    leaves = {i.code for i in submitted.framework_group.leaves()}
    page = accept_remaining(as_user("binh"), submitted)
    assert f"Đã chấp nhận {len(leaves)} chỉ tiêu" in page
    assert reviewed_codes(submitted) == leaves
    assert progress.review_progress(submitted.period, [submitted])[submitted.pk].complete
    assert "chỉ tiêu còn lại theo số liệu tự khai báo" not in page  # nothing left to offer
    assert "Không còn chỉ tiêu nào cần rà soát ở đó." in accept_remaining(as_user("binh"), submitted)


def test_a_reviewer_of_one_indicator_accepts_only_that_one(as_user, submitted, people):  # noqa: F811
    hai = create_account(username="hai", password=None, role=Role.REVIEWER)
    ReviewerAssignment.objects.create(period=submitted.period, reviewer=hai, group=submitted.group,
                                      indicator_code="1.3")
    client = Client()
    client.force_login(hai)
    accept_remaining(client, submitted)
    assert reviewed_codes(submitted) == {"1.3"}


def test_nothing_is_accepted_once_reviews_are_closed(as_user, submitted):  # noqa: F811
    Period.objects.filter(pk=submitted.period_id).update(state="appeals")
    page = accept_remaining(as_user("binh"), submitted)
    assert "Kỳ đánh giá không trong thời gian rà soát" in page
    assert reviewed_codes(submitted) == set()


def test_done_in_place_the_accepted_cards_and_what_remains_are_sent_back(as_user, submitted):  # noqa: F811
    response = as_user("binh").post(reverse("assessments:accept_remaining", args=[submitted.pk]), {"pillar": "NTS"},
                                    HTTP_HX_REQUEST="true")
    assert response.status_code == 200  # no redirect: htmx swaps the parts by id
    page = response.content.decode()
    assert "Đã chấp nhận 4 chỉ tiêu theo số liệu tự khai báo" in page.split('id="review-outcome"', 1)[1]
    for code in ("1.1", "1.2", "1.3", "NTS.con-lai"):
        assert f'<article id="review-{code}" hx-swap-oob="true">' in page
    assert '<article id="review-2.1"' not in page  # cards of other pillars stay as they are
    pillar = page.split('id="accept-NTS"', 1)[1].split("</div>", 1)[0]
    assert "<form" not in pillar  # nothing left to accept in the pillar
