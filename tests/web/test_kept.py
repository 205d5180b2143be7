"""A period's results, provisional tables and analyses are computed once per change of its figures, not per
request, and kept where another app server finds them; every write moves the version they are kept under."""

from unittest import mock

import pytest
from django.urls import reverse

from dti.assessments.actions import declarations, reviews
from dti.assessments.models import WriteVersion
from dti.assessments.queries import kept, presentation, scores
from dti.assessments.queries.group_analysis import group_analysis
from dti.assessments.queries.kept import period_version
from dti.assessments.queries.scores import period_results
from dti.engine import DtiError

from .test_declaration import chi_participation, fill_everything, open_period  # noqa: F401 - fixtures


def counting(module, name):
    """A patch that counts the calls of ``module.name`` and lets them through."""
    return mock.patch.object(module, name, side_effect=getattr(module, name))


def test_results_are_computed_once_until_a_write_moves_the_version(period):
    with counting(scores, "score_framework") as scored:
        first = period_results(period)
        assert period_results(period) is first
        assert scored.call_count == 1
        before = period_version(period)
        # A write of the period moves its version: the next read computes again, from what was written.
        from dti.assessments.actions.periods import save_decision_settings

        save_decision_settings(period, {"number": "2405/QĐ-UBND"})
        assert period_version(period) != before
        period_results(period)
        assert scored.call_count == 2


def test_a_second_server_reads_what_the_first_computed(period):
    """The shared cache (the database's, here) holds the value: a process that never computed it — this one,
    with its own copies forgotten — reads it without scoring."""
    expected = period_results(period)
    kept.forget_in_process()
    with counting(scores, "score_framework") as scored:
        again = period_results(period)
    assert scored.call_count == 0
    assert [g.ranks for g in again.groups] == [g.ranks for g in expected.groups]


def test_a_write_to_units_moves_the_shared_version(period, people):
    from dti.accounts.services import set_active

    before = period_version(period)
    set_active(people["dung"], False, by=people["an"])
    assert WriteVersion.objects.get(scope=WriteVersion.SHARED).number >= 1
    assert period_version(period) != before


def test_figures_that_cannot_be_scored_are_refused_from_what_was_kept(as_user, chi_participation):  # noqa: F811
    period = chi_participation.period
    with counting(scores, "score_framework") as scored:
        for _ in range(2):
            with pytest.raises(DtiError):
                period_results(period)
        assert scored.call_count == 1
    fill_everything(as_user("chi"), chi_participation)  # writes: the same reader now meets new figures
    with pytest.raises(DtiError) as refused:
        period_results(period)
    assert "Sở Y tế" in str(refused.value)  # the department, which has declared nothing, is what fails now


def test_provisional_tables_follow_each_review_action(as_user, people, chi_participation):  # noqa: F811
    fill_everything(as_user("chi"), chi_participation)
    declarations.submit_declaration(chi_participation, by=None)
    leaves = len(chi_participation.framework_group.leaves())
    period = chi_participation.period
    assert presentation.provisional_tables(period).unreviewed == {"UBND TP. Bắc Ninh": leaves}
    indicator = chi_participation.framework_group.leaves()[0]
    reviews.accept(chi_participation, indicator, by=people["binh"])
    assert presentation.provisional_tables(period).unreviewed == {"UBND TP. Bắc Ninh": leaves - 1}


def test_the_monte_carlo_is_drawn_again_only_when_the_groups_figures_change(period, people):
    from dti.assessments.queries import group_analysis as module

    with counting(module, "analyse_group") as analysed:
        group_analysis(period, "huyen")
        # A write that leaves the figures as they were (a reviewer assigned) moves the version, not the analysis.
        from dti.assessments.actions.periods import assign_reviewer

        assign_reviewer(period, people["an"], period.framework.groups.get(code="so-nganh"))
        kept.forget_in_process()
        group_analysis(period, "huyen")
        assert analysed.call_count == 1
        group_analysis(period, "so-nganh")
        assert analysed.call_count == 2


def test_the_results_page_is_read_from_what_was_kept(as_user, period, django_assert_max_num_queries):
    client = as_user("an")
    url = reverse("assessments:period_results", args=[period.pk])
    client.get(url)
    with counting(scores, "score_framework") as scored:
        assert client.get(url).status_code == 200
    assert scored.call_count == 0
