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


@transaction.atomic
def import_units(path, *, groups: dict[str, str], by=None) -> list[Unit]:
    """Add the units of a filled units workbook (dti.documents.unit_sheet) or its CSV — a province's departments,
    which no register lists. ``groups`` maps what the sheet may hold for a group (its code, or the label the
    template offers) to the group's code. Every row is checked first and every fault reported at once with its
    line and column; with any fault nothing is added. The units added."""
    from dti.documents.tables import read_table
    from dti.documents.unit_sheet import COLUMNS, NO, YES
    from dti.engine import DtiError
    from dti.engine.names import clean_name
    from dti.engine.numbers import read_number

    try:
        header, rows = read_table(path)
    except DtiError as exc:
        raise ValidationError(str(exc)) from None
    if [h.casefold() for h in header[:len(COLUMNS)]] != [c.casefold() for c in COLUMNS]:
        raise ValidationError(_("The first row must be the template's: %s.") % ", ".join(COLUMNS))
    known = {key.casefold(): code for key, code in groups.items()}
    names = {u.key: u.name for u in Unit.objects.all()}
    codes = set(Unit.objects.exclude(official_code="").values_list("official_code", flat=True))
    problems, units = [], []
    for line, cells in rows:
        name, short_name, group_text, ranked_text, year_text, official_code = (
            clean_name(str(c)) for c in [*cells, "", "", "", "", "", ""][:6])

        def fault(column: str, text: str, line=line) -> None:
            problems.append(_("Line %(line)s, column “%(column)s”: %(fault)s") % {
                "line": line, "column": column, "fault": text})

        key = name_key(name)
        if not name:
            fault(COLUMNS[0], _("the name is missing."))
        elif key in names:
            fault(COLUMNS[0], _("“%(name)s” is already a unit (“%(held)s”).") % {"name": name, "held": names[key]})
        names.setdefault(key, name)
        group = known.get(group_text.casefold())
        if group is None:
            fault(COLUMNS[2], _("“%s” is not a group of the frameworks held.") % group_text)
        ranked = {YES.casefold(): True, NO.casefold(): False, "": True}.get(ranked_text.casefold())
        if ranked is None:
            fault(COLUMNS[3], _("write “%(yes)s” or “%(no)s”, not “%(text)s”.") % {
                "yes": YES, "no": NO, "text": ranked_text})
        year = None
        if year_text:
            try:
                number = read_number(year_text)
            except DtiError as exc:
                fault(COLUMNS[4], f"“{year_text}”: {exc}")
            else:
                if number != number.to_integral_value() or not 1990 <= number <= 2100:
                    fault(COLUMNS[4], _("“%s” is not a year between 1990 and 2100.") % year_text)
                else:
                    year = int(number)
        if official_code:
            if not official_code.isdigit() or len(official_code) > 10:
                fault(COLUMNS[5], _("“%s” is not a code of the register (digits only).") % official_code)
            elif official_code in codes:
                fault(COLUMNS[5], _("another unit already has the code “%s”.") % official_code)
            codes.add(official_code)
        units.append(Unit(name=name, short_name=short_name, group_code=group or "", ranked=bool(ranked),
                          active_from=year, official_code=official_code))
    if not rows:
        problems.append(_("The file has no unit."))
    if problems:
        raise ValidationError(problems)
    for unit in units:
        unit.save()
    record(Action.UNITS_FROM_FILE, by=by, new={"units": [unit.name for unit in units]})
    return units
