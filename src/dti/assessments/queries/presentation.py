"""Results of a period ready for a page: appendix tables, or the reason they cannot be computed yet."""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from django.utils.translation import gettext as _

from dti.assessments.models import Participation, Period, Unit
from dti.assessments.queries.kept import kept
from dti.assessments.queries.scores import period_results, published_results
from dti.documents.appendix import AppendixTable, appendix_table
from dti.engine import DtiError


def period_tables(period: Period, visible_units: set[str] | None = None) -> list[AppendixTable]:
    """Appendix tables of every group; raises DtiError when inputs are still incomplete.

    The whole group is always scored, so ranks and averages are the group's; ``visible_units`` only limits
    which rows are shown (a unit officer sees their own unit's row, with its true rank). Kept per change.
    """
    tables = kept("tables", period, _appendix_tables, recent=True)
    if visible_units is None:
        return tables
    shown = [replace(t, rows=tuple(r for r in t.rows if r.unit in visible_units)) for t in tables]
    return [t for t in shown if t.rows]


def _appendix_tables(period: Period) -> list[AppendixTable]:
    return [appendix_table(g) for g in period_results(period).groups]


def period_tables_or_problem(period: Period, visible_units: set[str] | None = None):
    try:
        return period_tables(period, visible_units), None
    except DtiError as exc:
        return [], problem_text(exc, visible_units)


def problem_text(exc: DtiError, visible_units: set[str] | None) -> str:
    """Why results cannot be computed, as a reader who sees only ``visible_units`` (None: every unit) may read it:
    a fault in another unit's figures is reported without naming that unit or its values."""
    unit = getattr(exc, "unit", None)
    if visible_units is not None and unit is not None and unit not in visible_units:
        return _("The group's results cannot be computed yet: another unit's declaration or review is not "
                 "complete.")
    return str(exc)


def visible_unit_names(user, period: Period) -> set[str] | None:
    """The names of the units whose figures ``user`` reads in ``period``; None when they read every unit."""
    from dti.assessments.scope import visible_participations

    visible = visible_participations(user, period)
    if visible.count() == period.participations.count():
        return None
    return {p.name for p in visible.select_related("unit")}


@dataclass(frozen=True)
class PublishedResult:
    """A unit's entry in one published period, as its snapshot records it (docs/score-json.md shapes)."""

    participation: Participation
    group: dict  # the group's results
    row: dict  # the unit's results


def published_history(unit: Unit) -> list[PublishedResult]:
    """The unit's results in every published period, oldest first, read from the published snapshots."""
    history = []
    for participation in (Participation.objects.filter(unit=unit, period__state=Period.State.PUBLISHED)
                          .select_related("period__framework", "group", "unit").order_by("period__year")):
        found = kept("published-rows", participation.period, _published_rows).get(
            (participation.group.code, participation.name))
        if found is not None:
            history.append(PublishedResult(participation, *found))
    return history


def _published_rows(period: Period) -> dict[tuple[str, str], tuple[dict, dict]]:
    """(group code, unit name) → (the group's results without its units, the unit's) of a published period:
    read once from its snapshot (a national one holds megabytes), not on every unit's page."""
    rows = {}
    for group in published_results(period):
        summary = {key: value for key, value in group.items() if key != "units"}
        for row in group["units"]:
            rows[(group["code"], row["name"])] = (summary, row)
    return rows


@dataclass(frozen=True)
class ProvisionalTables:
    """Results while review goes on: the units that have sent their declaration, each scored on its reviewed
    values where reviewed and on its declared values elsewhere; ranks and averages among those units only."""

    tables: list[AppendixTable]
    unreviewed: dict[str, int]  # unit name → indicators still scored on declared values
    waiting: int  # units not yet included (declaration not sent)


def provisional_tables(period: Period, visible_units: set[str] | None = None) -> ProvisionalTables | None:
    """None when no unit has sent its declaration, or when even the sent ones cannot be scored. Kept per
    change of the period's figures; ``visible_units`` only limits the rows shown."""
    every = kept("provisional", period, _provisional_tables, recent=True)
    if every is None or visible_units is None:
        return every
    tables = [t for t in (replace(t, rows=tuple(r for r in t.rows if r.unit in visible_units)) for t in every.tables)
              if t.rows]
    unreviewed = {name: n for name, n in every.unreviewed.items() if name in visible_units}
    return ProvisionalTables(tables, unreviewed, every.waiting)


def _provisional_tables(period: Period) -> ProvisionalTables | None:
    from dti.assessments.models import Declaration, Stage
    from dti.assessments.queries.adapter import inputs_from_rows, period_rows, stored_entries
    from dti.assessments.queries.progress import stale_reviews
    from dti.engine import score_framework

    sent = set(Declaration.objects.filter(participation__period=period, state=Declaration.State.SUBMITTED)
               .values_list("participation_id", flat=True))
    if not sent:
        return None
    stale = stale_reviews(period)
    entries = stored_entries(sent)
    unreviewed_ids: dict[int, int] = {}
    for (participation_id, code, stage), entry in list(entries.items()):
        current = (participation_id, code, Stage.REVIEWED)
        if stage == Stage.DECLARED and (current not in entries or code in stale.get(participation_id, ())):
            entries[current] = {**entry, "points": None}  # not yet reviewed: the declared value stands in
            unreviewed_ids[participation_id] = unreviewed_ids.get(participation_id, 0) + 1
    try:
        results = score_framework(period.framework.parsed,
                                  inputs_from_rows(period.framework.parsed, period_rows(period, entries, sent)))
    except DtiError:
        return None
    names = {p.pk: p.name for p in period.participations.filter(pk__in=sent).select_related("unit")}
    unreviewed = {names[pk]: n for pk, n in unreviewed_ids.items() if pk in names}
    return ProvisionalTables([appendix_table(g) for g in results.groups], unreviewed,
                             period.participations.count() - len(sent))


def provisional_total(participation: Participation) -> Decimal | None:
    """The unit's total after review while its period is under review — once every indicator of it is reviewed,
    among the units that have sent their declaration — or None."""
    tables = provisional_tables(participation.period, {participation.name})
    if tables is None or participation.name in tables.unreviewed:
        return None
    row = next((r for t in tables.tables for r in t.rows if r.unit == participation.name), None)
    return row.reviewed[-1] if row is not None else None


def units_not_sent(period: Period, group_code: str) -> int:
    """How many units of the group have not sent their declaration (not started, a draft, or returned)."""
    from dti.assessments.models import Declaration

    group = period.participations.filter(group__code=group_code)
    return group.count() - Declaration.objects.filter(participation__in=group,
                                                      state=Declaration.State.SUBMITTED).count()
