"""A period's results imported from a file (pillar or indicator level), and the engine's points stored on its
entries."""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dti.assessments import policy
from dti.assessments.actions.periods import work_entered_here
from dti.assessments.audit import Action, record
from dti.assessments.models import (
    IndicatorEntry,
    Participation,
    Period,
    PillarResult,
    Unit,
)
from dti.assessments.queries.scores import period_results
from dti.documents.results import ResultsFile, load_results
from dti.engine import score_framework
from dti.engine.inputs import parse_boolean
from dti.engine.names import name_key
from dti.engine.points import from_micro


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
