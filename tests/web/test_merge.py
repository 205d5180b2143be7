"""Units merged into one new unit (the 2025 mergers of communes and wards) through one action: the new unit, its
lineage, the predecessors' last year and one entry in the change log, or a refusal that changes nothing."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from dti.assessments.actions.units import merge_units
from dti.assessments.audit import Action
from dti.assessments.models import AuditEntry, Unit, UnitLineage
from dti.assessments.queries.audit_log import describe

from .test_declaration import open_period  # noqa: F401 - fixtures

# The period and its people are written once for the module (conftest's ``world``).
pytestmark = pytest.mark.usefixtures("world")


@pytest.fixture
def communes(db):
    return [Unit.objects.create(name=name, group_code="huyen", active_from=2000)
            for name in ("Xã Tân Chi", "Xã Lạc Vệ", "Xã Phật Tích")]


def merge(client, units, **fields):
    data = {"predecessors": [u.pk for u in units], "name": "Xã Tân Chi mới", "short_name": "", "group_code": "huyen",
            "year": 2025, **fields}
    return client.post(reverse("assessments:units_merge"), data, follow=True)


def test_three_communes_become_one_and_the_log_names_them(as_user, communes):
    page = merge(as_user("an"), communes).content.decode()
    assert "Đã sáp nhập 3 đơn vị thành “Xã Tân Chi mới”." in page
    successor = Unit.objects.get(name="Xã Tân Chi mới")
    assert (successor.active_from, successor.group_code) == (2025, "huyen")
    assert sorted(UnitLineage.objects.filter(unit=successor).values_list("predecessor__name", "kind", "year")) == [
        ("Xã Lạc Vệ", "merged", 2025), ("Xã Phật Tích", "merged", 2025), ("Xã Tân Chi", "merged", 2025)]
    assert {u.active_until for u in Unit.objects.filter(pk__in=[c.pk for c in communes])} == {2024}
    entry = AuditEntry.objects.get(action=Action.UNITS_MERGED)
    assert describe(entry) == "an hợp nhất Xã Lạc Vệ, Xã Phật Tích, Xã Tân Chi thành Xã Tân Chi mới từ năm 2025"


@pytest.mark.parametrize(("case", "message"), [
    ("one unit", "Sáp nhập cần ít nhất hai đơn vị."),
    ("name taken", "Đã có đơn vị “Xã Tân Chi”"),
    ("merged before", "Xã Tân Chi đã được sáp nhập vào một đơn vị khác."),
])
def test_a_merger_that_cannot_be_is_refused_and_nothing_changes(as_user, communes, case, message):
    if case == "merged before":
        earlier = Unit.objects.create(name="Xã Cũ", group_code="huyen")
        UnitLineage.objects.create(unit=earlier, predecessor=communes[0], kind="merged", year=2020)
    before = (Unit.objects.count(), UnitLineage.objects.count())
    fields = {"name": "xã tân  chi"} if case == "name taken" else {}
    units = communes[:1] if case == "one unit" else communes


    with pytest.raises(ValidationError, match=message):
        merge_units(units, name=fields.get("name", "Xã Tân Chi mới"), group_code="huyen", year=2025)
    assert (Unit.objects.count(), UnitLineage.objects.count()) == before
    assert {u.active_until for u in Unit.objects.filter(pk__in=[c.pk for c in communes])} == {None}
    assert not AuditEntry.objects.filter(action=Action.UNITS_MERGED).exists()


def test_a_unit_in_a_period_still_open_is_not_merged_away(as_user, open_period):  # noqa: F811
    taking_part = Unit.objects.get(name="UBND TP. Bắc Ninh")
    other = Unit.objects.create(name="UBND huyện Mới", group_code="huyen")
    page = merge(as_user("an"), [taking_part, other], name="UBND TP. Bắc Ninh mới", year=2024).content.decode()
    assert "UBND TP. Bắc Ninh đang tham gia “Kỳ 2024” (chưa chốt kết quả)" in page
    assert not Unit.objects.filter(name="UBND TP. Bắc Ninh mới").exists()


def test_the_units_page_offers_the_merger_to_the_secretariat_only(as_user, communes):
    url = reverse("assessments:units")
    assert 'id="merge"' in as_user("an").get(url).content.decode()
    assert 'id="merge"' not in as_user("lan").get(url).content.decode()


def test_a_units_group_is_chosen_among_the_frameworks_groups_never_typed(as_user):
    client = as_user("an")
    page = client.get(reverse("assessments:units")).content.decode()
    assert '<option value="huyen">Đơn vị UBND huyện/thị xã/thành phố (huyen)</option>' in page
    client.post(reverse("assessments:units"), {"name": "UBND xã Tam Đa", "group_code": "huyenn", "ranked": "on"})
    assert not Unit.objects.filter(name="UBND xã Tam Đa").exists()  # a typo is refused, not stored


def test_the_units_page_finds_units_by_name_and_offers_those_found_to_merge(as_user, communes):
    client = as_user("an")
    url = reverse("assessments:units")
    for n in range(60):  # more than a page of units
        Unit.objects.create(name=f"Xã Thử {n:02d}", group_code="xa")
    everything = client.get(url).content.decode()
    assert len(offered_to_merge(everything)) == 50  # the page shown, not every unit there is
    found = client.get(url, {"q": "xa thu 0"}).content.decode()  # without diacritics, as typed on any keyboard
    assert "Xã Thử 05" in found and "Xã Thử 15" not in found
    assert offered_to_merge(found) == [f"Xã Thử {n:02d}" for n in range(10)]
    # A posted form accepts any unit not merged yet, whichever page offered it.
    page = merge(client, [Unit.objects.get(name="Xã Thử 15"), Unit.objects.get(name="Xã Thử 59")],
                 name="Xã Thử Mới", year=2025).content.decode()
    assert Unit.objects.filter(name="Xã Thử Mới").exists(), page


def offered_to_merge(page: str) -> list[str]:
    """The names the merge form's list of units offers."""
    import re

    choices = page.split('name="predecessors"', 1)[1].split("</select>", 1)[0]
    return re.findall(r"<option value=\"\d+\">([^<]*)</option>", choices)
