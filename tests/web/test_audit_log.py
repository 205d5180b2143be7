"""Every change outside a unit's declaration is in the audit log too: frameworks, periods, units, lineage,
participations, reviewer assignments, decision settings and accounts — each written by the action that made
the change, read back in words on the log page."""

import ast
import re
from pathlib import Path

from django.urls import reverse

from dti.assessments.audit import Action
from dti.assessments.models import AuditEntry, Participation, Unit
from dti.assessments.queries.audit_log import describe

from .test_documents import decision_form

SOURCE = Path(__file__).parents[2] / "src" / "dti"


def actions(**filters) -> list[str]:
    return list(AuditEntry.objects.filter(**filters).order_by("pk").values_list("action", flat=True))


def test_the_framework_and_the_period_are_recorded_when_made(period):
    assert actions(period=None) == [Action.FRAMEWORK_IMPORTED]
    assert actions(period=period) == [Action.PERIOD_CREATED, Action.RESULTS_IMPORTED]
    created = AuditEntry.objects.get(action=Action.PERIOD_CREATED)
    assert describe(created) == "Hệ thống tạo kỳ đánh giá Kỳ 2023"


def test_units_their_renames_and_lineage_are_recorded(as_user, people):
    client = as_user("an")
    client.post(reverse("assessments:units"), {"name": "UBND xã Tam Đa", "group_code": "huyen", "ranked": "on"})
    unit = Unit.objects.get(name="UBND xã Tam Đa")
    client.post(reverse("assessments:unit", args=[unit.pk]), {"name": "UBND phường Tam Đa", "group_code": "huyen",
                                                              "ranked": "on", "active_from": "2025"})
    old = Unit.objects.get(name="UBND TP. Bắc Ninh")
    client.post(reverse("assessments:unit", args=[unit.pk]), {"predecessor": old.pk, "kind": "merged",
                                                              "year": "2025"})
    assert actions(period=None)[-4:] == [Action.UNIT_CREATED, Action.UNIT_RENAMED, Action.UNIT_CHANGED,
                                         Action.LINEAGE_RECORDED]
    log = client.get(reverse("assessments:log")).content.decode()
    assert "an tạo đơn vị UBND xã Tam Đa" in log
    assert "an đổi tên đơn vị UBND xã Tam Đa → UBND phường Tam Đa" in log
    assert "an ghi nhận kế thừa của UBND phường Tam Đa" in log
    changed = AuditEntry.objects.get(action=Action.UNIT_CHANGED)
    assert (changed.old, changed.new["active_from"]) == ({"active_from": None}, 2025)


def test_participations_and_reviewer_assignments_are_recorded(as_user, people, period):
    client = as_user("an")
    unit = Unit.objects.create(name="UBND xã Tam Đa", group_code="huyen")
    huyen = period.framework.groups.get(code="huyen")
    client.post(reverse("assessments:period_add_unit", args=[period.pk]),
                {"unit": unit.pk, "group": huyen.pk, "ranked": "on"})
    participation = Participation.objects.get(period=period, unit=unit)
    client.post(reverse("assessments:period_remove_unit", args=[period.pk, participation.pk]))
    assert not Participation.objects.filter(pk=participation.pk).exists()
    client.post(reverse("assessments:period_assign", args=[period.pk]),
                {"reviewer": people["binh"].pk, "group": period.framework.groups.get(code="so-nganh").pk,
                 "indicator_code": ""})
    assert actions(period=period)[-3:] == [Action.UNITS_JOINED, Action.UNIT_LEFT, Action.REVIEWER_ASSIGNED]
    log = client.get(reverse("assessments:log") + f"?ky={period.pk}").content.decode()
    assert "an thêm vào kỳ đánh giá: UBND xã Tam Đa" in log and "an bỏ khỏi kỳ đánh giá UBND xã Tam Đa" in log


def test_moving_the_period_and_its_decision_settings_are_recorded(as_user, people, period):
    client = as_user("an")
    client.post(reverse("assessments:period_advance", args=[period.pk]), {"to_state": "declaring", "note": "Mở",
                                                                     "confirmed": "true"})
    client.post(reverse("assessments:period_decision", args=[period.pk]), decision_form(number="2405/QĐ-UBND"))
    moved, settings = (AuditEntry.objects.get(action=a) for a in (Action.PERIOD_ADVANCED,
                                                                  Action.DECISION_SETTINGS_CHANGED))
    assert describe(moved) == "an chuyển trạng thái kỳ đánh giá: Nháp → Đang khai báo"
    assert moved.reason == "Mở" and settings.new["number"] == "2405/QĐ-UBND"


def test_accounts_made_enabled_and_disabled_are_recorded(as_user, people):
    client = as_user("an")
    client.post(reverse("assessments:users"), {"username": "hoa", "full_name": "Đỗ Thị Hoa", "role": "reviewer",
                                               "email": "hoa@so.example", "password": "rất-dài-và-khó-đoán-7"})
    hoa = people["an"].__class__.objects.get(username="hoa")
    client.post(reverse("assessments:user_toggle", args=[hoa.pk]))
    client.post(reverse("assessments:user_toggle", args=[hoa.pk]))
    assert actions(period=None)[-3:] == [Action.ACCOUNT_CREATED, Action.ACCOUNT_DISABLED, Action.ACCOUNT_ENABLED]
    log = client.get(reverse("assessments:log")).content.decode()
    assert "an khóa tài khoản hoa" in log and "an mở lại tài khoản hoa" in log


def test_the_log_is_read_by_the_secretariat_and_leaders_only(as_user):
    assert as_user("lan").get(reverse("assessments:log")).status_code == 200
    for name in ("binh", "chi"):
        assert as_user(name).get(reverse("assessments:log")).status_code == 403


def test_audit_entries_are_written_by_audit_record_alone():
    """No module but audit.py creates an entry, so every entry has an action of the vocabulary."""
    writers = []
    for path in SOURCE.rglob("*.py"):
        if path.name == "audit.py" or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Attribute) and node.attr == "create" and isinstance(node.value, ast.Attribute)
                    and isinstance(node.value.value, ast.Name) and node.value.value.id == "AuditEntry"):
                writers.append(str(path.relative_to(SOURCE)))
    assert writers == []


WRITES = re.compile(r"\.objects\.(create|get_or_create|update_or_create|bulk_create)\(|\.save\(|\.delete\(|\)\.update\(")


def test_views_and_commands_write_only_through_actions():
    """Views, the API and the commands call the functions that check, write and record; none writes itself."""
    screens = [p for p in SOURCE.rglob("*.py") if p.name == "views.py"
               or p.parent.name in ("views", "commands", "api")]
    assert len(screens) > 20
    writing = [f"{p.relative_to(SOURCE)}:{n}" for p in screens
               for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if WRITES.search(line)]
    assert writing == []


def test_a_unit_officers_account_is_named_by_its_user_name_not_its_unit(people):
    from dti.accounts.models import Role
    from dti.accounts.services import create_account

    create_account(username="lam", password="rất-dài-và-khó-đoán-7", role=Role.UNIT_OFFICER,
                   unit=Unit.objects.get(name="Sở Y tế"), by=people["an"])
    assert describe(AuditEntry.objects.filter(action=Action.ACCOUNT_CREATED).last()) == "an tạo tài khoản lam"
