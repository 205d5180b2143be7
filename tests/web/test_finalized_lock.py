"""After finalizing, no view changes anything in the period."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dti.assessments.actions.periods import advance_period
from dti.assessments.models import AuditEntry, Declaration, Evidence, IndicatorEntry, Participation

from ..conftest import BACNINH_DATA
from .test_declaration import chi_participation, open_period, reviewed, save  # noqa: F401 - fixtures


@pytest.fixture
def finalized(reviewed):  # noqa: F811
    period = reviewed.period
    for state in ("reviewing", "appeals", "finalized"):
        period = advance_period(period, state)
    return Participation.objects.get(pk=reviewed.pk)


def test_every_write_is_refused_once_finalized(as_user, finalized, people, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    period = finalized.period
    before = (IndicatorEntry.objects.count(), AuditEntry.objects.count(), Evidence.objects.count(),
              Participation.objects.filter(period=period).count(), period.reviewer_assignments.count())
    chi, an, binh = as_user("chi"), None, None
    save(chi, finalized, "1.1", version=1, value="1")
    chi.post(reverse("assessments:declaration_submit", args=[finalized.pk]))
    chi.post(reverse("assessments:evidence_add", args=[finalized.pk, "1.1"]),
             {"file": SimpleUploadedFile("x.pdf", b"%PDF-1.4 x")})
    binh = as_user("binh")
    binh.post(reverse("assessments:review_action", args=[finalized.pk, "1.1"]), {"action": "accept"})
    binh.post(reverse("assessments:review_action", args=[finalized.pk, "1.1"]),
              {"action": "clarify", "question": "?"})
    an = as_user("an")
    with BACNINH_DATA.open("rb") as handle:
        an.post(reverse("assessments:period_import", args=[period.pk]),
                {"file": SimpleUploadedFile("kq.csv", handle.read())})
    an.post(reverse("assessments:period_add_unit", args=[period.pk]),
            {"unit": finalized.unit.pk, "group": finalized.group.pk})
    an.post(reverse("assessments:period_remove_unit", args=[period.pk, finalized.pk]))
    an.post(reverse("assessments:period_assign", args=[period.pk]),
            {"reviewer": people["binh"].pk, "group": period.framework.groups.get(code="so-nganh").pk})
    closes = period.declaration_closes
    an.post(reverse("assessments:period_timeline", args=[period.pk]), {"declaration_closes": "2100-01-15"})
    period.refresh_from_db()
    assert period.declaration_closes == closes
    after = (IndicatorEntry.objects.count(), AuditEntry.objects.count(), Evidence.objects.count(),
             Participation.objects.filter(period=period).count(), period.reviewer_assignments.count())
    assert after == before
    assert IndicatorEntry.objects.get(participation=finalized, indicator_code="1.1", stage="declared").inputs == {
        "value": "4"}
    assert Declaration.objects.get(participation=finalized).state == "submitted"
