"""Reading the audit log back: per unit and indicator with markers, as sentences, and as a replay that
rebuilds every input from the log alone."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dti.accounts.models import Role
from dti.assessments.audit import INPUT_ACTIONS, Action
from dti.assessments.models import AuditEntry, Participation, Period, Stage
from dti.assessments.queries.progress import PROGRESS_STATES

SUBJECTS_NAMED = 10  # units named in one sentence; the rest are counted


# The actions that move a state, and the states they move in words (a declaration's include "reviewed", stored
# by earlier versions).
STATE_CHOICES = {Action.DECLARATION_STATE_CHANGED: PROGRESS_STATES, Action.PERIOD_ADVANCED: dict(Period.State.choices)}


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
    if action in (Action.EVIDENCE_ADDED, Action.EVIDENCE_WITHDRAWN) and new.get("file"):
        return f"{sentence}: {new['file']}"
    if action == Action.UNITS_MERGED:
        return f"{sentence} " + ", ".join(new.get("units", [])) + " " + _("into %(unit)s from %(year)s") % {
            "unit": new.get("unit"), "year": new.get("year")}
    if isinstance(new.get("units"), list):
        units = new["units"]
        more = len(units) - SUBJECTS_NAMED
        return f"{sentence}: " + ", ".join(units[:SUBJECTS_NAMED]) + (" " + _("and %d more") % more if more > 0 else "")
    if action == Action.TIMELINE_CHANGED:
        # In the timeline's order, not the stored one: PostgreSQL's jsonb keeps an object's keys in its own order.
        return f"{sentence}: " + "; ".join(
            f"{Period._meta.get_field(name).verbose_name} {_setting(name, old.get(name))} → {_setting(name, new[name])}"
            for name in Period.CHANGEABLE if name in new)
    if action == Action.ACCOUNT_CHANGED:
        return f"{sentence} {new.get('account')}: " + "; ".join(
            f"{ACCOUNT_FIELDS[name]} {_account_value(name, old.get(name))} → {_account_value(name, new[name])}"
            for name in ACCOUNT_FIELDS if name in new)
    if action == Action.UNIT_RENAMED:
        return f"{sentence} {old.get('name')} → {new.get('name')}"
    for key in ("account", "unit", "period", "framework", "reviewer"):
        if new.get(key):
            return f"{sentence} {new[key]}"
    if action == Action.RESULTS_IMPORTED and new.get("file"):
        return f"{sentence}: {new['file']} (" + _("%s units") % new.get("units") + ")"
    return sentence


ACCOUNT_FIELDS = {"full_name": gettext_lazy("full name"), "email": gettext_lazy("e-mail"),
                  "role": gettext_lazy("role"), "unit": gettext_lazy("unit")}


def _account_value(name: str, value) -> str:
    if not value:
        return "—"
    return str(Role(value).label) if name == "role" and value in Role.values else str(value)


def _state_label(states, state) -> str:
    return str(states.get(state, state))


def _values(state: dict) -> str:
    """An entry's inputs as read: "4", "a = 850, b = 1000", or "not applicable"."""
    if state.get("not_applicable"):
        return _("not applicable")
    inputs = state.get("inputs") or {}
    if len(inputs) == 1:
        return str(next(iter(inputs.values())))
    return ", ".join(f"{name} = {value}" for name, value in inputs.items()) or "—"


def _setting(name: str, value: str | None) -> str:
    """A period setting of the change log as the period page shows it: a date, or the comparison method."""
    if name == "comparison_method":
        return str(Period.Comparison(value).label) if value in Period.Comparison.values else "—"
    return _date(value)


def _date(iso: str | None) -> str:
    if not iso:
        return "—"
    year, month, day = iso.split("-")
    return f"{day}/{month}/{year}"
