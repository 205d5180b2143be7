"""What each state allows, and when: the one place that decides it (``scope`` decides who).

A period moves forward one state at a time; a declaration moves as the table below says. The writers refuse what
these functions refuse, and the screens ask the same functions what to offer, so no button offers a refused
action. Each refusal is a sentence for the person who asked.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from dti.assessments.models import Declaration, Participation, Period

PeriodState = Period.State
DeclarationState = Declaration.State

# The only moves a period's state can make.
NEXT_PERIOD_STATE = {
    PeriodState.DRAFT: PeriodState.DECLARING,
    PeriodState.DECLARING: PeriodState.REVIEWING,
    PeriodState.REVIEWING: PeriodState.APPEALS,
    PeriodState.APPEALS: PeriodState.FINALIZED,
    PeriodState.FINALIZED: PeriodState.PUBLISHED,
}
# The states of a period whose year's work is under way: declaring, reviewing, appeals.
AT_WORK = (PeriodState.DECLARING, PeriodState.REVIEWING, PeriodState.APPEALS)
# Units join or leave a period while it is prepared and while units declare.
UNITS_JOIN_OR_LEAVE = (PeriodState.DRAFT, PeriodState.DECLARING)
# A finalized period is locked: nothing about it changes any more, whoever asks; its documents are final.
LOCKED = (PeriodState.FINALIZED, PeriodState.PUBLISHED)
# Reviewers work while units declare (a submitted declaration may be reviewed at once) and in the review stage.
# Reviewed values change after that only through an upheld appeal.
REVIEWING = (PeriodState.DECLARING, PeriodState.REVIEWING)

# Second reviewers confirm units near a grade boundary once the first review is done, until finalizing.
SECOND_REVIEW = (PeriodState.REVIEWING, PeriodState.APPEALS)

# The moves a declaration's state can make, each with what makes it.
DECLARATION_MOVES = {
    DeclarationState.NOT_STARTED: {DeclarationState.DRAFT,  # the first value saved
                                   DeclarationState.SUBMITTED},  # an empty framework's declaration, sent
    DeclarationState.DRAFT: {DeclarationState.SUBMITTED},  # sent by the unit
    DeclarationState.SUBMITTED: {DeclarationState.RETURNED},  # returned for correction, or reopened
    DeclarationState.RETURNED: {DeclarationState.SUBMITTED},  # corrected and sent again
}
# The declaration states in which the unit edits its values (the period and the dates permitting).
UNIT_EDITS = (DeclarationState.NOT_STARTED, DeclarationState.DRAFT, DeclarationState.RETURNED)
# The declaration states in which reviewers work on it.
REVIEWABLE = (DeclarationState.SUBMITTED,)


def next_period_states(period: Period) -> list[str]:
    """The states the period may move to now (at most one)."""
    following = NEXT_PERIOD_STATE.get(period.state)
    return [following] if following else []


def period_move_refusal(period: Period, to_state: str) -> str | None:
    if to_state in next_period_states(period):
        return publication_refusal(period) if to_state == PeriodState.PUBLISHED else None
    return (_("A period in state “%(current)s” cannot move to “%(target)s”. %(allowed)s")
            % {"current": PeriodState(period.state).label,
               "target": PeriodState(to_state).label if to_state in PeriodState.values else to_state,
               "allowed": (_("Its next state is “%s”.") % PeriodState(NEXT_PERIOD_STATE[period.state]).label)
               if period.state in NEXT_PERIOD_STATE else _("It is already published.")})


def publication_refusal(period: Period) -> str | None:
    """Results are published with the decision that approves them: the decision must have its number and its
    signing date, so that the portal never serves a draft (DỰ THẢO) for published results."""
    settings = period.decision_settings or {}
    missing = [label for key, label in (("number", _("its number")), ("signed_on", _("its signing date")))
               if not str(settings.get(key) or "").strip()]
    if missing:
        return (_("The results decision has no %(missing)s yet: enter them under “%(page)s” before publishing.")
                % {"missing": _(" and ").join(missing), "page": _("Decision and documents")})
    return None


def _day(day) -> str:
    """A date as Vietnamese letters write it."""
    return day.strftime("%d/%m/%Y")


def timeline_warnings(period: Period, to_state: str, today=None) -> list[str]:
    """Where moving the period to ``to_state`` today disagrees with its dates: what the move would do that the
    dates do not say. The move stays allowed (a province may decide so); the confirmation shows these first."""
    today = today or timezone.localdate()
    warnings = []
    if to_state == PeriodState.DECLARING:
        if period.declaration_opens and today < period.declaration_opens:
            warnings.append(_("The declaration is due to open on %s: units may declare from today.")
                            % _day(period.declaration_opens))
        if period.declaration_closes and today > period.declaration_closes:
            warnings.append(_("The declaration deadline, %s, has passed: no unit could declare. Extend it first.")
                            % _day(period.declaration_closes))
    if to_state == PeriodState.REVIEWING and period.declaration_closes and today <= period.declaration_closes:
        warnings.append(_("The declaration is open until %s: units that have not submitted can no longer "
                          "declare.") % _day(period.declaration_closes))
    if to_state == PeriodState.APPEALS:
        if period.appeal_opens and today < period.appeal_opens:
            warnings.append(_("The appeal window opens on %s: until then no unit can appeal.")
                            % _day(period.appeal_opens))
        if period.appeal_closes and today > period.appeal_closes:
            warnings.append(_("The appeal window closed on %s: no unit could appeal. Move it first.")
                            % _day(period.appeal_closes))
        if not period.appeal_opens and not period.appeal_closes:
            warnings.append(_("The period has no appeal window: units can appeal until it is finalized."))
    if to_state == PeriodState.FINALIZED and period.appeal_closes and today <= period.appeal_closes:
        warnings.append(_("The appeal window is open until %s: finalizing now closes it early.")
                        % _day(period.appeal_closes))
    return warnings


def locked_refusal(period: Period) -> str | None:
    if period.state in LOCKED:
        return _("The period is “%s”: nothing in it can change.") % PeriodState(period.state).label
    return None


def timeline_refusal(period: Period) -> str | None:
    """The dates change until the period is finalized: a deadline extended, an appeal window moved."""
    return locked_refusal(period)


def reminder_refusal(period: Period) -> str | None:
    if period.state != PeriodState.DECLARING:
        return _("Units are reminded only while the period is open for declaration.")
    return None


def join_or_leave_refusal(period: Period) -> str | None:
    if period.state not in UNITS_JOIN_OR_LEAVE:
        return _("Units can join or leave a period only while it is a draft or open for declaration.")
    return None


def declaration_state(participation: Participation) -> str:
    """The state of the participation's declaration, read without creating it."""
    state = Declaration.objects.filter(participation=participation).values_list("state", flat=True).first()
    return state or DeclarationState.NOT_STARTED


def check_declaration_move(declaration: Declaration, to_state: str) -> None:
    """Refuse a move the table does not allow: a programming error, never a user's."""
    if to_state not in DECLARATION_MOVES.get(declaration.state, set()):
        raise ValueError(f"a declaration cannot move from {declaration.state} to {to_state}")


_UNREAD = object()


def edit_refusal(participation: Participation, today=None, *, declaration=_UNREAD) -> str | None:
    """Why the unit cannot change its declaration now, or None when it can. ``declaration``: the unit's declaration
    (None when it has none) where the caller has just read it; read here otherwise."""
    period = participation.period
    if declaration is _UNREAD:
        declaration = Declaration.objects.filter(participation=participation).first()
    state = declaration.state if declaration else DeclarationState.NOT_STARTED
    if state == DeclarationState.RETURNED and period.state in REVIEWING:
        return None  # returned for correction by a reviewer: corrected whenever it comes, after the deadline too
    if period.state != PeriodState.DECLARING:
        return _("The period is not open for declaration (it is “%s”).") % period.get_state_display()
    if state not in UNIT_EDITS:
        sent = declaration.submitted_at
        when = timezone.localtime(sent).strftime("%d/%m/%Y %H:%M") if sent else "?"
        return _("The declaration was submitted on %s; it can change only if it is returned.") % when
    today = today or timezone.localdate()
    reopened = declaration and declaration.reopened_until and today <= declaration.reopened_until
    if period.declaration_closes and today > period.declaration_closes and not reopened:
        return _("The declaration closed on %s.") % _day(period.declaration_closes)
    return None


def review_refusal(participation: Participation) -> str | None:
    """Why reviewers cannot work on the declaration now, or None when they can."""
    if participation.period.state not in REVIEWING:
        return _("The period is not under review (it is “%s”).") % participation.period.get_state_display()
    if declaration_state(participation) not in REVIEWABLE:
        return _("The declaration has not been submitted.")
    return None


def answer_refusal(clarification) -> str | None:
    """Why the unit cannot answer a reviewer's question now, or None when it can: a question sent and not yet
    answered is answered while the reviewers can still act on the answer."""
    if clarification.sent_at is None:
        return _("The question has not been sent to the unit.")
    if clarification.resolved_at:
        return _("The question was answered on %s.") % _day(timezone.localdate(clarification.resolved_at))
    period = clarification.participation.period
    if period.state not in REVIEWING:
        return _("The period is not under review (it is “%s”).") % period.get_state_display()
    return None


def appeal_refusal(participation: Participation, today=None) -> str | None:
    """Why the unit cannot appeal now, or None when it can."""
    period = participation.period
    if period.state != PeriodState.APPEALS:
        return _("Appeals are heard only in the appeal window (the period is “%s”).") % period.get_state_display()
    today = today or timezone.localdate()
    if period.appeal_opens and today < period.appeal_opens:
        return _("The appeal window opens on %s.") % _day(period.appeal_opens)
    if period.appeal_closes and today > period.appeal_closes:
        return _("The appeal window closed on %s.") % _day(period.appeal_closes)
    return None


def appeal_decision_refusal(participation: Participation) -> str | None:
    """Why an appeal cannot be decided now: appeals filed in the window are decided until the period is
    finalized, the window's closing day notwithstanding."""
    period = participation.period
    if period.state != PeriodState.APPEALS:
        return _("Appeals are heard only in the appeal window (the period is “%s”).") % period.get_state_display()
    return None


def second_review_refusal(participation: Participation) -> str | None:
    if participation.period.state not in SECOND_REVIEW:
        return _("Second reviews happen while the period is under review or in appeals.")
    return None


def refuse(refusal: str | None) -> None:
    """Raise a refusal, if there is one, as the writers do."""
    if refusal:
        raise ValidationError(refusal)
