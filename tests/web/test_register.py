"""A province's communes and wards come from the national register with their official codes: 99 for today's
Bắc Ninh, in the group chosen; a second import adds nothing; a unit typed before is kept and given its code."""

import pytest
from django.urls import reverse

from dti.assessments.actions.units import import_register_units
from dti.assessments.audit import Action
from dti.assessments.models import AuditEntry, Unit
from dti.assessments.queries.audit_log import describe
from dti.assessments.queries.register import communes, provinces

# The period and its people are written once for the module (conftest's ``world``).
pytestmark = pytest.mark.usefixtures("world")

BAC_NINH = "24"  # the province's code in the register


def test_the_register_holds_the_34_provinces_and_3321_communes():
    assert len(provinces()) == 34
    assert ("24", "Tỉnh Bắc Ninh") in provinces()
    assert sum(len(communes(code)) for code, _name in provinces()) == 3321
    assert len(communes(BAC_NINH)) == 99


def test_the_secretariat_adds_bac_ninhs_99_communes_and_wards_with_their_codes(as_user):
    page = as_user("an").post(reverse("assessments:units_from_register"),
                              {"province": BAC_NINH, "group_code": "huyen", "year": "2026"}, follow=True)
    assert "Từ danh mục: thêm 99 đơn vị, bổ sung mã cho 0 đơn vị, 0 đơn vị đã có." in page.content.decode()
    ward = Unit.objects.get(official_code="07210")
    assert (ward.name, ward.group_code, ward.active_from) == ("Phường Bắc Giang", "huyen", 2026)
    assert Unit.objects.exclude(official_code="").count() == 99
    entry = AuditEntry.objects.get(action=Action.UNITS_IMPORTED)
    assert describe(entry).startswith("an thêm từ danh mục đơn vị hành chính: Phường ")
    assert describe(entry).endswith(" và 89 đơn vị khác")  # ten named, the rest counted
    again = import_register_units(BAC_NINH, group_code="huyen", year=2026)
    assert (again.created, again.coded, again.present) == ([], [], 99)
    assert AuditEntry.objects.filter(action=Action.UNITS_IMPORTED).count() == 1


def test_a_unit_typed_before_is_given_its_code_and_not_doubled(db):
    typed = Unit.objects.create(name="Phường  Bắc Giang", group_code="huyen")
    done = import_register_units(BAC_NINH, group_code="huyen", year=2026)
    assert done.coded == ["Phường Bắc Giang"] and len(done.created) == 98
    typed.refresh_from_db()
    assert typed.official_code == "07210"


def test_a_name_another_province_holds_gets_its_province_after_it(db):
    other = Unit.objects.create(name="Phường Bắc Giang", group_code="huyen", official_code="99999")
    done = import_register_units(BAC_NINH, group_code="huyen", year=2026)
    assert "Phường Bắc Giang (Tỉnh Bắc Ninh)" in done.created
    assert Unit.objects.get(official_code="07210").name == "Phường Bắc Giang (Tỉnh Bắc Ninh)"
    assert Unit.objects.get(pk=other.pk).name == "Phường Bắc Giang"


@pytest.mark.parametrize(("data", "message"), [
    ({"province": "00", "group_code": "huyen", "year": "2026"}, "Tỉnh, thành phố"),
    ({"province": BAC_NINH, "group_code": "", "year": "2026"}, "Khối đánh giá"),
])
def test_a_wrong_choice_is_refused_and_nothing_is_added(as_user, data, message):
    page = as_user("an").post(reverse("assessments:units_from_register"), data, follow=True).content.decode()
    assert message in page
    assert not Unit.objects.exclude(official_code="").exists()


def test_a_wards_page_names_the_former_wards_and_district_it_came_from(as_user):
    import_register_units(BAC_NINH, group_code="huyen", year=2026)
    ward = Unit.objects.get(official_code="07210")
    page = as_user("an").get(reverse("assessments:unit", args=[ward.pk])).content.decode()
    formed = page[page.index('id="formed-from"'):]
    assert "Hình thành từ ngày 1/7/2025 trên cơ sở (theo danh mục, mã 07210)" in formed
    assert "<li>Phường Thọ Xương, Thành phố Bắc Giang, Tỉnh Bắc Giang</li>" in formed
    assert formed.count("Thành phố Bắc Giang, Tỉnh Bắc Giang") == 7
