"""The audit log's vocabulary (every change it records, with the words that describe it) and ``record``, the one
way to write an entry; reading the log back is in ``queries.audit_log``."""

from __future__ import annotations

from django.db import models, transaction
from django.db.models import F
from django.utils.translation import gettext_lazy

from dti.assessments.models import AuditEntry, Participation, WriteVersion


class Action(models.TextChoices):
    """Every change the log records. Each label is what the change did, as the history page says it."""

    DECLARATION_INPUTS_CHANGED = "dti.declaration.inputs_changed", gettext_lazy("declared")
    DECLARATION_STATE_CHANGED = "dti.declaration.state_changed", gettext_lazy("moved the declaration")
    DECLARATION_REOPENED = "dti.declaration.reopened", gettext_lazy("reopened the declaration")
    EVIDENCE_ADDED = "dti.evidence.added", gettext_lazy("added evidence")
    EVIDENCE_WITHDRAWN = "dti.evidence.withdrawn", gettext_lazy("withdrew evidence")
    REVIEW_ACCEPTED = "dti.review.accepted", gettext_lazy("accepted")
    REVIEW_ADJUSTED = "dti.review.adjusted", gettext_lazy("adjusted")
    QUESTION_WRITTEN = "dti.review.question_written", gettext_lazy("wrote a question, not yet sent, on")
    QUESTION_DISCARDED = "dti.review.question_discarded", gettext_lazy("discarded an unsent question on")
    CLARIFICATION_ASKED = "dti.review.clarification_asked", gettext_lazy("asked the unit about")
    CLARIFICATION_ANSWERED = "dti.review.clarification_answered", gettext_lazy("answered the question on")
    SECOND_REVIEW = "dti.review.second_review", gettext_lazy("confirmed the review as second reviewer")
    APPEAL_FILED = "dti.appeal.filed", gettext_lazy("appealed")
    APPEAL_UPHELD = "dti.appeal.upheld", gettext_lazy("upheld the appeal on")
    APPEAL_REJECTED = "dti.appeal.rejected", gettext_lazy("rejected the appeal on")
    RESULTS_IMPORTED = "dti.results.imported", gettext_lazy("imported a results file")
    FRAMEWORK_IMPORTED = "dti.framework.imported", gettext_lazy("imported the framework")
    PERIOD_CREATED = "dti.period.created", gettext_lazy("created the period")
    PERIOD_ADVANCED = "dti.period.advanced", gettext_lazy("moved the period")
    TIMELINE_CHANGED = "dti.period.timeline_changed", gettext_lazy("changed the timeline")
    UNITS_REMINDED = "dti.period.units_reminded", gettext_lazy("reminded of the declaration deadline")
    UNITS_JOINED = "dti.period.units_joined", gettext_lazy("added to the period")
    UNIT_LEFT = "dti.period.unit_left", gettext_lazy("removed from the period")
    REVIEWER_ASSIGNED = "dti.period.reviewer_assigned", gettext_lazy("assigned a reviewer")
    DECISION_SETTINGS_CHANGED = "dti.period.decision_settings_changed", gettext_lazy("changed the decision settings")
    UNIT_CREATED = "dti.unit.created", gettext_lazy("created the unit")
    UNIT_CHANGED = "dti.unit.changed", gettext_lazy("changed the unit")
    UNIT_RENAMED = "dti.unit.renamed", gettext_lazy("renamed the unit")
    LINEAGE_RECORDED = "dti.unit.lineage_recorded", gettext_lazy("recorded the lineage of")
    UNITS_MERGED = "dti.unit.merged", gettext_lazy("merged")
    UNITS_IMPORTED = "dti.unit.imported", gettext_lazy("added from the register of administrative units")
    UNITS_FROM_FILE = "dti.unit.imported_from_file", gettext_lazy("added from a units file")
    ACCOUNT_CREATED = "dti.account.created", gettext_lazy("created the account")
    ACCOUNT_ENABLED = "dti.account.enabled", gettext_lazy("enabled the account")
    ACCOUNT_DISABLED = "dti.account.disabled", gettext_lazy("disabled the account")
    ACCOUNT_CHANGED = "dti.account.changed", gettext_lazy("changed the account")
    PASSWORD_SET = "dti.account.password_set", gettext_lazy("set a new password for")
    TWO_FACTOR_ON = "dti.account.two_factor_on", gettext_lazy("turned on two-step sign-in for")
    TWO_FACTOR_OFF = "dti.account.two_factor_off", gettext_lazy("turned off two-step sign-in for")


# The actions whose entry holds an indicator's inputs in full: replaying them in order rebuilds every input.
INPUT_ACTIONS = (Action.DECLARATION_INPUTS_CHANGED, Action.REVIEW_ACCEPTED, Action.REVIEW_ADJUSTED,
                 Action.APPEAL_UPHELD)


def record(action: Action, *, by, period=None, participation: Participation | None = None,
           indicator_code: str = "", stage: str = "", old=None, new=None, reason: str = "") -> AuditEntry:
    """Append one entry to the log and move the write version of what it changed (the period's, or the shared
    one); call it inside the transaction that makes the change."""
    if participation is not None:
        period = participation.period
    scope = WriteVersion.scope_of(period)
    if period is not None:  # once committed, the worker computes again what the period's pages keep
        from dti.assessments.queries.kept import after_write

        transaction.on_commit(lambda: after_write(period))
    moved = WriteVersion.objects.filter(scope=scope).update(number=F("number") + 1)
    if not moved and not WriteVersion.objects.get_or_create(scope=scope, defaults={"number": 1})[1]:
        WriteVersion.objects.filter(scope=scope).update(number=F("number") + 1)  # made meanwhile by another write
    return AuditEntry.objects.create(period=period, participation=participation, indicator_code=indicator_code,
                                     stage=stage, action=Action(action).value, old=old, new=new, reason=reason,
                                     by=by)
