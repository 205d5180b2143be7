"""A period's results, provisional tables and analyses are computed once per change of its figures, not per
request, and kept where another app server finds them; every write moves the version they are kept under."""

from contextlib import contextmanager
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

from ..conftest import publish
from .test_declaration import chi_participation, fill_everything, open_period  # noqa: F401 - fixtures


@contextmanager
def counting(module, name):
    """A patch that counts the calls of ``module.name`` and lets them through, named as the function is (the
    worker is asked for it by name)."""
    original = getattr(module, name)
    with mock.patch.object(module, name, side_effect=original) as counted:
        counted.__module__, counted.__qualname__ = original.__module__, original.__qualname__
        yield counted


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


@pytest.fixture
def reviewed_in_part(as_user, chi_participation):  # noqa: F811
    """A commune that has sent everything, so the results page shows provisional results."""
    fill_everything(as_user("chi"), chi_participation)
    declarations.submit_declaration(chi_participation, by=None)
    return chi_participation


def asked_for_refresh() -> list[str]:
    """The kinds of value the worker was asked to compute again, once per request for it."""
    from django_tasks_db.models import DBTaskResult

    return sorted(result.args_kwargs["args"][0]
                  for result in DBTaskResult.objects.filter(task_path__endswith=".refresh_kept"))


def test_a_slow_page_shows_the_recent_figures_while_the_worker_computes(
        as_user, people, reviewed_in_part, settings, work):
    settings.DTI_SLOW_SECONDS = 0  # every computation counts as slow, as a national period's does
    participation, period = reviewed_in_part, reviewed_in_part.period
    leaves = len(participation.framework_group.leaves())
    client = as_user("an")
    url = reverse("assessments:period_results", args=[period.pk])
    first = client.get(url).content.decode()
    assert 'id="figures-as-of"' not in first  # nothing was computed before: the page computes it
    reviews.accept(participation, participation.framework_group.leaves()[0], by=people["binh"])
    with counting(presentation, "_provisional_tables") as computed:
        pages = [client.get(url).content.decode() for _ in range(2)]
    assert computed.call_count == 0  # two readers after the write: neither waits for the period to be scored
    assert all('id="figures-as-of"' in page and "đang được tính lại" in page for page in pages)
    assert f"UBND TP. Bắc Ninh ({leaves} chỉ tiêu theo số liệu tự khai báo)" in pages[0]  # as before the write
    # The page reads the final tables (not yet computable: kept as the problem) and the provisional ones; each
    # is asked for once, however many readers came.
    assert asked_for_refresh() == ["provisional", "tables"]
    work()  # the worker computes the current figures
    with counting(presentation, "_provisional_tables") as computed:
        page = client.get(url).content.decode()
    assert computed.call_count == 0 and 'id="figures-as-of"' not in page
    assert f"UBND TP. Bắc Ninh ({leaves - 1} chỉ tiêu theo số liệu tự khai báo)" in page


def test_a_period_that_computes_quickly_stays_current_on_every_page(as_user, people, reviewed_in_part):
    participation, period = reviewed_in_part, reviewed_in_part.period
    leaves = len(participation.framework_group.leaves())
    client = as_user("an")
    url = reverse("assessments:period_results", args=[period.pk])
    client.get(url)
    reviews.accept(participation, participation.framework_group.leaves()[0], by=people["binh"])
    page = client.get(url).content.decode()
    assert 'id="figures-as-of"' not in page and asked_for_refresh() == []
    assert presentation.provisional_tables(period).unreviewed == {"UBND TP. Bắc Ninh": leaves - 1}


def test_recent_figures_are_never_served_to_an_action_nor_kept_as_current(people, reviewed_in_part, settings):
    from dti.assessments.queries.overview import year_overview

    settings.DTI_SLOW_SECONDS = 0
    participation, period = reviewed_in_part, reviewed_in_part.period
    leaves = len(participation.framework_group.leaves())
    presentation.provisional_tables(period)
    reviews.accept(participation, participation.framework_group.leaves()[0], by=people["binh"])
    # Outside a page (an action, a file, the command line): the current figures.
    assert presentation.provisional_tables(period).unreviewed == {"UBND TP. Bắc Ninh": leaves - 1}
    reviews.accept(participation, participation.framework_group.leaves()[1], by=people["binh"])
    with kept.serving_a_page():
        assert presentation.provisional_tables(period).unreviewed == {"UBND TP. Bắc Ninh": leaves - 1}
        assert kept.figures_as_of() is not None
        # The overview is computed now from the current tables, not from the recent ones the page was given:
        # it is kept under the current version.
        with counting(presentation, "_provisional_tables") as computed:
            year_overview(period)
        assert computed.call_count == 1


def test_recent_figures_grow_too_old_to_be_shown(as_user, people, reviewed_in_part, settings):
    settings.DTI_SLOW_SECONDS = 0
    settings.DTI_SERVE_RECENT_SECONDS = 0
    participation, period = reviewed_in_part, reviewed_in_part.period
    leaves = len(participation.framework_group.leaves())
    presentation.provisional_tables(period)
    reviews.accept(participation, participation.framework_group.leaves()[0], by=people["binh"])
    with kept.serving_a_page():
        assert presentation.provisional_tables(period).unreviewed == {"UBND TP. Bắc Ninh": leaves - 1}
        assert kept.figures_as_of() is None


def test_a_value_quick_only_because_what_it_read_was_kept_is_shown_recent_once_the_period_is_slow(
        people, reviewed_in_part, settings):
    """The second-review flags read the kept results: quick then, slow once a write makes the results be
    scored again. A period where anything took long counts as slow for every value of it."""
    import time

    settings.DTI_SLOW_SECONDS = 1
    participation, period = reviewed_in_part, reviewed_in_part.period
    presentation.provisional_tables(period)  # quick: kept as quick, and the period not marked slow
    reviews.accept(participation, participation.framework_group.leaves()[0], by=people["binh"])
    with kept.serving_a_page():
        presentation.provisional_tables(period)
        assert kept.figures_as_of() is None  # computed in the page: the period is quick
    kept.kept("something slow", period, lambda _period: time.sleep(1.05) or "done")  # something else took long
    reviews.accept(participation, participation.framework_group.leaves()[1], by=people["binh"])
    with kept.serving_a_page():
        presentation.provisional_tables(period)
        assert kept.figures_as_of() is not None


def test_a_publication_is_prepared_by_the_worker_before_its_first_visitor(
        period, people, work, django_capture_on_commit_callbacks, client):
    from dti.assessments.queries import period_files

    with django_capture_on_commit_callbacks(execute=True):
        period = publish(period, by=people["an"])
    work()
    kept.forget_in_process()  # another process: what the worker computed is read from the shared cache
    with counting(scores, "score_framework") as scored, \
            mock.patch.object(period_files, "decision_pdfs", side_effect=AssertionError("written again")):
        assert client.get(reverse("portal:period", args=[period.pk])).status_code == 200
        assert client.get(reverse("portal:download", args=[period.pk, "quyet-dinh.pdf"])).status_code == 200
    assert scored.call_count == 0


def test_a_page_says_so_when_no_worker_has_taken_the_refresh(as_user, people, reviewed_in_part, settings, work):
    from datetime import timedelta

    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    settings.DTI_SLOW_SECONDS = 0
    participation, period = reviewed_in_part, reviewed_in_part.period
    client = as_user("an")
    url = reverse("assessments:period_results", args=[period.pk])
    client.get(url)
    reviews.accept(participation, participation.framework_group.leaves()[0], by=people["binh"])
    assert "đang được tính lại" in client.get(url).content.decode()  # asked just now: being computed
    DBTaskResult.objects.update(enqueued_at=timezone.now() - timedelta(minutes=2))  # and no worker took it
    page = client.get(url).content.decode()
    assert "báo cho quản trị hệ thống" in page and "đang được tính lại" not in page
    work()
    assert 'id="figures-as-of"' not in client.get(url).content.decode()


def test_a_write_to_a_slow_period_has_its_pages_computed_again_before_anyone_reads(
        as_user, people, reviewed_in_part, settings, work, django_capture_on_commit_callbacks):
    settings.DTI_SLOW_SECONDS = 0
    participation, period = reviewed_in_part, reviewed_in_part.period
    leaves = len(participation.framework_group.leaves())
    client = as_user("an")
    url = reverse("assessments:period_results", args=[period.pk])
    client.get(url)  # what the results page shows is computed, and known to the period
    with django_capture_on_commit_callbacks(execute=True):
        reviews.accept_remaining(participation, participation.framework_group.leaves()[:2], by=people["binh"])
    assert asked_for_refresh() == ["provisional", "tables"]  # asked once for the action's two entries, no reader
    work()
    with counting(presentation, "_provisional_tables") as computed:
        page = client.get(url).content.decode()
    assert computed.call_count == 0 and 'id="figures-as-of"' not in page  # current, and nobody waited
    assert f"UBND TP. Bắc Ninh ({leaves - 2} chỉ tiêu theo số liệu tự khai báo)" in page


def test_a_write_to_a_quick_period_asks_the_worker_for_nothing(
        as_user, people, reviewed_in_part, django_capture_on_commit_callbacks):
    participation, period = reviewed_in_part, reviewed_in_part.period
    as_user("an").get(reverse("assessments:period_results", args=[period.pk]))
    with django_capture_on_commit_callbacks(execute=True):
        reviews.accept(participation, participation.framework_group.leaves()[0], by=people["binh"])
    assert asked_for_refresh() == []


def test_a_large_periods_first_figures_are_computed_by_the_worker_not_by_the_page(
        as_user, people, reviewed_in_part, settings, work):
    settings.DTI_LARGE_PERIOD_UNITS = 1  # the period's two units make it large, as a national period is
    period = reviewed_in_part.period
    client = as_user("an")
    url = reverse("assessments:period_results", args=[period.pk])
    with counting(presentation, "_provisional_tables") as computed:
        response = client.get(url)
    assert computed.call_count == 0  # nothing computed inside the request
    assert response.status_code == 202
    page = response.content.decode()
    assert "Số liệu đang được tính" in page and "(2 đơn vị) đang được tính lần đầu" in page
    assert '<meta http-equiv="refresh" content="3">' in page  # it comes back by itself
    assert asked_for_refresh() == ["tables"]
    # The browser reloads; each reload finds what the worker computed and asks for what the page still lacks.
    statuses = []
    for _ in range(4):
        work()
        response = client.get(url)
        statuses.append(response.status_code)
        if response.status_code == 200:
            break
    assert statuses[-1] == 200 and statuses.count(202) == len(statuses) - 1
    assert "UBND TP. Bắc Ninh" in response.content.decode()
    assert asked_for_refresh() == ["provisional", "tables"]


def test_without_a_worker_a_large_periods_page_computes_its_figures_itself(as_user, reviewed_in_part, settings):
    from datetime import timedelta

    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    settings.DTI_LARGE_PERIOD_UNITS = 1
    client = as_user("an")
    url = reverse("assessments:period_results", args=[reviewed_in_part.period.pk])
    assert client.get(url).status_code == 202
    DBTaskResult.objects.update(enqueued_at=timezone.now() - timedelta(minutes=2))  # no worker took it
    response = client.get(url)
    assert response.status_code == 200 and "UBND TP. Bắc Ninh" in response.content.decode()


def test_an_action_in_a_large_period_computes_what_it_needs(as_user, people, reviewed_in_part, settings):
    settings.DTI_LARGE_PERIOD_UNITS = 1
    participation = reviewed_in_part
    indicator = participation.framework_group.leaves()[0]
    client = as_user("binh")
    response = client.post(reverse("assessments:review_action", args=[participation.pk, indicator.code]),
                           {"action": "accept"})
    assert response.status_code == 302  # what it checks (the second review's sample) it reads current
    assert participation.entries.filter(stage="reviewed", indicator_code=indicator.code).exists()
