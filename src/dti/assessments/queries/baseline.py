"""A unit's comparison with an earlier year: its own published result, or — for a unit formed by a merger (the
departments merged in 2025, a merged province) — its predecessors' published results by the period's stated
method, said in words wherever the comparison is shown.

The national DTI of 2024 ranked the 34 merged provinces on the plain mean of their predecessors' indices (the
``mean`` method, which needs the predecessors scored on the same maximum); ``percent`` compares shares of the
maximum instead, so a year scored out of 1,000 compares with one scored out of 100. A unit whose predecessors
were never assessed in a comparable group (a new commune, formed from communes the province assessed only through
their districts) has no baseline, and its page says which units it was formed from.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from dti.assessments.models import Period, Unit
from dti.assessments.queries.presentation import published_history
from dti.assessments.queries.scores import published_results
from dti.web.numbers import number, signed

MEAN, PERCENT, OWN = Period.Comparison.MEAN, Period.Comparison.PERCENT, "own"


@dataclass(frozen=True)
class Source:
    """One published result a baseline is read from."""

    unit: str
    year: int
    group: str
    total: Decimal
    max_points: Decimal

    @property
    def percent(self) -> Decimal:
        return self.total * 100 / self.max_points


@dataclass(frozen=True)
class Baseline:
    """What this year's total is compared with: points on this year's scale, or a percentage of the maximum."""

    year: int
    method: str  # OWN, MEAN or PERCENT
    sources: tuple[Source, ...]
    value: Decimal  # points (OWN and MEAN) or percent of the maximum (PERCENT), exact

    def change(self, total: Decimal, max_points: Decimal) -> Decimal:
        """This year's total against the baseline, in the baseline's terms (points, or percentage points)."""
        if self.method == PERCENT:
            return total * 100 / max_points - self.value
        return total - self.value

    def sentence(self) -> str:
        if self.method == OWN:
            return _("Compared with %(year)s: %(total)s points.") % {"year": self.year,
                                                                    "total": number(self.value)}
        if self.method == MEAN:
            read = "; ".join(f"{s.unit} {number(s.total)}" for s in self.sources)
            return _("Compared with %(year)s through its predecessors, by the plain mean of their totals (the "
                     "national method): %(sources)s → %(value)s points.") % {
                "year": self.year, "sources": read, "value": number(self.value)}
        read = "; ".join(f"{s.unit} {number(s.total)}/{number(s.max_points)} "
                         f"({number(s.percent)}%)" for s in self.sources)
        return _("Compared with %(year)s through its predecessors, by the mean of their totals as a percentage of "
                 "the maximum: %(sources)s → %(value)s%%.") % {
            "year": self.year, "sources": read, "value": number(self.value)}


@dataclass(frozen=True)
class NoBaseline:
    """Why a unit formed from others is compared with no earlier year."""

    reason: str


def baseline(unit: Unit, year: int, max_points: Decimal, method: str) -> Baseline | NoBaseline | None:
    """The baseline of ``unit`` for the period of ``year`` scored out of ``max_points``: its own latest
    published result before that year, or its predecessors' by ``method``. None when there is nothing to compare
    with and nothing to say (a unit with neither a result nor predecessors)."""
    own = [h for h in published_history(unit) if h.participation.period.year < year]
    if own:
        latest = _source(own[-1])
        if latest.max_points == max_points:
            return Baseline(latest.year, OWN, (latest,), latest.total)
        if method == PERCENT:
            return Baseline(latest.year, PERCENT, (latest,), latest.percent)
        return NoBaseline(_("%(year)s was scored out of %(then)s and this year out of %(now)s: no change is "
                            "shown.") % {"year": latest.year, "then": number(latest.max_points),
                                         "now": number(max_points)})
    predecessors = [link.predecessor for link in unit.predecessor_links.select_related("predecessor")
                    .order_by("predecessor__name")]
    if not predecessors:
        return None
    results = {p.name: [h for h in published_history(p) if h.participation.period.year < year]
               for p in predecessors}
    assessed = {name: _source(history[-1]) for name, history in results.items() if history}
    if not assessed:
        return NoBaseline(_("Formed from %s, none of which was assessed in an earlier published period: there "
                            "is no baseline.") % ", ".join(p.name for p in predecessors))
    last_year = max(s.year for s in assessed.values())
    sources = tuple(s for s in assessed.values() if s.year == last_year)
    if method == MEAN:
        if any(s.max_points != max_points for s in sources):
            return NoBaseline(_("Its predecessors were scored out of another maximum in %(year)s: the plain mean "
                                "compares only totals out of the same maximum (the period may compare "
                                "percentages instead).") % {"year": last_year})
        return Baseline(last_year, MEAN, sources, sum((s.total for s in sources), Decimal(0)) / len(sources))
    return Baseline(last_year, PERCENT, sources, sum((s.percent for s in sources), Decimal(0)) / len(sources))


def _source(result) -> Source:
    return Source(result.participation.name, result.participation.period.year, result.group["name"],
                  Decimal(result.row["reviewed"]["total"]), Decimal(result.group["max_points"]))


def comparison(participation, total: Decimal | None, provisional: bool = False) -> dict | None:
    """What a unit's page says of its comparison with an earlier year: the sentence that states the baseline
    and its method, this year's change against it (None when there is no baseline; ``provisional`` while the
    total may still change), and the communes and wards of the register a commune of today was formed from.
    None when there is nothing to say."""
    from dti.assessments.queries.register import former_units

    group = participation.framework_group
    period = participation.period
    unit = participation.unit
    former = former_units(unit.official_code) if unit.official_code else []
    said = {"former": former, "code": unit.official_code, "change": None, "provisional": provisional}
    found = baseline(unit, period.year, group.max_points, period.comparison_method)
    if found is None:
        if not former:
            return None
        return {**said, "sentence": _("None of the communes and wards it was formed from was assessed in an "
                                      "earlier published period: there is no baseline.")}
    if isinstance(found, NoBaseline):
        return {**said, "sentence": found.reason}
    if total is None:
        return {**said, "sentence": found.sentence()}
    figure = signed(found.change(total, group.max_points))
    return {**said, "sentence": found.sentence(),
            "change": (_("%s percentage points") if found.method == PERCENT else _("%s points")) % figure}


def previous_period(period: Period, group_code: str) -> Period | None:
    """The previous published period, when its group of this code was scored on the same maximum: points and
    ranks out of 1,000 say nothing about points out of 100."""
    before = Period.objects.filter(state=Period.State.PUBLISHED, year__lt=period.year).order_by("-year").first()
    if before is None:
        return None
    group = snapshot_group(before, group_code)
    maximum = period.framework.parsed.group(group_code).max_points
    return before if group is not None and Decimal(group["max_points"]) == maximum else None


def snapshot_group(period: Period, group_code: str) -> dict | None:
    return next((g for g in published_results(period) if g["code"] == group_code), None)


def previous_average(period: Period, group_code: str) -> tuple[int, Decimal] | None:
    """(year, average reviewed total of the ranked units) of the group in the previous published period scored
    on the same maximum; None when there is none to compare with."""
    before = previous_period(period, group_code)
    if before is None:
        return None
    average = snapshot_group(before, group_code).get("average")
    return (before.year, Decimal(average["reviewed"]["total"])) if average else None


@dataclass(frozen=True)
class MergedRow:
    """A unit of today in a published year's ranking restated after the mergers that followed it."""

    rank: int
    unit: str
    total: Decimal  # the plain mean of its predecessors' reviewed totals (its own total when it was not merged)
    predecessors: tuple[str, ...]  # the units of the published ranking it stands for, by name


def ranking_after_mergers(period: Period, group_code: str) -> list[MergedRow] | None:
    """A published group's ranking restated in the units that later merged, as the national DTI of 2024 ranked
    the merged provinces: each merged unit on the plain mean of its predecessors' totals (one period, one maximum,
    so the mean is comparable), every other ranked unit on its own, ranked again by competition. None when no
    unit of the group was merged since. A restatement beside the published ranking, never instead of it."""
    from dti.assessments.models import Participation, UnitLineage
    from dti.engine.ranking import rank

    group = snapshot_group(period, group_code)
    unit_ids = {p.name: p.unit_id for p in Participation.objects.filter(period=period, group__code=group_code)
                .select_related("unit")}  # by the name the period published
    later = {link.predecessor_id: link.unit.name for link in UnitLineage.objects.filter(
        predecessor_id__in=unit_ids.values(), kind=UnitLineage.Kind.MERGED, year__gt=period.year,
    ).select_related("unit")}
    if group is None or not later:
        return None
    members: dict[str, list[tuple[str, Decimal]]] = {}
    for unit in group["units"]:
        if unit.get("rank") is None:
            continue  # not ranked in the published year: not ranked in its restatement either
        today = later.get(unit_ids.get(unit["name"]), unit["name"])
        members.setdefault(today, []).append((unit["name"], Decimal(unit["reviewed"]["total"])))
    names = sorted(members)
    means = [sum((t for _n, t in members[n]), Decimal(0)) / len(members[n]) for n in names]
    ranks = rank([int((m * 1_000_000).quantize(Decimal(1), ROUND_HALF_UP)) for m in means])  # micro-points
    rows = [MergedRow(int(r), n, m, tuple(sorted(p for p, _t in members[n])))
            for r, n, m in zip(ranks, names, means, strict=True)]
    return sorted(rows, key=lambda row: (row.rank, row.unit))
