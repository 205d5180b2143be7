"""Review: the only functions that write reviewed inputs, each with its audit entry.

A reviewer accepts an indicator as declared, adjusts its inputs with a mandatory reason, writes questions to the
unit and sends them together as one round (the unit answers each in words while the review goes on), or returns
the declaration for correction with a reason. When every scored indicator has a reviewed entry, the declaration
is reviewed.
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
from dti.assessments.queries.kept import kept
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
def write_question(participation: Participation, indicator: Indicator, question: str, by) -> Clarification:
    """A question on one indicator, kept with the reviewer until the round is sent (``send_questions``)."""
    policy.refuse(policy.review_refusal(participation))
    question = question.strip()
    if not question:
        raise ValidationError(_("Write the question for the unit."))
    clarification = Clarification.objects.create(participation=participation, indicator_code=indicator.code,
                                                 question=question, asked_by=by)
    record(Action.QUESTION_WRITTEN, participation=participation, indicator_code=indicator.code,
           new={"question": question}, by=by)
    return clarification


@transaction.atomic
def discard_question(clarification: Clarification, by) -> None:
    """A question written and not sent, taken back; the log keeps that it was written and discarded."""
    if clarification.sent_at is not None:
        raise ValidationError(_("The question has been sent; it stays with the unit's answer."))
    participation = clarification.participation
    record(Action.QUESTION_DISCARDED, participation=participation, indicator_code=clarification.indicator_code,
           old={"question": clarification.question}, by=by)
    clarification.delete()


@transaction.atomic
def send_questions(participation: Participation, by) -> list[Clarification]:
    """Send every question written on the unit as one round, in one message. The declaration stays with the
    reviewers: the unit answers each question in words, without resubmitting."""
    policy.refuse(policy.review_refusal(participation))
    drafts = list(participation.clarifications.drafts().select_for_update())
    if not drafts:
        raise ValidationError(_("There is no question to send."))
    now = timezone.now()
    for clarification in drafts:
        clarification.sent_at = now
        clarification.save(update_fields=["sent_at"])
        record(Action.CLARIFICATION_ASKED, participation=participation, indicator_code=clarification.indicator_code,
               new={"question": clarification.question}, reason=clarification.question, by=by)
    notifications.questions_sent(participation, drafts)
    return drafts


@transaction.atomic
def answer_question(clarification: Clarification, answer: str, by) -> Clarification:
    """The unit's answer to one question, in words; the reviewer who asked is told."""
    clarification = Clarification.objects.select_for_update().select_related("participation__period").get(
        pk=clarification.pk)
    policy.refuse(policy.answer_refusal(clarification))
    answer = answer.strip()
    if not answer:
        raise ValidationError(_("Write the answer to the reviewer's question."))
    clarification.answer = answer
    clarification.answered_by = by
    clarification.resolved_at = timezone.now()
    clarification.save(update_fields=["answer", "answered_by", "resolved_at"])
    record(Action.CLARIFICATION_ANSWERED, participation=clarification.participation,
           indicator_code=clarification.indicator_code, new={"answer": answer}, reason=clarification.question,
           by=by)
    notifications.question_answered(clarification)
    return clarification


@transaction.atomic
def return_declaration(participation: Participation, reason: str, by) -> Declaration:
    """Give the whole declaration back to the unit for correction; it edits and resubmits, and what it changes
    is reviewed again."""
    policy.refuse(policy.review_refusal(participation))
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Returning a declaration needs a reason."))
    declaration = declarations.declaration_of(participation)
    declarations.move_declaration(declaration, Declaration.State.RETURNED, by, reason=reason)
    notifications.declaration_returned(participation, reason)
    return declaration


def units_needing_second_review(period: Period) -> list[Participation]:
    """Participations near a grade boundary (by the period's margin) that no second reviewer has confirmed.

    Only units reviewed here count: results imported as published pillar points were reviewed elsewhere."""
    from dti.engine.analysis import near_grade_boundary

    results = period_results(period)
    by_name = {p.name: p for p in period.participations.select_related("unit")}
    confirmed = set(SecondReview.objects.filter(participation__period=period).values_list("participation_id",
                                                                                          flat=True))
    reviewed_here = set(IndicatorEntry.objects.filter(participation__period=period, stage=Stage.REVIEWED)
                        .values_list("participation_id", flat=True).distinct())
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
    return kept("second-review", period, _second_review_needed, recent=True)


def _second_review_needed(period: Period) -> frozenset[int]:
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
