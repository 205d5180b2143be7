"""Periods move only along draft → declaring → reviewing → appeals → finalized → published."""

import pytest
from django.core.exceptions import ValidationError

from dti.assessments.actions.frameworks import import_framework
from dti.assessments.actions.imports import import_results
from dti.assessments.actions.periods import advance_period, create_period
from dti.assessments.models import FrameworkVersion, Period, PeriodTransition, PublishedSnapshot

from ..conftest import BACNINH_FRAMEWORK, sign_decision

# The period and its people are written once for the module (conftest's ``world``).
pytestmark = pytest.mark.usefixtures("world")

ORDER = ["draft", "declaring", "reviewing", "appeals", "finalized", "published"]


def move_to(period, state, by=None):
    for target in ORDER[ORDER.index(period.state) + 1:ORDER.index(state) + 1]:
        if target == "published":
            sign_decision(period)
        period = advance_period(period, target, by=by)
    return period


@pytest.mark.parametrize("current", ORDER)
@pytest.mark.parametrize("target", ORDER)
def test_only_the_next_state_is_allowed(period, people, current, target):
    period = move_to(period, current)
    if ORDER.index(target) == ORDER.index(current) + 1:
        if target == "published":
            sign_decision(period)
        moved = advance_period(period, target, by=people["an"])
        assert moved.state == target
        transition = PeriodTransition.objects.filter(period=period).last()
        assert (transition.from_state, transition.to_state, transition.by) == (current, target, people["an"])
        assert transition.at is not None
    else:
        with pytest.raises(ValidationError) as error:
            advance_period(period, target, by=people["an"])
        message = " ".join(error.value.messages)
        assert "cannot move" in message or "không thể chuyển" in message
        assert Period.objects.get(pk=period.pk).state == current


def test_an_unknown_state_is_refused_clearly(period):
    with pytest.raises(ValidationError):
        advance_period(period, "closed")


def test_publishing_takes_a_snapshot_with_the_hash_of_framework_inputs_and_results(period):
    period = move_to(period, "published")
    snapshot = PublishedSnapshot.objects.get(period=period)
    assert len(snapshot.sha256) == 64
    assert snapshot.framework_text == period.framework.text
    huyen = next(g for g in snapshot.results if g["code"] == "huyen")
    assert huyen["average"]["declared"]["total"] == "619.815"
    assert len(snapshot.inputs) == 25


def test_results_are_published_only_with_their_decision_numbered_and_dated(period):
    from dti.assessments.actions.periods import save_decision_settings
    from dti.assessments.queries.period_files import is_draft

    period = move_to(period, "finalized")
    with pytest.raises(ValidationError) as refused:
        advance_period(period, "published")
    assert "số quyết định và ngày ký" in " ".join(refused.value.messages)
    save_decision_settings(period, {"number": "2405/QĐ-UBND"})
    with pytest.raises(ValidationError) as refused:
        advance_period(Period.objects.get(pk=period.pk), "published")
    assert "chưa có ngày ký" in " ".join(refused.value.messages)
    assert Period.objects.get(pk=period.pk).state == "finalized"
    save_decision_settings(period, {"number": "2405/QĐ-UBND", "signed_on": "2023-12-26"})
    published = advance_period(Period.objects.get(pk=period.pk), "published")
    assert published.state == "published" and not is_draft(published)


def test_a_published_period_refuses_new_results(period):
    from ..conftest import BACNINH_DATA

    period = move_to(period, "published")
    with pytest.raises(ValidationError):
        import_results(period, BACNINH_DATA)


def test_a_framework_in_use_cannot_change_and_a_changed_file_is_a_new_version(period):
    version = period.framework
    version.text = version.text + "\n# changed\n"
    with pytest.raises(ValidationError):
        version.save()
    changed = BACNINH_FRAMEWORK.read_text(encoding="utf-8").replace("Nhận thức số\n", "Nhận thức số.\n", 1)
    new, created = import_framework(changed, "bacninh-2023.yaml")
    assert created and new.version == 2
    same, created = import_framework(changed, "bacninh-2023.yaml")
    assert not created and same.pk == new.pk
    assert FrameworkVersion.objects.get(pk=version.pk).text == BACNINH_FRAMEWORK.read_text(encoding="utf-8")


def test_a_timeline_out_of_order_is_refused(framework):
    import datetime

    with pytest.raises(ValidationError, match="timeline|mốc thời gian"):
        create_period(year=2024, name="x", framework=framework,
                               declaration_opens=datetime.date(2024, 11, 1),
                               declaration_closes=datetime.date(2024, 10, 1))


def test_a_bad_results_file_imports_nothing(framework, tmp_path):
    from dti.assessments.models import Participation
    from dti.engine import DtiError

    period = create_period(year=2024, name="x", framework=framework)
    bad = tmp_path / "bad.csv"
    text = (BACNINH_FRAMEWORK.parent.parent / "data" / "bacninh-2023.csv").read_text(encoding="utf-8")
    bad.write_text(text.replace("UBND Thị xã Thuận Thành,95,", "UBND Thị xã Thuận Thành,195,"), encoding="utf-8")
    with pytest.raises(DtiError):
        import_results(period, bad)
    assert not Participation.objects.filter(period=period).exists()


def test_a_period_without_units_cannot_be_finalized_or_published(framework):
    empty = create_period(year=2025, name="Kỳ trống", framework=framework)
    for state in ("declaring", "reviewing", "appeals"):
        empty = advance_period(empty, state)
    with pytest.raises(ValidationError, match="no units|chưa có đơn vị"):
        advance_period(empty, "finalized")
    assert Period.objects.get(pk=empty.pk).state == "appeals"
