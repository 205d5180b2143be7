"""Appeals: in the appeal window a unit contests specific indicators with new evidence; a second reviewer —
someone who did not review that indicator — upholds the appeal (new reviewed values) or rejects it, with a
reason either way. A period cannot be finalized while an appeal is open."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dti.assessments import policy
from dti.assessments.actions import declarations, reviews
from dti.assessments.audit import Action, record
from dti.assessments.models import Appeal, AuditEntry, Participation, Stage
from dti.engine import Indicator


@transaction.atomic
def file_appeal(participation: Participation, indicator: Indicator, reason: str, by) -> Appeal:
    policy.refuse(policy.appeal_refusal(participation))
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Say why the reviewed points are wrong."))
    if not participation.entries.filter(indicator_code=indicator.code, stage=Stage.REVIEWED).exists():
        raise ValidationError(_("%s has no reviewed points to contest.") % indicator.code)
    if participation.appeals.filter(indicator_code=indicator.code, state=Appeal.State.OPEN).exists():
        raise ValidationError(_("%s already has an open appeal.") % indicator.code)
    appeal = Appeal.objects.create(participation=participation, indicator_code=indicator.code, reason=reason,
                                   filed_by=by)
    record(Action.APPEAL_FILED, participation=participation, indicator_code=indicator.code, new={"reason": reason},
           reason=reason, by=by)
    return appeal


@transaction.atomic
def decide_appeal(appeal: Appeal, indicator: Indicator, *, upheld: bool, decision: str, by,
                  inputs: dict[str, str] | None = None) -> Appeal:
    participation = appeal.participation
    if appeal.state != Appeal.State.OPEN:
        raise ValidationError(_("This appeal was already decided."))
    policy.refuse(policy.appeal_decision_refusal(participation))
    decision = decision.strip()
    if not decision:
        raise ValidationError(_("A decision on an appeal needs a reason."))
    first = set(AuditEntry.objects.filter(participation=participation, indicator_code=indicator.code,
                                          stage=Stage.REVIEWED).values_list("by_id", flat=True))
    if by.pk in first:
        raise ValidationError(_("An appeal is decided by a second reviewer, not by who reviewed the indicator."))
    if upheld:
        inputs = inputs or {}
        result, problem = declarations.preview(indicator, inputs, False, participation, Stage.REVIEWED)
        if result is None:
            raise ValidationError(problem)
        reviews.write_reviewed(participation, indicator, inputs=inputs, not_applicable=False, comment="",
                               reason=decision, action=Action.APPEAL_UPHELD, by=by)
    appeal.state = Appeal.State.UPHELD if upheld else Appeal.State.REJECTED
    appeal.decided_by, appeal.decided_at, appeal.decision = by, timezone.now(), decision
    appeal.save()
    if not upheld:
        record(Action.APPEAL_REJECTED, participation=participation, indicator_code=indicator.code, reason=decision,
               by=by)
    return appeal
