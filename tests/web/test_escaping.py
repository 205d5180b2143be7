"""Hostile names and comments: every page shows them as text, every spreadsheet cell as text."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from ..conftest import published_with_unit_named

HOSTILE = '=HYPERLINK("http://x.example","Sở Y tế")<script>alert(1)</script>'


@pytest.fixture
def hostile_period(framework):
    """The 2023 results with Sở Y tế renamed to a formula and a script, in a period whose name has markup,
    published."""
    return published_with_unit_named(framework, HOSTILE, period_name="Kỳ 2023 <b>đậm</b>")


def assert_escaped(html: str):
    assert "<script>alert(1)</script>" not in html and "<b>đậm</b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_public_pages_show_a_hostile_name_as_text(client, hostile_period):
    period, participation = hostile_period
    for url in (reverse("portal:home"), reverse("portal:period", args=[period.pk]),
                reverse("portal:group", args=[period.pk, "so-nganh"]),
                reverse("portal:unit", args=[period.pk, participation.pk]),
                reverse("portal:compare") + f"?ky={period.pk}&don-vi={participation.pk}&don-vi="
                + str(period.participations.exclude(pk=participation.pk).first().pk)):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_escaped(response.content.decode())


def test_signed_in_pages_show_a_hostile_name_as_text(as_user, hostile_period):
    period, participation = hostile_period
    client = as_user("an")
    for url in (reverse("assessments:period", args=[period.pk]),
                reverse("assessments:period_results", args=[period.pk]),
                reverse("assessments:period_analysis", args=[period.pk]),
                reverse("assessments:participation_analysis", args=[participation.pk]),
                reverse("assessments:declaration", args=[participation.pk])):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_escaped(response.content.decode())


def test_downloads_keep_a_formula_name_as_text(client, hostile_period):
    period, _participation = hostile_period
    response = client.get(reverse("portal:download", args=[period.pk, "ket-qua.csv"]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    names = [row[2] for row in rows[1:]] if rows[0][2] == "unit" else [c for row in rows for c in row]
    assert "'" + HOSTILE in names and HOSTILE not in names
    response = client.get(reverse("portal:download", args=[period.pk, "phu-luc.xlsx"]))
    workbook = load_workbook(io.BytesIO(response.content))
    cells = [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row
             if cell.value == HOSTILE]
    assert cells and all(cell.data_type == "s" for cell in cells)
