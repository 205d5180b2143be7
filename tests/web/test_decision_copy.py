"""A new period's decision starts from last year's settings on request: number and date blank, the title's year
moved, legal bases as they were, and nothing saved until the secretariat saves."""

import html
import re

import pytest
from django.urls import reverse

from dti.assessments.models import Period
from dti.documents.decision import load_decision_settings, settings_to_mapping

from ..conftest import ROOT
from .test_declaration import open_period  # noqa: F401 - fixtures

# The period and its people are written once for the module (conftest's ``world``).
pytestmark = pytest.mark.usefixtures("world")

SEED_SETTINGS = ROOT / "data" / "bacninh-2023-decision.yaml"


def field(page: str, name: str) -> str:
    """The value a form field of ``page`` shows."""
    textarea = re.search(rf'<textarea[^>]*name="{name}"[^>]*>([^<]*)</textarea>', page)
    if textarea:
        return html.unescape(textarea.group(1)).strip()
    tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', page)
    assert tag, name
    value = re.search(r'value="([^"]*)"', tag.group(0))
    return html.unescape(value.group(1)) if value else ""


@pytest.fixture
def decided_2023(period):
    Period.objects.filter(pk=period.pk).update(
        decision_settings=settings_to_mapping(load_decision_settings(SEED_SETTINGS)))
    return period


def test_the_2024_decision_starts_from_2023s_settings(as_user, decided_2023, open_period):  # noqa: F811
    client = as_user("an")
    url = reverse("assessments:period_decision", args=[open_period.pk])
    assert "Chép nội dung quyết định từ “Kỳ 2023”" in client.get(url).content.decode()
    page = client.get(url + "?chep=1").content.decode()
    assert "Đã chép từ “Kỳ 2023”: số và ngày ký để trống." in page
    assert field(page, "number") == "" and field(page, "signed_on") == ""
    assert field(page, "title").endswith("trên địa bàn tỉnh Bắc Ninh năm 2024")
    legal_bases = field(page, "legal_bases")
    assert "Quyết định số 1187/QĐ-UBND ngày 06/10/2023" in legal_bases  # earlier documents keep their dates
    assert (field(page, "authority"), field(page, "signer")) == ("CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH BẮC NINH",
                                                          "Vương Quốc Tuấn")
    assert Period.objects.get(pk=open_period.pk).decision_settings == {}  # nothing saved by copying


def test_no_copy_is_offered_once_the_period_has_its_own_settings_or_none_before_it(as_user, period, open_period):  # noqa: F811
    client = as_user("an")
    url = reverse("assessments:period_decision", args=[open_period.pk])
    assert 'id="copy-previous"' not in client.get(url).content.decode()  # 2023 has no settings saved
    Period.objects.filter(pk=period.pk).update(decision_settings=settings_to_mapping(
        load_decision_settings(SEED_SETTINGS)))
    Period.objects.filter(pk=open_period.pk).update(decision_settings={"title": "Đã có"})
    assert 'id="copy-previous"' not in client.get(url).content.decode()
