"""Who may see or change what, function by function, on a small period: the roles (a superuser is the
secretariat; an inactive account or one without a role is nobody) and the object rules of the scope."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from dti.accounts import roles
from dti.accounts.models import Role
from dti.accounts.services import create_account
from dti.assessments import scope
from dti.assessments.actions.frameworks import import_framework
from dti.assessments.actions.periods import add_participants, assign_reviewer, create_period
from dti.assessments.models import Unit

from ..conftest import BACNINH_FRAMEWORK


@pytest.fixture
def small_period(db):
    framework, _ = import_framework(BACNINH_FRAMEWORK.read_text(encoding="utf-8"), BACNINH_FRAMEWORK.name)
    current = create_period(year=2025, name="Kỳ 2025", framework=framework)
    other = create_period(year=2026, name="Kỳ 2026", framework=framework)
    units = {name: Unit.objects.create(name=name, group_code=group)
             for name, group in (("Xã A", "huyen"), ("Xã B", "huyen"), ("Sở Y tế", "so-nganh"))}
    add_participants(current, list(units.values()))
    add_participants(other, [units["Sở Y tế"]])
    people = {
        "an": create_account(username="an", password=None, role=Role.SECRETARIAT),
        "lan": create_account(username="lan", password=None, role=Role.LEADER),
        "binh": create_account(username="binh", password=None, role=Role.REVIEWER),
        "hoa": create_account(username="hoa", password=None, role=Role.REVIEWER),  # one indicator only
        "khoa": create_account(username="khoa", password=None, role=Role.REVIEWER),  # nothing assigned
        "chi": create_account(username="chi", password=None, role=Role.UNIT_OFFICER, unit=units["Xã A"]),
        "dung": create_account(username="dung", password=None, role=Role.UNIT_OFFICER, unit=units["Sở Y tế"]),
        "root": get_user_model().objects.create_superuser("root", password=None),
        "nobody": get_user_model().objects.create_user("nobody"),
    }
    huyen = framework.groups.get(code="huyen")
    assign_reviewer(current, people["binh"], huyen)
    assign_reviewer(current, people["hoa"], huyen, indicator_code="1.1")
    participations = {p.unit.name: p for p in current.participations.select_related("unit")}
    return current, other, participations, people


def names(participations):
    return sorted(p.unit.name for p in participations)


def test_roles_read_from_the_membership_with_the_superuser_as_secretariat(small_period):
    _period, _other, _parts, people = small_period
    assert [roles.role_of(people[n]) for n in ("an", "lan", "binh", "chi", "root", "nobody")] == \
        ["secretariat", "leader", "reviewer", "unit_officer", "secretariat", None]
    assert roles.role_of(AnonymousUser()) is None
    people["an"].is_active = False
    assert roles.role_of(people["an"]) is None and not roles.is_secretariat(people["an"])
    assert [roles.is_secretariat(people[n]) for n in ("root", "lan", "binh")] == [True, False, False]
    assert [roles.reads_everything(people[n]) for n in ("root", "lan", "binh", "chi")] == [True, True, False, False]
    roles.require(True)
    roles.require_secretariat(people["root"])
    with pytest.raises(PermissionDenied):
        roles.require(False)
    with pytest.raises(PermissionDenied):
        roles.require_secretariat(people["lan"])


def test_periods_and_units_visible_to_each_role(small_period):
    current, other, _parts, people = small_period
    years = {n: sorted(p.year for p in scope.visible_periods(people[n])) for n in people}
    assert years == {"an": [2025, 2026], "lan": [2025, 2026], "root": [2025, 2026], "binh": [2025], "hoa": [2025],
                     "khoa": [], "chi": [2025], "dung": [2025, 2026], "nobody": []}
    assert [scope.can_read_period(people["chi"], p) for p in (current, other)] == [True, False]
    assert scope.visible_periods(AnonymousUser()).count() == 0
    visible = {n: names(scope.visible_participations(people[n], current)) for n in people}
    assert visible == {"an": ["Sở Y tế", "Xã A", "Xã B"], "lan": ["Sở Y tế", "Xã A", "Xã B"],
                       "root": ["Sở Y tế", "Xã A", "Xã B"], "binh": ["Xã A", "Xã B"], "hoa": ["Xã A", "Xã B"],
                       "khoa": [], "chi": ["Xã A"], "dung": ["Sở Y tế"], "nobody": []}


def test_declarations_read_edited_and_reviewed_by_whom_the_scope_says(small_period):
    current, _other, parts, people = small_period
    a, department = parts["Xã A"], parts["Sở Y tế"]
    readers = {n for n in people if scope.can_read_declaration(people[n], a)}
    assert readers == {"an", "lan", "root", "binh", "hoa", "chi"}
    assert {n for n in people if scope.can_read_declaration(people[n], department)} == {"an", "lan", "root", "dung"}
    assert {n for n in people if scope.can_edit_declaration(people[n], a)} == {"chi"}
    assert {n for n in people if scope.can_review(people[n], a)} == {"an", "root", "binh", "hoa"}
    assert {n for n in people if scope.can_review(people[n], a, "1.1")} == {"an", "root", "binh", "hoa"}
    assert {n for n in people if scope.can_review(people[n], a, "1.2")} == {"an", "root", "binh"}
    assert {n for n in people if scope.can_review(people[n], department)} == {"an", "root"}
    reviewable = {n: names(scope.reviewable_participations(people[n], current)) for n in people}
    assert reviewable == {"an": ["Sở Y tế", "Xã A", "Xã B"], "root": ["Sở Y tế", "Xã A", "Xã B"],
                          "binh": ["Xã A", "Xã B"], "hoa": ["Xã A", "Xã B"], "khoa": [], "lan": [], "chi": [],
                          "dung": [], "nobody": []}


def test_the_codes_one_may_review_are_those_can_review_allows_one_by_one(small_period):
    _current, _other, parts, people = small_period
    codes = ["1.1", "1.2", "1.3"]
    for unit in ("Xã A", "Sở Y tế"):
        for name, person in people.items():
            assert scope.reviewable_codes(person, parts[unit], codes) == [
                c for c in codes if scope.can_review(person, parts[unit], c)], (unit, name)
    assert scope.reviewable_codes(people["hoa"], parts["Xã A"], codes) == ["1.1"]
