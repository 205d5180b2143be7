from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BACNINH_FRAMEWORK = ROOT / "frameworks" / "bacninh-2023.yaml"
BACNINH_DATA = ROOT / "data" / "bacninh-2023.csv"
NATIONAL_FRAMEWORK = ROOT / "frameworks" / "national-2022-province.yaml"


def published_with_unit_named(framework, name: str, period_name: str = "Kỳ 2023"):
    """Bắc Ninh's 2023 results with Sở Y tế renamed to ``name``, published: (period, Sở Y tế's participation)."""
    from dti.assessments.actions.imports import import_results
    from dti.assessments.actions.periods import create_period

    period = create_period(year=2023, name=period_name, framework=framework)
    import_results(period, BACNINH_DATA)
    participation = period.participations.get(unit__name="Sở Y tế")
    participation.unit.name = name
    participation.unit.save()
    return publish(period), participation


STATES = ("draft", "declaring", "reviewing", "appeals", "finalized", "published")


def sign_decision(period, number: str = "1/QĐ-UBND", signed_on: str = "2024-12-26"):
    """The period's results decision numbered and dated, as it must be before its results are published."""
    from dti.assessments.actions.periods import save_decision_settings

    save_decision_settings(period, {**(period.decision_settings or {}), "number": number, "signed_on": signed_on})


def publish(period, by=None):
    """The period moved through every state to published, its decision signed first; the period returned."""
    from dti.assessments.actions.periods import advance_period

    for state in STATES[STATES.index(period.state) + 1:]:
        if state == "published" and not (period.decision_settings or {}).get("number"):
            sign_decision(period)
        period = advance_period(period, state, by=by)
    return period


@pytest.fixture
def bacninh_framework():
    from dti.documents.frameworks import load_framework

    return load_framework(BACNINH_FRAMEWORK)


@pytest.fixture(autouse=True)
def fresh_page_cache(request):
    """Every test starts with an empty cache (the shared one, a table of the test database, and this process's
    copies): published pages are cached under the published snapshots, and two tests that load the same demo
    data would otherwise share pages whose links name other rows."""
    from dti.assessments.queries.kept import forget_in_process

    forget_in_process()
    if request.node.get_closest_marker("django_db") or {"db", "transactional_db", "live_server",
                                                         "world"} & set(request.fixturenames):
        from django.core.cache import cache

        request.getfixturevalue("django_db_setup")
        with request.getfixturevalue("django_db_blocker").unblock():
            cache.clear()
    yield


@pytest.fixture(autouse=True)
def pages_wait_for_current_figures(settings):
    """A test that writes and then reads a page expects the page to show what it wrote, however busy the machine
    (a page of a period counted slow would show its last figures until a worker computes the new ones). The tests
    of that behaviour set ``DTI_SLOW_SECONDS`` themselves."""
    settings.DTI_SLOW_SECONDS = 60
