"""Periods: created, moved along their states (a snapshot taken at publication), the units taking part, who
reviews which group, and the decision's settings. Each runs in one transaction and leaves nothing half-done."""

from __future__ import annotations

import datetime
import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext as _

from dti import __version__
from dti.assessments import policy
from dti.assessments.actions import notifications
from dti.assessments.audit import Action, record
from dti.assessments.models import (
    AuditEntry,
    FrameworkVersion,
    Participation,
    Period,
    PeriodTransition,
    PublishedSnapshot,
    Unit,
)
from dti.assessments.queries.adapter import period_rows
from dti.assessments.queries.scores import period_results
from dti.documents.score_output import group_json
from dti.engine import DtiError

State = Period.State


@transaction.atomic
def create_period(*, year: int, name: str, framework: FrameworkVersion, by=None, name_en: str = "",
                  **timeline) -> Period:
    period = Period(year=year, name=name, name_en=name_en, framework=framework, **timeline)
    period.full_clean()
    period.save()
    record(Action.PERIOD_CREATED, period=period, by=by,
           new={"period": name, **({"name_en": name_en} if name_en else {}), "year": year,
                "framework": f"{framework.code} v{framework.version}",
                **{key: value.isoformat() if hasattr(value, "isoformat") else str(value)
                   for key, value in timeline.items() if value is not None}})
    return period


@transaction.atomic
def add_participants(period: Period, units: list[Unit], by=None) -> list[Participation]:
    """Every unit joins the period in the group of its usual group code."""
    groups = {g.code: g for g in period.framework.groups.all()}
    created = []
    for position, unit in enumerate(units, start=period.participations.count()):
        group = groups.get(unit.group_code)
        if group is None:
            raise ValidationError(_("Unit “%(unit)s” is in group “%(group)s”, which this framework does not have.")
                                  % {"unit": unit.name, "group": unit.group_code})
        participation, made = Participation.objects.get_or_create(
            period=period, unit=unit, defaults={"group": group, "ranked": unit.ranked, "position": position})
        if made:
            created.append(participation)
    if created:
        record(Action.UNITS_JOINED, period=period, by=by, new={"units": [p.unit.name for p in created]})
    return created


@transaction.atomic
def assign_reviewer(period: Period, reviewer, group, indicator_code: str = "", by=None):
    policy.refuse(policy.locked_refusal(period))
    from dti.assessments.models import ReviewerAssignment

    assignment, made = ReviewerAssignment.objects.get_or_create(period=period, reviewer=reviewer, group=group,
                                                                indicator_code=indicator_code)
    if made:
        record(Action.REVIEWER_ASSIGNED, period=period, by=by,
               new={"reviewer": reviewer.get_full_name() or reviewer.username, "group": group.code,
                    "indicator": indicator_code})
    return assignment


@transaction.atomic
def add_participation(period: Period, unit: Unit, group, ranked: bool, by=None) -> Participation:
    policy.refuse(policy.join_or_leave_refusal(period))
    participation = Participation.objects.create(period=period, unit=unit, group=group, ranked=ranked,
                                                 position=period.participations.count())
    record(Action.UNITS_JOINED, period=period, by=by, new={"units": [unit.name], "group": group.code,
                                                           "ranked": ranked})
    return participation


@transaction.atomic
def remove_participation(participation: Participation, by=None) -> None:
    policy.refuse(policy.join_or_leave_refusal(participation.period))
    if participation.entries.exists() or participation.pillar_results.exists():
        raise ValidationError(_("“%s” already has figures in this period and cannot leave it.")
                              % participation.unit.name)
    # The entry names the unit, not the participation: the log would otherwise keep the row from going.
    record(Action.UNIT_LEFT, period=participation.period, by=by,
           new={"unit": participation.unit.name, "unit_id": participation.unit_id})
    participation.delete()


@transaction.atomic
def advance_period(period: Period, to_state: str, by=None, note: str = "") -> Period:
    """Move the period to ``to_state`` if that is its next state; publishing also takes the snapshot."""
    period = Period.objects.select_for_update().get(pk=period.pk)
    policy.refuse(policy.period_move_refusal(period, to_state))
    if to_state in (State.FINALIZED, State.PUBLISHED) and not period.participations.exists():
        raise ValidationError(_("The period has no units: there are no results to finalize or publish."))
    if to_state == State.FINALIZED:
        from dti.assessments.actions.reviews import units_needing_second_review
        from dti.assessments.queries.progress import stale_reviews

        stale = stale_reviews(period)
        if stale:
            names = {p.pk: p.name for p in period.participations.filter(pk__in=stale).select_related("unit")}
            raise ValidationError(_("These indicators changed after they were reviewed and need reviewing again: "
                                    "%s.") % "; ".join(f"{names[p]} ({', '.join(sorted(codes))})"
                                                       for p, codes in sorted(stale.items())))

        open_appeals = period.participations.filter(appeals__state="open").distinct()
        if open_appeals.exists():
            raise ValidationError(_("Appeals are still open for: %s.")
                                  % ", ".join(p.name for p in open_appeals.select_related("unit")))
        try:
            waiting = units_needing_second_review(period)
        except DtiError as exc:
            raise ValidationError(_("The results cannot be computed yet: %s") % exc) from None
        if waiting:
            raise ValidationError(_("These units are within %(margin)s points of a grade boundary and need a second "
                                    "reviewer before the period can be finalized: %(units)s.")
                                  % {"margin": period.second_review_margin,
                                     "units": ", ".join(p.name for p in waiting)})
    if to_state == State.PUBLISHED:
        _take_snapshot(period, by)
        transaction.on_commit(lambda: _ask_to_prepare_publication(period.pk))
    PeriodTransition.objects.create(period=period, from_state=period.state, to_state=to_state, by=by, note=note)
    record(Action.PERIOD_ADVANCED, period=period, by=by, old={"state": period.state}, new={"state": to_state},
           reason=note)
    period.state = to_state
    period.save(update_fields=["state"])
    notifications.period_moved(period, to_state)
    return period


def _ask_to_prepare_publication(period_id: int) -> None:
    """The worker computes what the public pages read; a queue that cannot be reached fails nothing published
    (the first visitor then computes it)."""
    from dti.assessments.tasks import prepare_publication

    try:
        prepare_publication.enqueue(period_id)
    except Exception:  # the publication is committed; this only saves its first visitor time
        logging.getLogger(__name__).exception("could not ask the worker to prepare period %s", period_id)


def _take_snapshot(period: Period, by) -> PublishedSnapshot:
    from dti.assessments.queries.verification import snapshot_digest

    results = [group_json(g) for g in period_results(period).groups]
    inputs = period_rows(period)
    period.participations.update(published_name=Subquery(
        Unit.objects.filter(pk=OuterRef("unit_id")).values("name")[:1]))
    return PublishedSnapshot.objects.create(period=period, framework_text=period.framework.text, inputs=inputs,
                                            results=results, sha256=snapshot_digest(period.framework.text, inputs,
                                                                                    results),
                                            engine_version=__version__, created_by=by)


def _iso(value) -> str | None:
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value or None


@transaction.atomic
def change_timeline(period: Period, dates: dict, by=None, reason: str = "") -> list[str]:
    """Change the period's dates and its comparison method (those ``dates`` names, of Period.CHANGEABLE); the
    names of those that changed.

    The dates must run in order. Units whose declaration is still open hear of a new declaration deadline, and
    every unit of a new appeal window while appeals are heard."""
    period = Period.objects.select_for_update().get(pk=period.pk)
    policy.refuse(policy.timeline_refusal(period))
    changed = {name: dates[name] for name in Period.CHANGEABLE
               if name in dates and getattr(period, name) != dates[name]}
    if not changed:
        return []
    old = {name: _iso(getattr(period, name)) for name in changed}
    for name, day in changed.items():
        setattr(period, name, day)
    period.clean()
    period.save(update_fields=list(changed))
    record(Action.TIMELINE_CHANGED, period=period, by=by, old=old,
           new={name: _iso(day) for name, day in changed.items()}, reason=reason.strip())
    if "declaration_closes" in changed and period.state in (State.DRAFT, State.DECLARING):
        notifications.declaration_deadline_moved(period)
    if {"appeal_opens", "appeal_closes"} & set(changed) and period.state == State.APPEALS:
        notifications.appeal_window_moved(period)
    return list(changed)


@transaction.atomic
def remind_units(period: Period, participations, by=None) -> list[str]:
    """Remind, by e-mail, the units among ``participations`` whose declaration is not sent; their names."""
    policy.refuse(policy.reminder_refusal(period))
    ids = {p.pk for p in participations}
    waiting = [p for p in notifications.still_declaring(period) if p.pk in ids]
    if not waiting:
        raise ValidationError(_("Every unit chosen has sent its declaration: there is no one to remind."))
    notifications.remind(period, waiting)
    names = sorted(p.name for p in waiting)
    record(Action.UNITS_REMINDED, period=period, by=by, new={"units": names})
    return names


@transaction.atomic
def save_decision_settings(period: Period, mapping: dict, by=None) -> None:
    """The settings of the period's decision documents (number, signer, legal bases …), already checked."""
    if period.state == State.PUBLISHED:
        raise ValidationError(_("The period is published: its decision documents no longer change."))
    old = period.decision_settings or None
    period.decision_settings = mapping
    period.save(update_fields=["decision_settings"])
    record(Action.DECISION_SETTINGS_CHANGED, period=period, by=by, old=old, new=mapping)


def work_entered_here(period: Period) -> bool:
    """True when units or reviewers have changed anything of the period in the application (every such change
    has its audit entry); only a period holding nothing but imported results may take another results file."""
    return AuditEntry.objects.filter(period=period, participation__isnull=False).exclude(
        action=Action.RESULTS_IMPORTED).exists()
