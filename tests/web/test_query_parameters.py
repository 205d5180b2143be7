"""Every query parameter of the public and signed-in pages: a malformed value is ignored or a 404, never a 500."""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dti.assessments.models import Participation

HOSTILE = ["abc", "1.5", "-1", "²", "٣", "1e3", "99999999999999999999", "", " ", "%00", "\x00", "pillar-²",
           "pillar-99999999999", "pillar--1", "<script>", "'", "NaN"]
VALUES = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=30))


def pages(period, participation):
    group = period.participations.first().group.code
    return {
        "compare": (reverse("portal:compare"), ["ky", "don-vi"]),
        "group": (reverse("portal:group", args=[period.pk, group]), ["sap-xep", "chieu", "loai", "q"]),
        "analysis": (reverse("assessments:period_analysis", args=[period.pk]),
                     ["khoi", "mau", "dungsai", "cach", "trongso", "hatgiong"]),
        "history": (reverse("assessments:declaration_history", args=[participation.pk]), ["chi_so"]),
        "language": (reverse("choose_language"), ["language", "next"]),
    }


# Every case reads the same published period: it is written once for the module (conftest's ``world``).
pytestmark = pytest.mark.usefixtures("world")


def extend_world(world):
    from .test_state_machine import move_to

    move_to(world["period"], "published")


@pytest.fixture
def published(period, people):
    return period


@pytest.mark.parametrize("page", ["compare", "group", "analysis", "history", "language"])
@pytest.mark.parametrize("value", HOSTILE)
def test_a_hostile_value_in_any_parameter_is_never_a_server_error(as_user, published, page, value):
    participation = Participation.objects.filter(period=published).first()
    url, names = pages(published, participation)[page]
    client = as_user("an")
    for name in names:
        assert client.get(url, {name: value}).status_code in (200, 302, 404), (name, value)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=st.dictionaries(st.sampled_from(["ky", "don-vi", "sap-xep", "chieu", "loai", "q"]), VALUES))
def test_any_combination_on_the_public_pages_is_never_a_server_error(client, published, values):
    group = published.participations.first().group.code
    for url in (reverse("portal:compare"), reverse("portal:group", args=[published.pk, group])):
        assert client.get(url, values).status_code in (200, 404), values
