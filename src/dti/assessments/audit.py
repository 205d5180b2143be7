"""The audit log: what may be recorded, the one way to record it, and reading it back — per unit and
indicator with markers, as sentences, and as a replay that rebuilds every input from the log alone."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import AuditEntry, Declaration, Participation, Period, Stage


class Action(models.TextChoices):
    """Every change the log records. Each label is what the change did, as the history page says it."""

    DECLARATION_INPUTS_CHANGED = "dti.declaration.inputs_changed", gettext_lazy("declared")
    DECLARATION_STATE_CHANGED = "dti.declaration.state_changed", gettext_lazy("moved the declaration")
    DECLARATION_REOPENED = "dti.declaration.reopened", gettext_lazy("reopened the declaration")
    EVIDENCE_ADDED = "dti.evidence.added", gettext_lazy("added evidence")
    REVIEW_ACCEPTED = "dti.review.accepted", gettext_lazy("accepted")
    REVIEW_ADJUSTED = "dti.review.adjusted", gettext_lazy("adjusted")
    CLARIFICATION_ASKED = "dti.review.clarification_asked", gettext_lazy("asked the unit about")
    SECOND_REVIEW = "dti.review.second_review", gettext_lazy("confirmed the review as second reviewer")
    APPEAL_FILED = "dti.appeal.filed", gettext_lazy("appealed")
    APPEAL_UPHELD = "dti.appeal.upheld", gettext_lazy("upheld the appeal on")
    APPEAL_REJECTED = "dti.appeal.rejected", gettext_lazy("rejected the appeal on")
    RESULTS_IMPORTED = "dti.results.imported", gettext_lazy("imported a results file")
    FRAMEWORK_IMPORTED = "dti.framework.imported", gettext_lazy("imported the framework")
    PERIOD_CREATED = "dti.period.created", gettext_lazy("created the period")
    PERIOD_ADVANCED = "dti.period.advanced", gettext_lazy("moved the period")
    UNITS_JOINED = "dti.period.units_joined", gettext_lazy("added to the period")
    UNIT_LEFT = "dti.period.unit_left", gettext_lazy("removed from the period")
    REVIEWER_ASSIGNED = "dti.period.reviewer_assigned", gettext_lazy("assigned a reviewer")
    DECISION_SETTINGS_CHANGED = "dti.period.decision_settings_changed", gettext_lazy("changed the decision settings")
    UNIT_CREATED = "dti.unit.created", gettext_lazy("created the unit")
    UNIT_CHANGED = "dti.unit.changed", gettext_lazy("changed the unit")
    UNIT_RENAMED = "dti.unit.renamed", gettext_lazy("renamed the unit")
    LINEAGE_RECORDED = "dti.unit.lineage_recorded", gettext_lazy("recorded the lineage of")
    ACCOUNT_CREATED = "dti.account.created", gettext_lazy("created the account")
    ACCOUNT_ENABLED = "dti.account.enabled", gettext_lazy("enabled the account")
    ACCOUNT_DISABLED = "dti.account.disabled", gettext_lazy("disabled the account")
    TWO_FACTOR_ON = "dti.account.two_factor_on", gettext_lazy("turned on two-step sign-in for")
    TWO_FACTOR_OFF = "dti.account.two_factor_off", gettext_lazy("turned off two-step sign-in for")


# The actions whose entry holds an indicator's inputs in full: replaying them in order rebuilds every input.
INPUT_ACTIONS = (Action.DECLARATION_INPUTS_CHANGED, Action.REVIEW_ACCEPTED, Action.REVIEW_ADJUSTED,
                 Action.APPEAL_UPHELD)


def record(action: Action, *, by, period=None, participation: Participation | None = None,
           indicator_code: str = "", stage: str = "", old=None, new=None, reason: str = "") -> AuditEntry:
    """Append one entry to the log; call it inside the transaction that makes the change."""
    if participation is not None:
        period = participation.period
    return AuditEntry.objects.create(period=period, participation=participation, indicator_code=indicator_code,
                                     stage=stage, action=Action(action).value, old=old, new=new, reason=reason,
                                     by=by)


@dataclass(frozen=True)
class AuditLine:
    entry: AuditEntry
    after_submission: bool  # changed since the declaration was (last) submitted
    after_review: bool  # changed since the indicator was first reviewed

    @property
    def sentence(self) -> str:
        return describe(self.entry)


def audit_lines(participation: Participation, indicator_code: str | None = None) -> list[AuditLine]:
    entries = list(AuditEntry.objects.filter(participation=participation).select_related("by").order_by("at", "pk"))
    submitted_at = max((e.at for e in entries if e.action == Action.DECLARATION_STATE_CHANGED
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


SUBJECTS_NAMED = 10  # units named in one sentence; the rest are counted
# The actions that move a state, and the states they move.
STATE_CHOICES = {Action.DECLARATION_STATE_CHANGED: Declaration.State, Action.PERIOD_ADVANCED: Period.State}


def who(entry: AuditEntry) -> str:
    if entry.by is None:
        return _("The system")
    return entry.by.get_full_name() or entry.by.username


def describe(entry: AuditEntry) -> str:
    """The entry as one sentence: "Lê Văn Chi declared 1.1: 3 → 4" (in the reader's language)."""
    try:
        action = Action(entry.action)
    except ValueError:  # an entry written before the vocabulary had its action
        return f"{who(entry)}: {entry.action}"
    subject = f" {entry.indicator_code}" if entry.indicator_code else ""
    sentence = f"{who(entry)} {action.label}{subject}"
    old, new = entry.old or {}, entry.new or {}
    if action in INPUT_ACTIONS:
        change = _values(new)
        if old and _values(old) != change:
            change = f"{_values(old)} → {change}"
        points = new.get("points")
        return f"{sentence}: {change}" + (f" ({_('%s points') % points})" if points is not None else "")
    if action in STATE_CHOICES:
        states = STATE_CHOICES[action]
        return f"{sentence}: {_state_label(states, old.get('state'))} → {_state_label(states, new.get('state'))}"
    if action == Action.DECLARATION_REOPENED and new.get("until"):
        return f"{sentence} " + _("until %s") % _date(new["until"])
    if action == Action.EVIDENCE_ADDED and new.get("file"):
        return f"{sentence}: {new['file']}"
    if isinstance(new.get("units"), list):
        units = new["units"]
        more = len(units) - SUBJECTS_NAMED
        return f"{sentence}: " + ", ".join(units[:SUBJECTS_NAMED]) + (" " + _("and %d more") % more if more > 0 else "")
    if action == Action.UNIT_RENAMED:
        return f"{sentence} {old.get('name')} → {new.get('name')}"
    for key in ("account", "unit", "period", "framework", "reviewer"):
        if new.get(key):
            return f"{sentence} {new[key]}"
    if action == Action.RESULTS_IMPORTED and new.get("file"):
        return f"{sentence}: {new['file']} (" + _("%s units") % new.get("units") + ")"
    return sentence


def _state_label(states, state) -> str:
    return states(state).label if state in states.values else state


def _values(state: dict) -> str:
    """An entry's inputs as read: "4", "a = 850, b = 1000", or "not applicable"."""
    if state.get("not_applicable"):
        return _("not applicable")
    inputs = state.get("inputs") or {}
    if len(inputs) == 1:
        return str(next(iter(inputs.values())))
    return ", ".join(f"{name} = {value}" for name, value in inputs.items()) or "—"


def _date(iso: str) -> str:
    year, month, day = iso.split("-")
    return f"{day}/{month}/{year}"
