"""A unit's name typed decomposed, with an invisible character or extra spaces is the unit that already exists."""

import unicodedata

import pytest
from django.urls import reverse

from dti.assessments.actions.imports import import_results
from dti.assessments.actions.periods import create_period
from dti.assessments.models import Participation, Unit

from ..conftest import BACNINH_DATA

NAME = "UBND TP. Bắc Ninh"


@pytest.mark.parametrize("typed", [unicodedata.normalize("NFD", NAME), "UBND TP.\u200b Bắc Ninh",
                                   "UBND  TP. Bắc Ninh", "ubnd tp bắc ninh"])
def test_a_near_duplicate_unit_is_refused_naming_the_existing_one(as_user, people, typed):
    count = Unit.objects.count()
    page = as_user("an").post(reverse("assessments:units"), {"name": typed, "group_code": "huyen",
                                                              "ranked": "on"}).content.decode()
    assert f"Đã có đơn vị “{NAME}”" in page
    assert Unit.objects.count() == count


def test_a_new_name_is_stored_in_one_writing(as_user, people):
    as_user("an").post(reverse("assessments:units"), {"name": unicodedata.normalize("NFD", " Phường  Võ Cường\u200b"),
                                                      "group_code": "huyen", "ranked": "on"})
    assert Unit.objects.filter(name="Phường Võ Cường").exists()


def test_a_decomposed_results_file_fills_the_existing_unit(framework, tmp_path):
    first = create_period(year=2022, name="A", framework=framework)
    import_results(first, BACNINH_DATA)
    units = Unit.objects.count()
    decomposed = tmp_path / "nfd.csv"
    decomposed.write_text(unicodedata.normalize("NFD", BACNINH_DATA.read_text(encoding="utf-8")), encoding="utf-8")
    second = create_period(year=2023, name="B", framework=framework)
    import_results(second, decomposed)
    assert Unit.objects.count() == units
    assert Participation.objects.filter(period=second).count() == Participation.objects.filter(period=first).count()


def test_searching_the_ranking_in_nfd_finds_the_unit(client, period):
    from .test_state_machine import move_to

    published = move_to(period, "published")
    url = reverse("portal:group", args=[published.pk, "huyen"])
    page = client.get(url, {"q": unicodedata.normalize("NFD", "Bắc Ninh")}).content.decode()
    assert '<p class="muted" id="shown-count">1 trên 8 đơn vị.' in page
