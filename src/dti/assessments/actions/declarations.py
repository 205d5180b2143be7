"""Self-declaration: the only functions that change a unit's declared inputs, each with its audit entry.

A declaration moves not started → draft → submitted, and back to returned when a reviewer sends it back.
Edits are allowed while the period is open for declaration, the declaration is not submitted, and the
declaration deadline has not passed. Two people saving the same indicator: the second save is refused with the
other person's change (optimistic locking on IndicatorEntry.version); nothing is overwritten silently.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import numpy as np
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dti.assessments import policy
from dti.assessments.actions import notifications
from dti.assessments.audit import Action, record
from dti.assessments.models import Declaration, IndicatorEntry, Participation, Period, Stage
from dti.engine import DtiError, Indicator
from dti.engine.inputs import UnitEntry, check_column
from dti.engine.scoring import Preview, points_together, preview_indicator


class EditConflict(Exception):
    """Someone else saved this indicator since the form was opened."""

    def __init__(self, entry: IndicatorEntry):
        self.entry = entry
        who = entry.updated_by.get_full_name() or entry.updated_by.username if entry.updated_by else "?"
        super().__init__(_("%(who)s saved this indicator at %(when)s while you were editing it: %(inputs)s. "
                           "Your change was not saved; review theirs and save again.")
                         % {"who": who, "when": timezone.localtime(entry.updated_at).strftime("%H:%M:%S %d/%m/%Y"),
                            "inputs": _describe_inputs(entry.inputs, entry.not_applicable)})


def _describe_inputs(inputs: dict, not_applicable: bool) -> str:
    if not_applicable:
        return _("not applicable")
    return ", ".join(f"{name} = {value}" for name, value in inputs.items()) or _("(empty)")


def declaration_of(participation: Participation) -> Declaration:
    declaration, _created = Declaration.objects.get_or_create(participation=participation)
    return declaration


def preview(indicator: Indicator, inputs: dict, not_applicable: bool, participation: Participation,
            stage: str = Stage.DECLARED) -> tuple[Preview | None, str]:
    """Points for the values being typed at ``stage``, or None and the reason they cannot be scored yet. Where
    the rule compares units (relative to best), the points are scored with the group's other entries."""
    result, problem, _incomplete = _read(indicator, inputs, not_applicable, participation, stage)
    return result, problem


def group_inputs(participation: Participation, indicator: Indicator, stage: str) -> dict[int, dict]:
    """Participation id → the inputs its unit holds for ``indicator`` at ``stage``, for every unit of
    ``participation``'s group that did not declare the indicator not applicable. At the reviewed stage a unit not
    yet reviewed counts with its declared inputs, which accepting them keeps."""
    stages = [Stage.DECLARED] if stage == Stage.DECLARED else [Stage.DECLARED, Stage.REVIEWED]
    rows = (IndicatorEntry.objects
            .filter(participation__period_id=participation.period_id, participation__group_id=participation.group_id,
                    indicator_code=indicator.code, stage__in=stages)
            .values_list("participation_id", "stage", "inputs", "not_applicable"))
    held: dict[int, dict | None] = {}
    for participation_id, _stage, inputs, not_applicable in sorted(rows, key=lambda r: r[1] != stage):
        held.setdefault(participation_id, None if not_applicable else inputs)  # the entry of ``stage`` first
    return {participation_id: inputs for participation_id, inputs in held.items() if inputs is not None}


def refresh_group_points(participation: Participation, indicator: Indicator, stage: str) -> None:
    """Where the rule compares units (relative to best), one unit's new value moves every other unit's points:
    the stored points of the group's entries for ``indicator`` at ``stage`` are scored again, together."""
    if not indicator.rule.depends_on_group:
        return
    held = group_inputs(participation, indicator, stage)
    ids = list(held)
    points = dict(zip(ids, points_together(indicator, [held[i] for i in ids]), strict=True))
    entries = list(IndicatorEntry.objects.select_for_update().filter(
        participation__period_id=participation.period_id, participation__group_id=participation.group_id,
        indicator_code=indicator.code, stage=stage, not_applicable=False, points_given=False))
    for entry in entries:
        entry.points = points.get(entry.participation_id)
    IndicatorEntry.objects.bulk_update(entries, ["points"])


def _read(indicator: Indicator, inputs: dict, not_applicable: bool, participation: Participation, stage: str
          ) -> tuple[Preview | None, str, bool]:
    """The preview, why there is none, and whether that is only because values are still missing (a draft may
    lack values; every value it holds was read by the number reader)."""
    unit_name = participation.unit.name
    specs = indicator.rule.inputs(indicator.max_points)
    given = [s for s in specs if str(inputs.get(s.name, "")).strip()]
    if not not_applicable and len(given) < len(specs):
        unit = [UnitEntry(unit_name)]
        try:
            for spec in given:
                check_column([inputs[spec.name]], spec, np.ones(1, dtype=bool), unit, indicator.code)
        except DtiError as exc:
            return None, str(exc), False
        return None, _("Enter every value to see the points."), True
    others: list[dict] = []
    if indicator.rule.depends_on_group and not not_applicable:
        held = group_inputs(participation, indicator, stage)
        others = [inputs for participation_id, inputs in held.items() if participation_id != participation.pk]
    try:
        return preview_indicator(indicator, inputs, not_applicable, unit_name, others), "", False
    except DtiError as exc:
        return None, str(exc), False


def _declaration_open_for_edit(participation: Participation) -> Declaration | None:
    """The unit's declaration (None before its first save), read inside the saving transaction; refused where the
    unit cannot change it now."""
    declaration = Declaration.objects.filter(participation=participation).first()
    policy.refuse(policy.edit_refusal(participation, declaration=declaration))
    return declaration


def _held_entries(participation: Participation, codes: list[str]) -> dict[str, IndicatorEntry]:
    """The declared entries of ``codes`` as stored, locked until the transaction ends: one query for a page."""
    held = IndicatorEntry.objects.select_for_update(of=("self",)).select_related("updated_by")  # not the person
    return {e.indicator_code: e for e in held.filter(participation=participation, stage=Stage.DECLARED,
                                                     indicator_code__in=codes)}


def _write_declared(participation: Participation, indicator: Indicator, entry: IndicatorEntry | None, *,
                    inputs: dict[str, str], not_applicable: bool, comment: str, expected_version: int | None,
                    by) -> tuple[IndicatorEntry, bool]:
    """Write one indicator's values (``entry``: as held, or None when never saved) with its audit entry; the entry
    and whether it changed. Refused before anything is written when a value is malformed or someone else saved
    since ``expected_version``."""
    specs = indicator.rule.inputs(indicator.max_points)
    inputs = {s.name: str(inputs.get(s.name, "")).strip() for s in specs}
    inputs = {name: value for name, value in inputs.items() if value}
    comment = comment.strip()
    if not_applicable and not comment:
        raise ValidationError(_("Say why the indicator does not apply."))
    result, problem, incomplete = _read(indicator, inputs, not_applicable, participation, Stage.DECLARED)
    if result is None and not incomplete:
        raise ValidationError(problem)
    created = False
    if entry is None:  # the first save; two at once make one entry, the second then checks its version
        entry, created = IndicatorEntry.objects.select_for_update().get_or_create(
            participation=participation, indicator_code=indicator.code, stage=Stage.DECLARED,
            defaults={"inputs": {}, "version": 0})
    if expected_version is not None and not created and entry.version != expected_version:
        raise EditConflict(entry)
    old = {"inputs": entry.inputs, "not_applicable": entry.not_applicable, "comment": entry.comment}
    new = {"inputs": inputs, "not_applicable": not_applicable, "comment": comment if not_applicable else ""}
    if old == new and not created:
        return entry, False
    entry.inputs, entry.not_applicable, entry.comment = new["inputs"], new["not_applicable"], new["comment"]
    entry.points = result.points if result else None
    entry.version += 1
    entry.updated_by = by
    entry.save()
    refresh_group_points(participation, indicator, Stage.DECLARED)
    record(Action.DECLARATION_INPUTS_CHANGED, participation=participation, indicator_code=indicator.code,
           stage=Stage.DECLARED, old=None if created else old, new=new, by=by)
    return entry, True


def _started(participation: Participation, declaration: Declaration | None, by) -> None:
    """A unit's first saved value starts its declaration (a draft)."""
    if declaration is None:
        declaration = declaration_of(participation)
    if declaration.state == Declaration.State.NOT_STARTED:
        move_declaration(declaration, Declaration.State.DRAFT, by)


@transaction.atomic
def save_declared_indicator(participation: Participation, indicator: Indicator, *, inputs: dict[str, str],
                            not_applicable: bool, comment: str, expected_version: int | None, by) -> IndicatorEntry:
    """Save one indicator of a draft; missing values are allowed, malformed ones are refused."""
    declaration = _declaration_open_for_edit(participation)
    entry, changed = _write_declared(participation, indicator, _held_entries(participation, [indicator.code])
                                     .get(indicator.code), inputs=inputs, not_applicable=not_applicable,
                                     comment=comment, expected_version=expected_version, by=by)
    if changed:
        _started(participation, declaration, by)
    return entry


@dataclass(frozen=True)
class DeclaredChange:
    """One indicator's values as a pillar page posts them."""

    indicator: Indicator
    inputs: dict[str, str]
    not_applicable: bool
    comment: str
    expected_version: int | None


class IndicatorsRefused(Exception):
    """Some indicators of a page could not be saved (indicator code → why); none of the page was."""

    def __init__(self, problems: dict[str, str]):
        self.problems = problems
        super().__init__("; ".join(f"{code}: {text}" for code, text in problems.items()))


@transaction.atomic
def save_declared_indicators(participation: Participation, changes: list[DeclaredChange], by) -> list[str]:
    """Save every indicator of a page that changed, all or none; the codes saved. An indicator never saved and
    still empty is left alone."""
    declaration = _declaration_open_for_edit(participation)
    held = _held_entries(participation, [change.indicator.code for change in changes])
    saved, problems = [], {}
    for change in changes:
        entry = held.get(change.indicator.code)
        typed = any(str(v).strip() for v in change.inputs.values()) or change.not_applicable
        if entry is None and not typed:
            continue
        try:
            _written, changed = _write_declared(
                participation, change.indicator, entry, inputs=change.inputs, not_applicable=change.not_applicable,
                comment=change.comment, expected_version=change.expected_version, by=by)
        except (ValidationError, EditConflict) as exc:  # nothing of this indicator was written
            problems[change.indicator.code] = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            continue
        if changed:
            saved.append(change.indicator.code)
    if problems:
        raise IndicatorsRefused(problems)  # leaving the transaction by an exception undoes what was saved
    if saved:
        _started(participation, declaration, by)
    return saved


def move_declaration(declaration: Declaration, state: str, by, reason: str = "") -> None:
    policy.check_declaration_move(declaration, state)
    participation = declaration.participation
    record(Action.DECLARATION_STATE_CHANGED, participation=participation, old={"state": declaration.state},
           new={"state": state}, reason=reason, by=by)
    declaration.state = state
    declaration.save(update_fields=["state", "submitted_at", "submitted_by"])


@dataclass(frozen=True)
class MissingItem:
    indicator: Indicator
    reason: str


def missing_items(participation: Participation) -> list[MissingItem]:
    """Every scored indicator that is not yet filled and valid, with why."""
    group = participation.framework_group
    entries = {e.indicator_code: e for e in participation.entries.filter(stage=Stage.DECLARED)}
    missing = []
    for _pillar, indicator in group.indicators():
        if indicator.children:
            continue
        entry = entries.get(indicator.code)
        if entry is None:
            missing.append(MissingItem(indicator, _("not filled in")))
            continue
        if entry.not_applicable and not entry.comment:
            missing.append(MissingItem(indicator, _("not applicable without a reason")))
            continue
        result, problem = preview(indicator, entry.inputs, entry.not_applicable, participation)
        if result is None:
            missing.append(MissingItem(indicator, problem))
    return missing


@transaction.atomic
def submit_declaration(participation: Participation, by) -> Declaration:
    policy.refuse(policy.edit_refusal(participation))
    missing = missing_items(participation)
    if missing:
        raise ValidationError([_("%(code)s %(name)s: %(reason)s") % {"code": m.indicator.code,
                                                                     "name": m.indicator.name, "reason": m.reason}
                               for m in missing])
    declaration = declaration_of(participation)
    declaration.submitted_at = timezone.now()
    declaration.submitted_by = by
    move_declaration(declaration, Declaration.State.SUBMITTED, by)
    return declaration


@transaction.atomic
def reopen(participation: Participation, *, until, reason: str, by) -> Declaration:
    """Let a unit edit again after the deadline, until ``until``; the reason is recorded."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Reopening a declaration needs a reason."))
    if participation.period.state != Period.State.DECLARING:
        raise ValidationError(_("The period is not open for declaration (it is “%s”).")
                              % participation.period.get_state_display())
    if until < timezone.localdate():
        raise ValidationError(_("The new deadline must not be in the past."))
    declaration = declaration_of(participation)
    declaration.reopened_until = until
    declaration.save(update_fields=["reopened_until"])
    record(Action.DECLARATION_REOPENED, participation=participation, new={"until": until.isoformat()},
           reason=reason, by=by)
    if declaration.state == Declaration.State.SUBMITTED:
        # What the unit changes now is reviewed again (progress.stale_reviews).
        move_declaration(declaration, Declaration.State.RETURNED, by, reason=reason)
        notifications.declaration_returned(participation, reason)
    return declaration


def entered_points(participation: Participation, stage: str) -> dict[str, Decimal]:
    """Points per pillar from the entries saved so far (bonus added, penalty subtracted).

    A progress figure while a declaration or a review is incomplete; the results themselves come from the engine.
    """
    group = participation.framework_group
    entries = {e.indicator_code: e.points for e in participation.entries.filter(stage=stage)}
    return {pillar.code: sum(((entries[i.code] or Decimal(0)) * i.rule.sign for i in pillar.leaves()
                              if i.code in entries), Decimal(0))
            for pillar in group.pillars}
