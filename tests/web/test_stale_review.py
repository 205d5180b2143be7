"""A review accepted on a declared value does not survive a change of that value: the indicator needs review again."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from dti.assessments.actions import declarations
from dti.assessments.actions.periods import advance_period
from dti.assessments.models import Declaration
from dti.assessments.queries import progress
from dti.assessments.queries.progress import stale_reviews

from .test_declaration import chi_participation, fill_everything, open_period, save  # noqa: F401 - fixtures
from .test_review import act, submitted  # noqa: F401 - fixtures

# The period and its people are written once for the module (conftest's ``world``).
pytestmark = pytest.mark.usefixtures("world")


@pytest.fixture
def changed_after_review(as_user, submitted, people):  # noqa: F811
    """Bình accepted every indicator (1.1 at 4 meetings); the secretariat reopened; Chi declared 1 meeting."""
    reviewer = as_user("binh")
    for _pillar, indicator in submitted.period.framework.parsed.group("huyen").indicators():
        act(reviewer, submitted, indicator.code, action="accept")
    assert progress.review_progress(submitted.period, [submitted])[submitted.pk].complete
    declarations.reopen(submitted, until=datetime.date(2099, 1, 1), reason="Bổ sung", by=people["an"])
    unit = as_user("chi")
    entry = submitted.entries.get(indicator_code="1.1", stage="declared")
    save(unit, submitted, "1.1", version=entry.version, value="1")
    unit.post(reverse("assessments:declaration_submit", args=[submitted.pk]))
    return submitted


def test_a_changed_value_reopens_its_review_and_the_queue_shows_it(as_user, changed_after_review):
    assert Declaration.objects.get(participation=changed_after_review).state == "submitted"
    review = progress.review_progress(changed_after_review.period, [changed_after_review])[changed_after_review.pk]
    assert not review.complete and review.to_review_again == 1
    assert stale_reviews(changed_after_review.period) == {changed_after_review.pk: {"1.1"}}
    reviewer = as_user("binh")
    page = reviewer.get(reverse("assessments:review_unit", args=[changed_after_review.pk])).content.decode()
    assert "Cần rà soát lại" in page
    queue = reviewer.get(reverse("assessments:review_queue", args=[changed_after_review.period.pk])).content.decode()
    leaves = sum(1 for _p, i in changed_after_review.period.framework.parsed.group("huyen").indicators()
                 if not i.children)
    assert f"{leaves - 1}/{leaves}" in queue and "1 cần rà soát lại" in queue


def test_the_period_cannot_be_finalized_while_a_review_is_stale(changed_after_review):
    period = changed_after_review.period
    advance_period(period, "reviewing")
    advance_period(period, "appeals")
    with pytest.raises(ValidationError, match="1.1"):
        advance_period(period, "finalized")


def test_reviewing_the_changed_value_again_clears_it(as_user, changed_after_review):
    act(as_user("binh"), changed_after_review, "1.1", action="accept")
    assert stale_reviews(changed_after_review.period) == {}
    assert progress.review_progress(changed_after_review.period, [changed_after_review])[changed_after_review.pk].complete
