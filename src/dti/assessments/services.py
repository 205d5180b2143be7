"""The only functions that write assessment data. Each runs in one transaction and leaves nothing half-done."""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from dti import __version__
from dti.documents.frameworks import parse_framework
from dti.documents.results import ResultsFile, load_results
from dti.documents.score_output import group_json
from dti.engine import DtiError, score_framework
from dti.engine.inputs import parse_boolean
from dti.engine.names import name_key
from dti.engine.points import from_micro

from . import notifications, policy
from .adapter import period_rows
from .audit import Action, record
from .models import (
    AuditEntry,
    FrameworkGroup,
    FrameworkVersion,
    IndicatorEntry,
    Participation,
    Period,
    PeriodTransition,
    PillarResult,
    PublishedSnapshot,
    Unit,
    UnitRename,
)
from .scores import period_results

State = Period.State


def framework_text_of_file(path: Path) -> str:
    """A framework file's text: YAML as it is, an annex workbook (XLSX) turned into YAML after every check."""
    from dti.documents.annex import annex_to_yaml

    if path.suffix.lower() == ".xlsx":
        return annex_to_yaml(path)
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        from dti.engine import FrameworkError

        raise FrameworkError(path.name, "", "tệp không phải văn bản UTF-8") from None


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@transaction.atomic
def import_framework(text: str, source_name: str, by=None) -> tuple[FrameworkVersion, bool]:
    """The framework version for this file, and whether it is new. The same text twice is one version;
    a changed file under a known code becomes the next version (a version in use never changes)."""
    framework = parse_framework(text, source_name)  # refuses a bad file before anything is written
    digest = sha256_text(text)
    existing = FrameworkVersion.objects.filter(code=framework.code).order_by("-version")
    same = existing.filter(sha256=digest).first()
    if same:
        return same, False
    latest = existing.first()
    version = FrameworkVersion.objects.create(
        code=framework.code, version=(latest.version + 1) if latest else 1, name=framework.name,
        source=framework.source, year=framework.year, text=text, sha256=digest, imported_by=by)
    for position, group in enumerate(framework.groups):
        FrameworkGroup.objects.create(framework=version, code=group.code, name=group.name, position=position)
    record(Action.FRAMEWORK_IMPORTED, by=by, new={"framework": f"{version.code} v{version.version}",
                                                   "sha256": digest, "file": source_name})
    return version, True


@transaction.atomic
def create_period(*, year: int, name: str, framework: FrameworkVersion, by=None, **timeline) -> Period:
    period = Period(year=year, name=name, framework=framework, **timeline)
    period.full_clean()
    period.save()
    record(Action.PERIOD_CREATED, period=period, by=by,
           new={"period": name, "year": year, "framework": f"{framework.code} v{framework.version}",
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
    from dti.accounts.models import ReviewerAssignment

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
        from .progress import stale_reviews
        from .reviews import units_needing_second_review

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
    PeriodTransition.objects.create(period=period, from_state=period.state, to_state=to_state, by=by, note=note)
    record(Action.PERIOD_ADVANCED, period=period, by=by, old={"state": period.state}, new={"state": to_state},
           reason=note)
    period.state = to_state
    period.save(update_fields=["state"])
    notifications.period_moved(period, to_state)
    return period


def _take_snapshot(period: Period, by) -> PublishedSnapshot:
    from .verification import snapshot_digest

    results = [group_json(g) for g in period_results(period).groups]
    inputs = period_rows(period)
    period.participations.update(published_name=Subquery(
        Unit.objects.filter(pk=OuterRef("unit_id")).values("name")[:1]))
    return PublishedSnapshot.objects.create(period=period, framework_text=period.framework.text, inputs=inputs,
                                            results=results, sha256=snapshot_digest(period.framework.text, inputs,
                                                                                    results),
                                            engine_version=__version__, created_by=by)


@transaction.atomic
def save_unit(form, by=None) -> Unit:
    """Save a unit's form. A new name is recorded as a rename: the unit stays the same unit (its id, its
    participations, its history), and the periods already published keep the name they published."""
    before = Unit.objects.filter(pk=form.instance.pk).values().first()
    unit = form.save()
    fields = {name: getattr(unit, name) for name in form.fields}
    if before is None:
        record(Action.UNIT_CREATED, by=by, new={"unit": unit.name, "unit_id": unit.pk, **fields})
        return unit
    changed = {name: value for name, value in fields.items() if before[name] != value}
    if "name" in changed:
        UnitRename.objects.create(unit=unit, old_name=before["name"], new_name=unit.name,
                                  year=timezone.localdate().year, by=by)
        record(Action.UNIT_RENAMED, by=by, old={"name": before["name"]}, new={"name": unit.name, "unit_id": unit.pk})
    if set(changed) - {"name"}:
        record(Action.UNIT_CHANGED, by=by, old={name: before[name] for name in changed if name != "name"},
               new={"unit": unit.name, "unit_id": unit.pk,
                    **{name: value for name, value in changed.items() if name != "name"}})
    return unit


@transaction.atomic
def record_lineage(form, by=None):
    """Save a lineage form: the unit continues another (merged from several, split from one, renamed)."""
    link = form.save()
    record(Action.LINEAGE_RECORDED, by=by, new={"unit": link.unit.name, "unit_id": link.unit_id,
                                                "predecessor": link.predecessor.name, "kind": link.kind,
                                                "year": link.year})
    return link


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


@transaction.atomic
def import_results(period: Period, path: str | Path, by=None) -> ResultsFile:
    """Load a results file (pillar or indicator level) into ``period``: units are created when new, the
    period's inputs for those units are replaced. The file is scored first, so a file the engine refuses
    writes nothing. A period where declarations or reviews were entered is refused: a file never replaces
    live work. The import is recorded in the audit log with the file's SHA-256 and what it replaced."""
    policy.refuse(policy.locked_refusal(period))
    if work_entered_here(period):
        raise ValidationError(_("This period already holds declarations or reviews entered here; a results file "
                                "would replace them. Import it into a period of its own."))
    framework = period.framework.parsed
    path = Path(path)
    results = load_results(path, framework)
    score_framework(framework, results.groups)  # every value checked before any row is written
    replaced = {"entries": IndicatorEntry.objects.filter(participation__period=period).count(),
                "pillar_results": PillarResult.objects.filter(participation__period=period).count()}
    groups = {g.code: g for g in period.framework.groups.all()}
    for code, data in results.groups.items():
        for position, entry in enumerate(data.units):
            # The unit this name means, however it was written (NFD, invisible characters, case, spaces).
            unit = Unit.objects.filter(key=name_key(entry.name)).first() or Unit.objects.create(
                name=entry.name, group_code=code, ranked=entry.ranked)
            participation, _made = Participation.objects.update_or_create(
                period=period, unit=unit,
                defaults={"group": groups[code], "ranked": entry.ranked, "position": position})
            participation.pillar_results.all().delete()
            participation.entries.all().delete()
            for stage_name, stage in (("declared", data.declared), ("reviewed", data.reviewed)):
                for pillar_code, points in stage.pillar_points.items():
                    if points[position] is not None:
                        PillarResult.objects.create(participation=participation, pillar_code=pillar_code,
                                                    stage=stage_name, points=points[position])
                for indicator_code, inputs in stage.values.items():
                    values = {name: column[position] for name, column in inputs.items()
                              if column[position] is not None}
                    flags = stage.not_applicable.get(indicator_code)
                    na = bool(flags and parse_boolean(flags[position]))
                    if values or na:
                        IndicatorEntry.objects.create(participation=participation, indicator_code=indicator_code,
                                                      stage=stage_name, inputs=values, not_applicable=na,
                                                      updated_by=by)
                if stage.totals is not None:
                    setattr(participation, f"{stage_name}_total_given", stage.totals[position])
            participation.total_tolerance = max(data.declared.total_tolerance, data.reviewed.total_tolerance)
            participation.save()
    store_points(period)
    record(Action.RESULTS_IMPORTED, period=period, old=replaced, by=by, new={
        "file": path.name, "sha256": hashlib.sha256(path.read_bytes()).hexdigest(), "layout": results.layout,
        "units": sum(len(g.units) for g in results.groups.values())})
    return results


def store_points(period: Period) -> None:
    """Write the engine's points onto the period's indicator entries, so they can be read without scoring."""
    entries = list(IndicatorEntry.objects.filter(participation__period=period).select_related("participation"))
    if not entries:
        return
    results = period_results(period)
    position = {}
    for group_result in results.groups:
        for i, unit in enumerate(group_result.units):
            position[unit.name] = (group_result, i)
    names = {p.pk: p.name for p in Participation.objects.filter(period=period).select_related("unit")}
    for entry in entries:
        group_result, i = position[names[entry.participation_id]]
        micro = group_result.stage(entry.stage).indicator_points.get(entry.indicator_code)
        entry.points = None if micro is None else from_micro(micro[i])
    IndicatorEntry.objects.bulk_update(entries, ["points"])
