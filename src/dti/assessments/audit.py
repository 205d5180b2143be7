"""Reading the audit log: per unit and indicator, with markers, and a replay that rebuilds the inputs."""

from __future__ import annotations

from dataclasses import dataclass

from .models import AuditEntry, Participation, Stage

INPUT_ACTIONS = ("dti.declaration.inputs_changed", "dti.review.accepted", "dti.review.adjusted")


@dataclass(frozen=True)
class AuditLine:
    entry: AuditEntry
    after_submission: bool  # changed since the declaration was (last) submitted
    after_review: bool  # changed since the indicator was first reviewed


def audit_lines(participation: Participation, indicator_code: str | None = None) -> list[AuditLine]:
    entries = list(AuditEntry.objects.filter(participation=participation).select_related("by").order_by("at", "pk"))
    submitted_at = max((e.at for e in entries if e.action == "dti.declaration.state_changed"
                        and (e.new or {}).get("state") == "submitted"), default=None)
    first_review = {}
    for e in entries:
        if e.stage == Stage.REVIEWED and e.indicator_code not in first_review:
            first_review[e.indicator_code] = e.at
    lines = []
    for e in entries:
        if indicator_code and e.indicator_code != indicator_code:
            continue
        reviewed_at = first_review.get(e.indicator_code)
        lines.append(AuditLine(e, bool(submitted_at and e.at > submitted_at and e.indicator_code),
                               bool(reviewed_at and e.at > reviewed_at)))
    return lines


def replay_inputs(period) -> dict[tuple[int, str, str], dict]:
    """(participation id, indicator code, stage) → inputs, rebuilt from the audit log alone."""
    state: dict[tuple[int, str, str], dict] = {}
    for e in AuditEntry.objects.filter(period=period, action__in=INPUT_ACTIONS).order_by("at", "pk"):
        state[(e.participation_id, e.indicator_code, e.stage)] = {
            "inputs": e.new["inputs"], "not_applicable": e.new["not_applicable"],
            "points": e.new["points"] if e.new.get("points_given") else None}
    return state
