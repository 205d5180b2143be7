"""A unit within the margin of a grade boundary needs a second reviewer before the period is finalized."""

import pytest
import yaml
from django.core.exceptions import ValidationError
from django.urls import reverse

from dti.accounts.models import Role
from dti.accounts.services import create_account
from dti.assessments.actions import declarations, reviews
from dti.assessments.actions.frameworks import import_framework
from dti.assessments.actions.periods import add_participants, advance_period, create_period
from dti.assessments.models import ReviewerAssignment, Unit

from ..builders import framework_data, indicator


@pytest.fixture
def near_boundary(db, people):
    bands = {"kind": "percent_bands", "bands": [{"grade": "Tốt", "from": 90}, {"grade": "Khá"}]}
    data = framework_data([indicator({"kind": "direct"}, "1.1", 100)], max_points=100, grading=bands)
    version, _ = import_framework(yaml.safe_dump(data, allow_unicode=True), "t.yaml")
    period = create_period(year=2025, name="Kỳ thử", framework=version)
    unit = Unit.objects.create(name="UBND xã A", group_code="g")
    add_participants(period, [unit])
    period = advance_period(period, "declaring")
    participation = period.participations.get()
    item = period.framework.parsed.group("g").pillars[0].indicators[0]
    declarations.save_declared_indicator(participation, item, inputs={"points": "89"}, not_applicable=False,
                                         comment="", expected_version=None, by=None)
    declarations.submit_declaration(participation, by=None)
    group = period.framework.groups.get()
    ReviewerAssignment.objects.create(period=period, reviewer=people["binh"], group=group)
    reviews.accept(participation, item, by=people["binh"])
    period = advance_period(period, "reviewing")
    period = advance_period(period, "appeals")
    return period, period.participations.get()  # read again: the one above still holds the period as declaring


def test_finalizing_is_refused_until_a_second_reviewer_confirms(near_boundary, people, client):
    period, participation = near_boundary
    with pytest.raises(ValidationError, match="UBND xã A"):
        advance_period(period, "finalized")
    with pytest.raises(ValidationError, match="người chưa rà soát đơn vị này"):
        reviews.confirm_second_review(participation, by=people["binh"])  # the first reviewer cannot
    second = create_account(username="tuan", password="x" * 12, role=Role.REVIEWER)
    ReviewerAssignment.objects.create(period=period, reviewer=second, group=period.framework.groups.get())
    client.force_login(second)
    client.post(reverse("assessments:second_review", args=[participation.pk]), {"note": "Đã đối chiếu minh chứng"})
    assert participation.second_reviews.get().reviewer == second
    assert advance_period(period, "finalized").state == "finalized"


def test_the_queue_and_the_analysis_name_the_unit_that_finalizing_waits_for(near_boundary, people, client):
    """One rule for "needs a second review": the queue's flag and the analysis's "required" are finalizing's."""
    period, participation = near_boundary
    assert reviews.second_review_needed(period) == frozenset({participation.pk})
    client.force_login(people["an"])
    queue = client.get(reverse("assessments:review_queue", args=[period.pk]) + "?loc=tham-dinh-lan-hai")
    assert ">UBND xã A</a>" in queue.content.decode() and "Cần thẩm định lần hai: 1" in queue.content.decode()
    analysis = client.get(reverse("assessments:period_analysis", args=[period.pk])).content.decode()
    assert f'href="/quan-ly/tham-dinh/{participation.pk}/#second-review">bắt buộc trước khi chốt</a>' in analysis
    second = create_account(username="tuan", password="x" * 12, role=Role.REVIEWER)
    ReviewerAssignment.objects.create(period=period, reviewer=second, group=period.framework.groups.get())
    reviews.confirm_second_review(participation, by=second)
    assert reviews.second_review_needed(period) == frozenset()
    queue = client.get(reverse("assessments:review_queue", args=[period.pk]) + "?loc=tham-dinh-lan-hai")
    assert ">UBND xã A</a>" not in queue.content.decode()
