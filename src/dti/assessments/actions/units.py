"""Units: created, edited and renamed through their form, and their lineage across mergers."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from dti.assessments.audit import Action, record
from dti.assessments.models import (
    Unit,
    UnitRename,
)


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
