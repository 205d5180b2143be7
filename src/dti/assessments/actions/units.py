"""Units: created, edited and renamed through their form, and their lineage across mergers."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dti.assessments import policy
from dti.assessments.audit import Action, record
from dti.assessments.models import (
    Participation,
    Unit,
    UnitLineage,
    UnitRename,
)
from dti.engine.names import name_key


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
def merge_units(predecessors: list[Unit], *, name: str, group_code: str, year: int, short_name: str = "",
                by=None) -> Unit:
    """Several units become one new unit from ``year`` (the 2025 mergers of communes and wards): the new unit
    is created, each predecessor's lineage is recorded and its last year is the one before. The predecessors keep
    their history and their published results; comparisons across the merger follow the lineage."""
    predecessors = list(Unit.objects.select_for_update().filter(pk__in=[u.pk for u in predecessors]))
    if len(predecessors) < 2:
        raise ValidationError(_("A merger needs at least two units."))
    problems = []
    for unit in predecessors:
        if unit.active_until is not None and unit.active_until < year - 1:
            problems.append(_("%(unit)s ended in %(year)s.") % {"unit": unit.name, "year": unit.active_until})
        if unit.successor_links.filter(kind=UnitLineage.Kind.MERGED).exists():
            problems.append(_("%s is already merged into another unit.") % unit.name)
    open_participations = (Participation.objects.filter(unit__in=predecessors, period__year__gte=year)
                           .exclude(period__state__in=policy.LOCKED).select_related("unit", "period"))
    problems += [_("%(unit)s takes part in “%(period)s”, which is not finalized: remove it from that period first.")
                 % {"unit": p.unit.name, "period": p.period.name} for p in open_participations]
    if problems:
        raise ValidationError(problems)
    successor = Unit(name=name, short_name=short_name, group_code=group_code, active_from=year)
    successor.full_clean()
    successor.save()
    for unit in sorted(predecessors, key=lambda u: u.name):
        UnitLineage.objects.create(unit=successor, predecessor=unit, kind=UnitLineage.Kind.MERGED, year=year)
        unit.active_until = year - 1
        unit.save(update_fields=["active_until"])
    record(Action.UNITS_MERGED, by=by, new={"unit": successor.name, "unit_id": successor.pk, "year": year,
                                            "units": sorted(u.name for u in predecessors)})
    return successor


@dataclass(frozen=True)
class RegisterImport:
    created: list[str]  # units added
    coded: list[str]  # units already there (same name) given their official code
    present: int  # units already there with their code


@transaction.atomic
def import_register_units(province_code: str, *, group_code: str, year: int, by=None) -> RegisterImport:
    """Add a province's communes and wards from the national register, with their official codes, in the group
    they are assessed in; all or none. A unit already there — by code, or by name when it has no code yet — is
    kept (and given its code). A name another province's unit already holds gets the province's name after it."""
    from dti.assessments.queries.register import communes, provinces

    province = dict(provinces()).get(province_code)
    if province is None:
        raise ValidationError(_("“%s” is not a province of the register.") % province_code)
    if not group_code:
        raise ValidationError(_("Choose the group the communes are assessed in."))
    by_code = set(Unit.objects.exclude(official_code="").values_list("official_code", flat=True))
    by_key = {u.key: u for u in Unit.objects.all()}
    created, coded, present = [], [], 0
    for commune in communes(province_code):
        if commune.code in by_code:
            present += 1
            continue
        same = by_key.get(name_key(commune.name))
        if same is not None and not same.official_code:
            same.official_code = commune.code
            same.save(update_fields=["official_code"])
            coded.append(same.name)
            continue
        name = commune.name if same is None else f"{commune.name} ({province})"
        unit = Unit(name=name, group_code=group_code, active_from=year, official_code=commune.code)
        unit.save()
        by_key[unit.key] = unit
        created.append(unit.name)
    if created or coded:
        record(Action.UNITS_IMPORTED, by=by, new={"province": province, "units": created, "coded": coded,
                                                  "group_code": group_code})
    return RegisterImport(created, coded, present)
