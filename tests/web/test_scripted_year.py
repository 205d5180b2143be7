"""A scripted year of work on the demo's 2024 period, then the audit log replayed from nothing.

Every unit declares (values taken from its published 2023 results), submits, a reviewer accepts or adjusts
every indicator, one question goes back and forth. Scoring the inputs rebuilt from the audit log alone must
give exactly the declared and reviewed results the database gives.
"""

from decimal import Decimal

import pytest

from dti.accounts.models import Role
from dti.assessments.actions import declarations, reviews
from dti.assessments.models import Declaration, Period, PillarResult
from dti.assessments.operations.demo import load_demo
from dti.assessments.queries import progress, scores
from dti.assessments.queries.audit_log import replay_inputs
from dti.documents.score_output import group_json

pytestmark = pytest.mark.django_db


def declared_values(participation, indicator, published: dict) -> dict:
    if indicator.code == "1.1":
        return {"value": str(len(participation.unit.name) % 5)}
    if indicator.code in ("1.2", "1.3"):
        return {"a": "2", "b": str(2 + len(participation.unit.name) % 3)}
    pillar = indicator.code.split(".")[0]
    share = published.get(pillar, indicator.max_points)
    return {"points": str(min(Decimal(share), indicator.max_points))}


def test_a_year_of_work_replays_from_the_audit_log_to_the_same_results():
    load_demo()
    from django.contrib.auth import get_user_model

    reviewer = get_user_model().objects.get(membership__role=Role.REVIEWER)
    period = Period.objects.get(year=2024)
    past = Period.objects.get(year=2023)
    for participation in period.participations.select_related("unit", "group"):
        published = {r.pillar_code: r.points for r in PillarResult.objects.filter(
            participation__period=past, participation__unit=participation.unit, stage="declared")}
        group = period.framework.parsed.group(participation.group.code)
        leaves = [i for _, i in group.indicators() if not i.children]
        for indicator in leaves:
            declarations.save_declared_indicator(participation, indicator,
                                                 inputs=declared_values(participation, indicator, published),
                                                 not_applicable=False, comment="", expected_version=None, by=None)
        declarations.submit_declaration(participation, by=None)
        for n, indicator in enumerate(leaves):
            if indicator.rule.kind == "direct" and n % 3 == 0:
                lower = str(indicator.max_points / 2)
                reviews.adjust(participation, indicator, inputs={"points": lower}, not_applicable=False,
                               reason="Minh chứng chưa đủ", by=reviewer)
            else:
                reviews.accept(participation, indicator, by=reviewer)
        review = progress.review_progress(period, [participation])[participation.pk]
        assert review.complete and review.to_review_again == 0
        assert declarations.declaration_of(participation).state == Declaration.State.SUBMITTED
    first = period.participations.filter(group__code="huyen").first()
    indicator = period.framework.parsed.group("huyen").pillars[0].indicators[0]
    reviews.return_declaration(first, "Gửi biên bản", by=reviewer)
    declarations.save_declared_indicator(first, indicator, inputs={"value": "4"}, not_applicable=False, comment="",
                                         expected_version=None, by=None)
    declarations.submit_declaration(first, by=None)
    reviews.accept(first, indicator, by=reviewer)
    second = period.framework.parsed.group("huyen").pillars[0].indicators[1]
    reviews.adjust(first, second, inputs={"a": "1", "b": "2"}, not_applicable=False, points="7.25",
                   reason="Chấm trực tiếp theo biên bản", by=reviewer)

    stored = [group_json(g) for g in scores.period_results(period).groups]
    replayed = [group_json(g) for g in scores.period_results(period, replay_inputs(period)).groups]
    assert replayed == stored
    assert [len(g["units"]) for g in stored] == [17, 8]
    assert all(u["rank"] for g in stored for u in g["units"])
