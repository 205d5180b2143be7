"""The demo database: Bắc Ninh 2023 published, a 2024 period open for declaration, one account per role."""

from __future__ import annotations

import datetime
from pathlib import Path

from django.db import transaction
from django.forms.models import model_to_dict
from django.utils import timezone

from dti.accounts.models import Role
from dti.accounts.services import create_account
from dti.assessments.actions.frameworks import import_framework
from dti.assessments.actions.imports import import_results
from dti.assessments.actions.periods import add_participants, advance_period, create_period
from dti.assessments.actions.units import save_unit
from dti.assessments.models import FrameworkVersion, Period, ReviewerAssignment, Unit
from dti.assessments.views.forms import UnitForm
from dti.documents.decision import load_decision_settings, settings_to_mapping

PROJECT_ROOT = Path(__file__).resolve().parents[4]
FRAMEWORK_FILE = PROJECT_ROOT / "frameworks" / "bacninh-2023.yaml"
RESULTS_FILE = PROJECT_ROOT / "data" / "bacninh-2023.csv"
DECISION_FILE = PROJECT_ROOT / "data" / "bacninh-2023-decision.yaml"  # the seed decision's own words
# Printed at start and in the README; demo databases only.
DEMO_PASSWORD = "dti-demo-2024"  # noqa: S105  # nosec B105
DEMO_ACCOUNTS = [
    # username, role, full name, unit
    ("sotttt", Role.SECRETARIAT, "Nguyễn Văn An (Sở TT&TT)", None),
    ("thamdinh", Role.REVIEWER, "Trần Thị Bình (thẩm định)", None),
    ("donvi.bacninh", Role.UNIT_OFFICER, "Lê Văn Chi (UBND TP. Bắc Ninh)", "UBND TP. Bắc Ninh"),
    ("donvi.tuson", Role.UNIT_OFFICER, "Phạm Thị Dung (UBND TP. Từ Sơn)", "UBND TP. Từ Sơn"),
    ("lanhdao", Role.LEADER, "Vương Quốc Tuấn (lãnh đạo)", None),
]


# The 2023 districts' codes in the register of administrative units before 1 July 2025: they place the districts
# on the portal's map.
DISTRICT_CODES = {"UBND TP. Bắc Ninh": "256", "UBND huyện Yên Phong": "258", "UBND Thị xã Quế Võ": "259",
                  "UBND huyện Tiên Du": "260", "UBND TP. Từ Sơn": "261", "UBND Thị xã Thuận Thành": "262",
                  "UBND huyện Gia Bình": "263", "UBND huyện Lương Tài": "264"}


def demo_loaded() -> bool:
    return FrameworkVersion.objects.filter(code="bacninh-2023").exists()


@transaction.atomic
def load_demo() -> None:
    accounts = {}
    for username, role, full_name, unit_name in DEMO_ACCOUNTS:
        unit = None
        if unit_name:
            unit, _ = Unit.objects.get_or_create(name=unit_name, defaults={"group_code": "huyen"})
        accounts[username] = create_account(username=username, password=DEMO_PASSWORD, role=role,
                                            full_name=full_name, unit=unit)
    secretariat = accounts["sotttt"]
    framework, _ = import_framework(FRAMEWORK_FILE.read_text(encoding="utf-8"), FRAMEWORK_FILE.name,
                                             by=secretariat)
    published = create_period(
        year=2023, name="Đánh giá chỉ số chuyển đổi số năm 2023", name_en="Digital transformation index 2023",
        framework=framework, by=secretariat,
        declaration_opens=datetime.date(2023, 10, 10), declaration_closes=datetime.date(2023, 11, 15),
        review_closes=datetime.date(2023, 12, 15), appeal_opens=datetime.date(2023, 12, 16),
        appeal_closes=datetime.date(2023, 12, 22))
    import_results(published, RESULTS_FILE, by=secretariat)
    for name, code in DISTRICT_CODES.items():
        unit = Unit.objects.get(name=name)
        form = UnitForm({**model_to_dict(unit, fields=UnitForm._meta.fields), "official_code": code}, instance=unit)
        if not form.is_valid():
            raise ValueError(form.errors.as_text())
        save_unit(form, by=secretariat)
    published.decision_settings = settings_to_mapping(load_decision_settings(DECISION_FILE))
    published.save(update_fields=["decision_settings"])
    for state in (Period.State.DECLARING, Period.State.REVIEWING, Period.State.APPEALS, Period.State.FINALIZED,
                  Period.State.PUBLISHED):
        advance_period(published, state, by=secretariat,
                                note="Quyết định số 2405/QĐ-UBND ngày 26/12/2023" if state == "published" else "")
    # The timeline is set around the day the demo is created, so that declaration is open whenever it runs.
    today = timezone.localdate()
    current = create_period(
        year=2024, name="Đánh giá chỉ số chuyển đổi số năm 2024", name_en="Digital transformation index 2024",
        framework=framework, by=secretariat,
        declaration_opens=today - datetime.timedelta(days=14), declaration_closes=today + datetime.timedelta(days=30),
        review_closes=today + datetime.timedelta(days=60), appeal_opens=today + datetime.timedelta(days=61),
        appeal_closes=today + datetime.timedelta(days=68))
    add_participants(current, list(Unit.objects.order_by("group_code", "pk")))
    advance_period(current, Period.State.DECLARING, by=secretariat)
    for group in framework.groups.all():
        ReviewerAssignment.objects.create(period=current, reviewer=accounts["thamdinh"], group=group)
