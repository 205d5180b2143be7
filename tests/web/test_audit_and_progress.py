"""The audit log per unit and indicator, its markers, its replay, and the secretariat's progress board."""

import pytest
from django.urls import reverse

from dti.assessments.models import AuditEntry, IndicatorEntry
from dti.assessments.queries.adapter import stored_entries
from dti.assessments.queries.audit_log import replay_inputs

from .test_declaration import chi_participation, fill_everything, open_period, save  # noqa: F401 - fixtures
from .test_review import act, submitted  # noqa: F401 - fixtures

# The period and its people are written once for the module (conftest's ``world``).
pytestmark = pytest.mark.usefixtures("world")


def test_the_history_shows_who_changed_what_with_markers(as_user, submitted):  # noqa: F811
    client = as_user("binh")
    act(client, submitted, "1.1", action="accept")
    act(client, submitted, "1.1", action="adjust", **{"1.1-input_value": "3"}, reason="Thiếu một biên bản")
    page = client.get(reverse("assessments:declaration_history", args=[submitted.pk]) + "?chi_so=1.1").content.decode()
    # Each change in words, with who made it and the values before and after; no internal codes.
    assert "chi khai báo 1.1: 4" in page
    assert "binh chấp nhận 1.1: 4 (20 điểm)" in page
    assert "binh điều chỉnh 1.1: 4 → 3 (15 điểm)" in page
    assert "dti.declaration" not in page and "dti.review" not in page and "{&#x27;" not in page
    assert "Thiếu một biên bản" in page
    assert "thay đổi sau rà soát" in page


def test_a_unit_officer_cannot_read_another_units_history(as_user, submitted):  # noqa: F811
    assert as_user("dung").get(reverse("assessments:declaration_history", args=[submitted.pk])).status_code == 403


def test_audit_entries_cannot_be_changed_or_deleted(submitted):  # noqa: F811
    import pytest
    from django.core.exceptions import ValidationError

    entry = AuditEntry.objects.first()
    entry.reason = "sửa lại"
    with pytest.raises(ValidationError):
        entry.save()
    with pytest.raises(ValidationError):
        entry.delete()


def test_replaying_the_audit_log_rebuilds_every_input(as_user, submitted):  # noqa: F811
    client = as_user("binh")
    group = submitted.period.framework.parsed.group("huyen")
    for _pillar, indicator in group.indicators():
        act(client, submitted, indicator.code, action="accept")
    act(client, submitted, "1.2", action="adjust", **{"1.2-input_a": "1", "1.2-input_b": "2"}, reason="Chỉ 1/2")
    act(client, submitted, "1.3", action="adjust", **{"1.3-input_a": "1", "1.3-input_b": "1"}, points="7.5",
        reason="Văn bản ký muộn")
    replayed = replay_inputs(submitted.period)
    stored = {(e.participation_id, e.indicator_code, e.stage): {
        "inputs": e.inputs, "not_applicable": e.not_applicable,
        "points": f"{e.points.normalize():f}" if e.points_given else None}
        for e in IndicatorEntry.objects.filter(participation__period=submitted.period)}
    assert replayed == stored
    # What scoring reads — the inputs as stored text decoded at once, the points a reviewer gave — is the same.
    assert stored_entries(list(submitted.period.participations.values_list("pk", flat=True))) == stored
    assert stored[(submitted.pk, "1.3", "reviewed")]["points"] == "7.5"


def test_the_progress_board_counts_states_and_flags_late_units(as_user, submitted, open_period):  # noqa: F811
    page = as_user("an").get(reverse("assessments:period_progress", args=[open_period.pk])).content.decode()
    assert "UBND TP. Bắc Ninh" in page and "Sở Y tế" in page
    open_period.declaration_closes = open_period.declaration_opens
    open_period.save()
    page = as_user("an").get(reverse("assessments:period_progress", args=[open_period.pk])).content.decode()
    assert page.count('<mark class="late">') == 1  # Sở Y tế never submitted; Bắc Ninh did
    assert as_user("chi").get(reverse("assessments:period_progress", args=[open_period.pk])).status_code == 403
