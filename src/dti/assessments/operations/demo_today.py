"""The demo in today's shape, beside the 2023 one: a 2026 period of the merged Bắc Ninh (with Bắc Giang since
1 July 2025) — its 99 communes and wards from the national register and its departments, the merged ones with
their predecessors — on the example framework, with example declarations, part-way through review.

Everything the province does here goes through the same actions an official's clicks do: units from the register
and from a file, mergers, the period, declarations, questions and reviews, each with its log entry. The figures
are examples (``random.Random(2026)``: the same demo every time) and every name says so.
"""

from __future__ import annotations

import datetime
import random

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from dti.accounts.models import Role
from dti.accounts.services import create_account
from dti.assessments.actions import declarations, reviews
from dti.assessments.actions.frameworks import import_framework
from dti.assessments.actions.periods import add_participants, advance_period, create_period, remove_participation
from dti.assessments.actions.units import import_register_units, import_units, merge_units
from dti.assessments.models import Participation, Period, ReviewerAssignment, Unit
from dti.assessments.operations.demo import DEMO_PASSWORD, PROJECT_ROOT

FRAMEWORK_FILE = PROJECT_ROOT / "frameworks" / "mau-bacninh-2026.yaml"
NEW_DEPARTMENTS_FILE = PROJECT_ROOT / "data" / "bacninh-2026-don-vi.csv"
PROVINCE_CODE = "24"  # Tỉnh Bắc Ninh in the register of administrative units
PERIOD_NAME = "Đánh giá chỉ số chuyển đổi số năm 2026 (dữ liệu mẫu)"
# The 2025 mergers of departments (Kết luận 121-KL/TW; Nghị định 45/2025/NĐ-CP): the new department, and the
# departments of the 2023 decision it continues.
MERGED_DEPARTMENTS = {
    "Sở Khoa học và Công nghệ tỉnh Bắc Ninh": ("Sở Thông tin và truyền thông", "Sở Khoa học và Công nghệ"),
    "Sở Tài chính tỉnh Bắc Ninh": ("Sở Tài chính", "Sở Kế hoạch Đầu tư"),
    "Sở Nội vụ tỉnh Bắc Ninh": ("Sở Nội vụ", "Sở Lao động và Thương binh xã hội"),
    "Sở Xây dựng tỉnh Bắc Ninh": ("Sở Xây dựng", "Sở Giao thông Vận tải"),
    "Sở Nông nghiệp và Môi trường": ("Sở Nông nghiệp và Phát triển nông thôn", "Sở Tài nguyên và Môi trường"),
}
TODAY_ACCOUNTS = [
    # username, role, full name, unit
    ("donvi.kinhbac", Role.UNIT_OFFICER, "Đỗ Thị Hà (Phường Kinh Bắc)", "Phường Kinh Bắc"),
    ("donvi.sokhcn", Role.UNIT_OFFICER, "Ngô Văn Khánh (Sở KH&CN)", "Sở Khoa học và Công nghệ tỉnh Bắc Ninh"),
]
DECLARED_SHARE, SUBMITTED_SHARE, REVIEWED_SHARE = 0.9, 0.8, 0.45
DRAFT_UNIT, ASKED_UNIT = "Phường Kinh Bắc", "Sở Khoa học và Công nghệ tỉnh Bắc Ninh"  # the demo officers' units
REVIEWED_UNIT = "Sở Tài chính tỉnh Bắc Ninh"  # a merged department reviewed: its change against 2023 is shown


def today_loaded() -> bool:
    return Period.objects.filter(name=PERIOD_NAME).exists()


@transaction.atomic
def load_today() -> Period:
    """Add the merged province's 2026 period to a demo database that holds the 2023 one (load_demo)."""
    people = get_user_model().objects
    secretariat, reviewer = people.get(username="sotttt"), people.get(username="thamdinh")
    framework, _new = import_framework(FRAMEWORK_FILE.read_text(encoding="utf-8"), FRAMEWORK_FILE.name,
                                       by=secretariat)
    import_register_units(PROVINCE_CODE, group_code="xa-phuong", year=2025, by=secretariat)
    merge_the_departments(secretariat)
    import_units(NEW_DEPARTMENTS_FILE, groups={"so-nganh": "so-nganh"}, by=secretariat)
    for username, role, full_name, unit_name in TODAY_ACCOUNTS:
        create_account(username=username, password=DEMO_PASSWORD, role=role, full_name=full_name,
                       unit=Unit.objects.get(name=unit_name), by=secretariat)
    day = timezone.localdate()
    period = create_period(
        year=2026, name=PERIOD_NAME, name_en="Digital transformation index 2026 (sample data)", framework=framework,
        by=secretariat,
        comparison_method=Period.Comparison.PERCENT,  # 2023 was scored out of 1,000, 2026 out of 100
        declaration_opens=day - datetime.timedelta(days=45), declaration_closes=day + datetime.timedelta(days=5),
        review_closes=day + datetime.timedelta(days=40), appeal_opens=day + datetime.timedelta(days=41),
        appeal_closes=day + datetime.timedelta(days=48))
    add_participants(period, list(Unit.objects.active_in(2026).filter(group_code__in=("xa-phuong", "so-nganh"))
                                  .order_by("group_code", "name")), by=secretariat)
    period = advance_period(period, Period.State.DECLARING, by=secretariat)
    for group in framework.groups.all():
        ReviewerAssignment.objects.create(period=period, reviewer=reviewer, group=group)
    declare_and_review(period, reviewer)
    return period


def merge_the_departments(secretariat) -> None:
    """The 2025 mergers: the merged departments leave the open 2024 period (they hold no figures there) and
    become their new department, whose comparison with 2023 reads their results."""
    for name, predecessors in MERGED_DEPARTMENTS.items():
        units = list(Unit.objects.filter(name__in=predecessors))
        for participation in Participation.objects.filter(unit__in=units, period__state=Period.State.DECLARING):
            remove_participation(participation, by=secretariat)
        merge_units(units, name=name, group_code="so-nganh", year=2025, by=secretariat)


def declare_and_review(period: Period, reviewer) -> None:
    """Example declarations for most units, most of them sent; a part of those reviewed, a few adjusted, two
    rounds of questions (one answered): a province at work, the same every time. The units of the demo's own
    officers are where the tour needs them: the commune's declaration a draft to finish, the merged department's
    under review with the reviewer's questions to answer; another merged department reviewed."""
    draw = random.Random(2026)  # noqa: S311  # nosec B311 - example figures, not secrets
    participations = list(period.participations.select_related("unit", "group").order_by("group__code", "unit__name"))
    for participation in participations:
        own = participation.unit.name
        if draw.random() > DECLARED_SHARE and own not in (DRAFT_UNIT, ASKED_UNIT, REVIEWED_UNIT):
            continue  # not started
        leaves = participation.framework_group.leaves()
        skill = draw.uniform(0.45, 1.0)
        for indicator in leaves[:-3] if own == DRAFT_UNIT else leaves:
            values = example_inputs(indicator, skill, draw)
            declarations.save_declared_indicator(participation, indicator, inputs=values, not_applicable=False,
                                                 comment="", expected_version=None, by=None)
        if own == DRAFT_UNIT or (draw.random() > SUBMITTED_SHARE / DECLARED_SHARE
                                 and own not in (ASKED_UNIT, REVIEWED_UNIT)):
            continue  # a draft
        declarations.submit_declaration(participation, by=None)
        if (draw.random() > REVIEWED_SHARE / SUBMITTED_SHARE or own == ASKED_UNIT) and own != REVIEWED_UNIT:
            continue  # waiting for review
        for indicator in leaves:
            if indicator.rule.kind == "direct" or draw.random() < 0.1:
                reviews.adjust(participation, indicator, inputs=example_inputs(indicator, skill * 0.9, draw),
                               not_applicable=False, reason="Minh chứng chỉ chứng minh được một phần (ví dụ)",
                               by=reviewer)
            else:
                reviews.accept(participation, indicator, by=reviewer)
    submitted = [p for p in participations if declarations.declaration_of(p).state == "submitted"
                 and not p.entries.filter(stage="reviewed").exists()]
    submitted.sort(key=lambda p: p.unit.name != ASKED_UNIT)
    for participation in submitted[:2]:
        leaves = participation.framework_group.leaves()
        for indicator in leaves[:-2]:
            reviews.accept(participation, indicator, by=reviewer)
        reviews.write_question(participation, leaves[-2], "Đề nghị gửi bản scan văn bản kèm số, ngày (ví dụ).",
                               by=reviewer)
        reviews.write_question(participation, leaves[-1], "Số liệu lấy từ hệ thống nào, ngày nào? (ví dụ)",
                               by=reviewer)
        reviews.send_questions(participation, by=reviewer)
    first = submitted[1].clarifications.order_by("pk").first() if len(submitted) > 1 else None
    if first is not None:
        reviews.answer_question(first, "Đã bổ sung văn bản số 12/KH-UBND ngày 10/02/2026 (ví dụ).", by=None)


def example_inputs(indicator, skill: float, draw: random.Random) -> dict[str, str]:
    """Values of the rule's inputs for a unit that does about ``skill`` of what the indicator asks."""
    kind = indicator.rule.kind
    level = max(0.0, min(1.0, draw.gauss(skill, 0.15)))
    if kind == "ratio":
        whole = draw.randint(20, 400)
        return {"a": str(round(whole * level)), "b": str(whole)}
    if kind == "yes_no":
        return {"value": "có" if level > 0.35 else "không"}
    if kind == "steps":
        return {"value": str(round(level * 5))}
    if kind == "count":
        return {"count": str(round(level * 5))}
    return {"points": str(round(float(indicator.max_points) * level, 2)).replace(".", ",")}
