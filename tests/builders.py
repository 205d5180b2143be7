"""Small builders: a framework of one group from a few lines, instead of large fixtures."""

from __future__ import annotations

from decimal import Decimal

from dti.engine import GroupData, StageInputs, UnitEntry, build_framework, score_group
from dti.engine.points import from_micro

QUOTA_BACNINH = {
    "kind": "quota",
    "grades": [
        {"grade": "Xuất sắc", "share": 15}, {"grade": "Tốt", "share": 20}, {"grade": "Khá", "share": 20},
        {"grade": "Trung bình", "share": 30, "remainder": True}, {"grade": "Kém", "share": 15},
    ],
}


def framework_data(indicators: list[dict], max_points=None, grading=None, **group) -> dict:
    if max_points is None:
        max_points = sum(Decimal(str(i["max_points"])) for i in indicators
                         if i.get("rule", {}).get("kind") not in ("bonus", "penalty"))
    return {
        "code": "test", "name": "Thử", "source": "QĐ thử",
        "groups": [{
            "code": "g", "name": "Khối thử", "grading": grading or QUOTA_BACNINH,
            "pillars": [{"code": "P", "name": "Chỉ số chính", "max_points": max_points, "indicators": indicators}],
            **group,
        }],
    }


def indicator(rule: dict, code: str = "1.1", max_points=20, **extra) -> dict:
    return {"code": code, "name": f"Chỉ số {code}", "max_points": max_points, "rule": rule, **extra}


def score_one(rule: dict, values: dict[str, list], *, max_points=20, na=None, **extra):
    """Points and explanations of one indicator for as many units as each input has values."""
    framework = build_framework(framework_data([indicator(rule, max_points=max_points, **extra)]), "thử.yaml")
    group = framework.groups[0]
    n = len(next(iter(values.values()))) if values else len(na)
    units = tuple(UnitEntry(f"Đơn vị {i + 1}") for i in range(n))
    inputs = StageInputs(values={"1.1": values}, not_applicable={"1.1": na} if na else {})
    result = score_group(group, units, inputs, inputs)
    points = [from_micro(m) for m in result.reviewed.pillar_points[0]]
    return points, [result.explain("reviewed", i, "1.1") for i in range(n)], result


def group_result(framework_dict: dict, units: list[UnitEntry], declared: StageInputs, reviewed: StageInputs | None = None):
    framework = build_framework(framework_dict, "thử.yaml")
    data = {"g": GroupData(tuple(units), declared, reviewed or declared)}
    from dti.engine import score_framework

    return score_framework(framework, data).groups[0]


def forget_what_was_kept() -> None:
    """After rows written in a test behind the actions (which move the period's version): what was computed
    from the rows before — results, boards, queues — is forgotten, in this process and in the shared cache."""
    from django.core.cache import cache

    from dti.assessments.queries.kept import forget_in_process

    cache.clear()
    forget_in_process()
