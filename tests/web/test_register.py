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


def test_the_register_places_each_commune_of_today_and_each_district_of_before():
    from dti.assessments.queries.register import location

    assert location("07210") == pytest.approx((21.2849, 106.215))  # Phường Bắc Giang
    assert location("256") == pytest.approx((21.178177, 106.071026))  # Thành phố Bắc Ninh before 2025
    assert location("99999") is None


def test_a_groups_units_are_drawn_at_their_places_coloured_by_grade_and_departments_are_not(client, db):
    import json

    from dti.assessments.models import Period
    from dti.assessments.operations.demo import load_demo

    load_demo()
    period = Period.objects.get(state=Period.State.PUBLISHED)

    def map_data(group: str):
        page = client.get(reverse("portal:group", args=[period.pk, group])).content.decode()
        if 'id="map-data"' not in page:
            return None
        return json.loads(page.split('<script id="map-data" type="application/json">', 1)[1].split("</script>")[0])

    districts = map_data("huyen")
    assert len(districts["points"]) == 8 and districts["grades"] == ["Xuất sắc", "Tốt", "Khá", "Trung bình", "Kém"]
    que_vo = next(p for p in districts["points"] if p["unit"] == "UBND Thị xã Quế Võ")
    assert (que_vo["lat"], que_vo["lon"]) == pytest.approx((21.137731, 106.18162))  # the register's point, code 259
    assert (que_vo["grade"], que_vo["colour"], que_vo["total"]) == ("Xuất sắc", "xuat-sac", 804.25)
    assert map_data("so-nganh") is None  # departments have no place in the register


def test_a_units_official_code_is_digits_and_belongs_to_one_unit(as_user):
    tien_du, _made = Unit.objects.get_or_create(name="UBND huyện Tiên Du", defaults={"group_code": "huyen"})
    Unit.objects.update_or_create(name="UBND huyện Yên Phong", defaults={"group_code": "huyen",
                                                                         "official_code": "258"})
    url = reverse("assessments:unit", args=[tien_du.pk])
    fields = {"name": tien_du.name, "group_code": "huyen", "ranked": "on"}
    for code, message in (("26O", "không phải là mã của danh mục"), ("258", "Đã có đơn vị khác mang mã “258”")):
        page = as_user("an").post(url, {**fields, "official_code": code}).content.decode()
        assert message in page
        tien_du.refresh_from_db()
        assert tien_du.official_code == ""
    as_user("an").post(url, {**fields, "official_code": "260"})
    tien_du.refresh_from_db()
    assert tien_du.official_code == "260"
    assert AuditEntry.objects.filter(action=Action.UNIT_CHANGED).latest("pk").new["official_code"] == "260"
