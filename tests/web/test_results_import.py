"""A results file never replaces work entered in the application, and every import is in the audit log."""

import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from dti.assessments.actions.imports import import_results
from dti.assessments.actions.periods import create_period
from dti.assessments.models import AuditEntry, IndicatorEntry, PillarResult

from ..conftest import BACNINH_DATA
from .test_declaration import chi_participation, open_period, save  # noqa: F401 - fixtures


def test_importing_into_a_period_with_declarations_is_refused_and_changes_nothing(as_user, chi_participation):  # noqa: F811
    save(as_user("chi"), chi_participation, "1.1", value="3")
    period = chi_participation.period
    before = list(IndicatorEntry.objects.filter(participation__period=period).values_list("pk", "inputs", "version"))
    page = as_user("an").post(reverse("assessments:period_import", args=[period.pk]),
                              {"file": BACNINH_DATA.open("rb")}, follow=True).content.decode()
    assert "Không nhập dữ liệu nào: Kỳ đánh giá này đã có khai báo hoặc rà soát" in page
    with pytest.raises(ValidationError, match="đã có khai báo hoặc rà soát"):
        import_results(period, BACNINH_DATA)
    after = list(IndicatorEntry.objects.filter(participation__period=period).values_list("pk", "inputs", "version"))
    assert after == before == [(before[0][0], {"value": "3"}, 1)]
    assert not PillarResult.objects.filter(participation__period=period).exists()
    assert not AuditEntry.objects.filter(period=period, action="dti.results.imported").exists()


def test_an_import_is_audited_with_the_files_hash_and_what_it_replaced(framework):
    period = create_period(year=2024, name="Nhập", framework=framework)
    import_results(period, BACNINH_DATA)
    import_results(period, BACNINH_DATA)  # a period of imported results alone may take a new file
    first, second = AuditEntry.objects.filter(period=period, action="dti.results.imported").order_by("pk")
    digest = hashlib.sha256(BACNINH_DATA.read_bytes()).hexdigest()
    assert first.new == {"file": "bacninh-2023.csv", "sha256": digest, "layout": "pillar", "units": 25}
    assert first.old == {"entries": 0, "pillar_results": 0}
    assert second.old["pillar_results"] == PillarResult.objects.filter(participation__period=period).count() > 0
