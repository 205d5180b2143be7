"""A unit renamed after its results were published: it stays the same unit, and nothing published changes —
the pages, the files, the API and `dti verify` all keep the name as published."""

from io import BytesIO, StringIO

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse
from docx import Document

from dti.assessments.models import Participation, Period, Unit, UnitRename
from dti.assessments.operations.demo import load_demo
from dti.assessments.queries import kept
from dti.assessments.queries.period_files import APPENDICES

OLD, NEW = "UBND huyện Tiên Du", "UBND thị xã Tiên Du"


@pytest.fixture
def renamed(client, db):
    """The demo with Tiên Du renamed by the secretariat through the unit's form, then the process restarted
    (every kept result and page forgotten)."""
    load_demo()
    unit = Unit.objects.get(name=OLD)
    client.force_login(User.objects.get(username="sotttt"))
    response = client.post(reverse("assessments:unit", args=[unit.pk]),
                           {"name": NEW, "short_name": unit.short_name, "group_code": unit.group_code,
                            "ranked": "on" if unit.ranked else ""})
    assert response.status_code == 302
    client.logout()
    kept.forget_in_process()
    cache.clear()
    return unit


def published(unit: Unit) -> Participation:
    return Participation.objects.get(unit=unit, period__state=Period.State.PUBLISHED)


def test_the_rename_is_recorded_and_the_unit_keeps_its_identity(renamed, client):
    unit = Unit.objects.get(pk=renamed.pk)
    assert unit.name == NEW
    rename = UnitRename.objects.get(unit=unit)
    assert (rename.old_name, rename.new_name, rename.by.username) == (OLD, NEW, "sotttt")
    client.force_login(User.objects.get(username="sotttt"))
    page = client.get(reverse("assessments:unit", args=[unit.pk])).content.decode()
    assert f"Đổi tên từ {OLD} thành {NEW}" in page
    # The open period follows the unit: it declares under its new name.
    declaring = Participation.objects.get(unit=unit, period__state=Period.State.DECLARING)
    assert declaring.name == NEW


def test_public_pages_keep_the_published_name(renamed, client):
    participation = published(renamed)
    period = participation.period
    pages = [reverse("portal:home"), reverse("portal:period", args=[period.pk]),
             reverse("portal:group", args=[period.pk, participation.group.code]),
             reverse("portal:unit", args=[period.pk, participation.pk]),
             reverse("portal:compare") + f"?ky={period.pk}&don-vi={participation.pk}"
             + "".join(f"&don-vi={p.pk}" for p in period.participations.exclude(pk=participation.pk)[:2])]
    for address in pages:
        response = client.get(address)
        assert response.status_code == 200, address
        html = response.content.decode()
        assert OLD in html and NEW not in html, address


def test_files_keep_the_published_name(renamed, client):
    participation = published(renamed)
    period = participation.period
    report = client.get(reverse("portal:unit_report", args=[period.pk, participation.pk, "docx"]))
    assert report.status_code == 200
    assert "tien-du" in report["Content-Disposition"] and "thi-xa" not in report["Content-Disposition"]
    text = "\n".join(p.text for p in Document(BytesIO(report.content)).paragraphs)
    assert OLD in text and NEW not in text
    appendix = client.get(reverse("portal:download", args=[period.pk, f"{APPENDICES}.docx"]))
    assert appendix.status_code == 200
    document = Document(BytesIO(appendix.content))
    cells = {c.text for t in document.tables for r in t.rows for c in r.cells}
    assert OLD in cells and NEW not in cells


def test_the_api_keeps_the_published_name_and_the_unit_id(renamed, client):
    participation = published(renamed)
    groups = client.get(f"/api/v1/periods/{participation.period.pk}/results").json()
    units = [u for g in groups for u in g["units"]]
    assert [u["name"] for u in units if u["unit_id"] == renamed.pk] == [OLD]
    assert NEW not in {u["name"] for u in units}


def test_dti_verify_still_passes(renamed):
    out = StringIO()
    call_command("verify", "2023", stdout=out)
    assert "Bản công bố qua mọi kiểm tra." in out.getvalue()


def test_periods_published_before_names_were_kept_take_them_from_their_snapshot(db):
    from importlib import import_module

    from django.apps import apps

    load_demo()
    published_period = Period.objects.get(state=Period.State.PUBLISHED)
    published_period.participations.update(published_name="")
    migration = import_module("dti.assessments.migrations.0014_published_name_and_renames")
    migration.keep_published_names(apps, None)
    names = {p.unit.name: p.published_name for p in published_period.participations.select_related("unit")}
    assert names[OLD] == OLD and all(unit == name for unit, name in names.items())
    assert not Participation.objects.filter(period__state=Period.State.DECLARING).exclude(published_name="")
