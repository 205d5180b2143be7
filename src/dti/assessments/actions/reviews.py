"""Review: the only functions that write reviewed inputs, each with its audit entry.

A reviewer accepts an indicator as declared, adjusts its inputs with a mandatory reason, or asks the unit a
question, which returns the declaration to the unit until it resubmits. When every scored indicator has a
reviewed entry, the declaration is reviewed.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dti.assessments import policy
from dti.assessments.actions import declarations, notifications
from dti.assessments.audit import Action, record
from dti.assessments.models import (
    AuditEntry,
    Clarification,
    Declaration,
    IndicatorEntry,
    Participation,
    Period,
    ReviewerVisit,
    SecondReview,
    Stage,
)
from dti.assessments.queries.scores import period_results
from dti.engine import DtiError, Indicator
from dti.engine.numbers import NumberError, read_number


def note_visit(participation: Participation, reviewer) -> None:
    """When the reviewer last opened the unit's review page: the queue counts the changes made since. The one
    write a page view makes, and no audit entry (a visit changes nothing)."""
    ReviewerVisit.objects.update_or_create(participation=participation, reviewer=reviewer,
                                           defaults={"seen_at": timezone.now()})


def _declared(participation: Participation, indicator: Indicator) -> IndicatorEntry:
    try:
        return participation.entries.get(indicator_code=indicator.code, stage=Stage.DECLARED)
    except IndicatorEntry.DoesNotExist:
        raise ValidationError(_("%s was not declared.") % indicator.code) from None


@transaction.atomic
def accept(participation: Participation, indicator: Indicator, by,
           expected_version: int | None = None) -> IndicatorEntry:
    """The reviewed values are the declared ones."""
    policy.refuse(policy.review_refusal(participation))
    declared = _declared(participation, indicator)
    return write_reviewed(participation, indicator, inputs=declared.inputs, not_applicable=declared.not_applicable,
                          comment=declared.comment, reason="", action=Action.REVIEW_ACCEPTED, by=by,
                          expected_version=expected_version)


def remaining(participation: Participation, indicators: list[Indicator]) -> list[Indicator]:
    """Of ``indicators``, those declared and not yet reviewed, or whose declared value changed since review."""
    from dti.assessments.queries.progress import stale_reviews

    declared = set(participation.entries.filter(stage=Stage.DECLARED).values_list("indicator_code", flat=True))
    reviewed = set(participation.entries.filter(stage=Stage.REVIEWED).values_list("indicator_code", flat=True))
    reviewed -= stale_reviews(participation.period, participation).get(participation.pk, set())
    return [i for i in indicators if i.code in declared and i.code not in reviewed]


@transaction.atomic
def accept_remaining(participation: Participation, indicators: list[Indicator], by) -> list[str]:
    """Accept as declared every indicator of ``indicators`` still to review (a pillar's, or the unit's): one
    action for what would be one click per indicator, each indicator recorded in the log as its own accept.
    All or none: a refusal of one leaves every other unreviewed. The codes accepted."""
    policy.refuse(policy.review_refusal(participation))
    codes = []
    for indicator in remaining(participation, indicators):
        accept(participation, indicator, by=by)
        codes.append(indicator.code)
    return codes


@transaction.atomic
def adjust(participation: Participation, indicator: Indicator, *, inputs: dict[str, str], not_applicable: bool,
           reason: str, by, expected_version: int | None = None, points: str = "") -> IndicatorEntry:
    """Reviewed values that differ from the declared ones — new inputs, or points given directly instead of the
    rule's — with a mandatory reason."""
    policy.refuse(policy.review_refusal(participation))
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("An adjustment needs a reason."))
    declared = _declared(participation, indicator)
    specs = indicator.rule.inputs(indicator.max_points)
    inputs = {s.name: str(inputs.get(s.name, "")).strip() for s in specs if str(inputs.get(s.name, "")).strip()}
    result, problem = declarations.preview(indicator, inputs, not_applicable, participation, Stage.REVIEWED)
    if result is None:
        raise ValidationError(problem)
    given = None
    if str(points).strip():
        try:
            given = read_number(points)
        except NumberError as exc:
            raise ValidationError(_("Points: %s") % exc.fault) from None
        if not 0 <= given <= indicator.max_points:
            raise ValidationError(_("Points must be a number from 0 to %s.") % indicator.max_points)
    return write_reviewed(participation, indicator, inputs=inputs, not_applicable=not_applicable,
                          comment=declared.comment if not_applicable else "", reason=reason,
                          action=Action.REVIEW_ADJUSTED, by=by, expected_version=expected_version, points=given)


def write_reviewed(participation, indicator, *, inputs, not_applicable, comment, reason, action, by,
                   expected_version: int | None = None, points=None) -> IndicatorEntry:
    """Write the reviewed entry; with ``expected_version``, refuse if someone saved it since (EditConflict)."""
    result, problem = declarations.preview(indicator, inputs, not_applicable, participation, Stage.REVIEWED)
    if result is None:
        raise ValidationError(problem)
    entry, created = IndicatorEntry.objects.select_for_update().get_or_create(
        participation=participation, indicator_code=indicator.code, stage=Stage.REVIEWED,
        defaults={"inputs": {}, "version": 0})
    if expected_version is not None and not created and entry.version != expected_version:
        raise declarations.EditConflict(entry)
    old = None if created else {"inputs": entry.inputs, "not_applicable": entry.not_applicable,
                                "points": _text(entry.points), "points_given": entry.points_given,
                                "reason": entry.reason}
    entry.inputs, entry.not_applicable, entry.comment, entry.reason = inputs, not_applicable, comment, reason
    entry.points_given = points is not None
    entry.points = points if points is not None else result.points
    entry.declared_version = _declared(participation, indicator).version
    entry.version += 1
    entry.updated_by = by
    entry.save()
    new = {"inputs": inputs, "not_applicable": not_applicable, "points": _text(entry.points),
           "points_given": entry.points_given, "reason": reason}
    declarations.refresh_group_points(participation, indicator, Stage.REVIEWED)
    record(action, participation=participation, indicator_code=indicator.code, stage=Stage.REVIEWED, old=old,
           new=new, reason=reason, by=by)
    return entry


def _text(value):
    return None if value is None else f"{value.normalize():f}"


@transaction.atomic
def ask_clarification(participation: Participation, indicator: Indicator, question: str, by) -> Clarification:
    """A question on one indicator: the declaration goes back to the unit, which corrects and resubmits."""
    policy.refuse(policy.review_refusal(participation))
    question = question.strip()
    if not question:
        raise ValidationError(_("Write the question for the unit."))
    clarification = Clarification.objects.create(participation=participation, indicator_code=indicator.code,
                                                 question=question, asked_by=by)
    record(Action.CLARIFICATION_ASKED, participation=participation, indicator_code=indicator.code,
           new={"question": question}, reason=question, by=by)
    declaration = declarations.declaration_of(participation)
    if declaration.state != Declaration.State.RETURNED:
        declarations.move_declaration(declaration, Declaration.State.RETURNED, by, reason=question)
    notifications.clarification_asked(participation, indicator.code, question)
    return clarification



def units_needing_second_review(period: Period) -> list[Participation]:
    """Participations near a grade boundary (by the period's margin) that no second reviewer has confirmed.

    Only units reviewed here count: results imported as published pillar points were reviewed elsewhere."""
    from dti.engine.analysis import near_grade_boundary

    results = period_results(period)
    by_name = {p.name: p for p in period.participations.select_related("unit")}
    confirmed = set(SecondReview.objects.filter(participation__period=period).values_list("participation_id",
                                                                                          flat=True))
    reviewed_here = set(IndicatorEntry.objects.filter(participation__period=period, stage=Stage.REVIEWED)
                        .values_list("participation_id", flat=True))
    waiting = []
    for group_result in results.groups:
        for i in near_grade_boundary(group_result, period.second_review_margin):
            participation = by_name[group_result.units[i].name]
            if participation.pk in reviewed_here and participation.pk not in confirmed:
                waiting.append(participation)
    return waiting


def second_review_needed(period: Period) -> frozenset[int]:
    """The participation ids that need a second reviewer now, by the rule finalizing applies: what the queue
    flags and the analysis marks as required. None before the review stage or while the results cannot be
    computed yet."""
    if period.state not in policy.SECOND_REVIEW:
        return frozenset()
    try:
        return frozenset(p.pk for p in units_needing_second_review(period))
    except DtiError:
        return frozenset()


@transaction.atomic
def confirm_second_review(participation: Participation, by, note: str = "") -> SecondReview:
    """The second reviewer must not be someone who reviewed the unit's indicators."""
    policy.refuse(policy.second_review_refusal(participation))
    first = set(AuditEntry.objects.filter(participation=participation, stage=Stage.REVIEWED)
                .values_list("by_id", flat=True))
    if by.pk in first:
        raise ValidationError(_("A second review must be made by someone who did not review this unit."))
    review = SecondReview.objects.create(participation=participation, reviewer=by, note=note.strip())
    record(Action.SECOND_REVIEW, participation=participation, new={"note": note.strip()}, by=by)
    return review
