"""A unit officer told why results cannot be computed yet learns nothing of another unit."""

from django.urls import reverse

from .test_declaration import chi_participation, open_period  # noqa: F401 - fixtures


def test_a_unit_officer_is_not_told_another_units_name_or_values(as_user, chi_participation):  # noqa: F811
    period = chi_participation.period
    url = reverse("assessments:period_results", args=[period.pk])
    secretariat = as_user("an").get(url).content.decode()
    assert "Sở Y tế" in secretariat  # the secretariat is told which unit holds the results back
    page = as_user("chi").get(url).content.decode()
    assert "Sở Y tế" not in page
    assert "bản khai báo hoặc rà soát của một đơn vị khác chưa hoàn tất" in page
    analysis = as_user("chi").get(reverse("assessments:participation_analysis", args=[chi_participation.pk]))
    assert "Sở Y tế" not in analysis.content.decode()
