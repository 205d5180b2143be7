"""A group's ranking page: rows with the change against the previous published year, sorted and filtered as the
query string says (so every view has a link to share), and the data of its charts."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from dti.assessments.models import Participation, Period
from dti.assessments.queries.baseline import previous_period, snapshot_group
from dti.documents.appendix import AppendixTable
from dti.engine.names import search_key
from dti.web.query import id_or_none

# The sort keys of the query string (?sap-xep=…) → the row attribute each sorts by.
SORTS = {"rank": "rank", "unit": "unit", "total": "total", "declared": "declared_total", "gap": "gap",
         "rank_change": "rank_change", "points_change": "points_change"}


@dataclass(frozen=True)
class RankingRow:
    participation_id: int
    unit: str
    ranked: bool
    pillars: tuple[Decimal, ...]  # reviewed, rounded as the decision prints them
    total: Decimal
    declared_total: Decimal
    rank: int | None
    grade: str | None
    rank_change: int | None  # positive: moved up since the previous published year
    points_change: Decimal | None

    @property
    def gap(self) -> Decimal:
        """Declared minus reviewed total: how far the declaration was from review."""
        return self.declared_total - self.total


def _previous_results(period: Period, group_code: str) -> dict[int, tuple[int | None, Decimal]]:
    """Unit id → (rank, reviewed total) in the previous published period, in the same group."""
    before = previous_period(period, group_code)
    if before is None:
        return {}
    group = snapshot_group(before, group_code)
    ids = {p.name: p.unit_id for p in Participation.objects.filter(period=before, group__code=group_code)
           .select_related("unit")}
    return {ids[u["name"]]: (u["rank"], Decimal(u["reviewed"]["total"])) for u in group["units"] if u["name"] in ids}


def ranking_rows(period: Period, table: AppendixTable) -> list[RankingRow]:
    participations = {p.name: p for p in Participation.objects.filter(period=period, group__code=table.group_code)
                      .select_related("unit")}
    previous = _previous_results(period, table.group_code)
    rows = []
    for row in table.rows:
        participation = participations[row.unit]
        before = previous.get(participation.unit_id)
        rank_change = before[0] - row.rank if before and before[0] and row.rank else None
        points_change = row.reviewed[-1] - before[1].quantize(Decimal("0.01")) if before else None
        rows.append(RankingRow(participation.pk, row.unit, row.ranked, row.reviewed[:-1], row.reviewed[-1],
                               row.declared[-1], row.rank, row.grade, rank_change, points_change))
    return rows


def sort_and_filter(rows: list[RankingRow], *, sort: str, descending: bool, grade: str, query: str
                    ) -> list[RankingRow]:
    """Rows as the page shows them. Unknown sorts fall back to rank; rows without a value sort last."""
    if grade:
        rows = [r for r in rows if r.grade == grade]
    if query:
        needle = search_key(query)
        rows = [r for r in rows if needle in search_key(r.unit)]
    column = id_or_none(sort.removeprefix("pillar-")) if sort.startswith("pillar-") else None
    if column is not None and rows and column < len(rows[0].pillars):
        key = lambda r: r.pillars[column]  # noqa: E731
    elif sort == "unit":
        key = lambda r: r.unit.casefold()  # noqa: E731
    elif sort in SORTS:
        key = lambda r: getattr(r, SORTS[sort])  # noqa: E731
    else:
        key = lambda r: r.rank  # noqa: E731
    present = [r for r in rows if key(r) is not None]
    missing = [r for r in rows if key(r) is None]
    return sorted(present, key=key, reverse=descending) + missing


# The ranking's columns a phone leaves out, so that a row's rank, unit, total and grade always show on its
# screen: the pillars (on the unit's own page), the declared total and the changes.
DETAIL_COLUMNS = ("declared", "rank_change", "points_change")


def is_detail(key: str | None) -> bool:
    return key is not None and (key.startswith("pillar-") or key in DETAIL_COLUMNS)


def sort_headers(columns, query, *, sort: str, descending: bool) -> list[dict]:
    """The ranking's column headers: (label, sort key or None) → label, link that sorts by the column (a second
    click reverses it; other query parameters are kept), its aria-sort value and whether a phone leaves it out."""
    headers = []
    for label, key in columns:
        if key is None:
            headers.append({"label": label, "key": None, "url": None, "aria_sort": None, "detail": False})
            continue
        active = key == sort
        if active:
            direction = "tang" if descending else "giam"
        else:
            direction = "tang" if key in ("rank", "unit") else "giam"
        params = query.copy()
        params["sap-xep"], params["chieu"] = key, direction
        headers.append({"label": label, "key": key, "url": "?" + params.urlencode(),
                        "aria_sort": ("descending" if descending else "ascending") if active else None,
                        "detail": is_detail(key)})
    return headers


def grade_boundaries(rows: list[RankingRow]) -> list[dict]:
    """The lowest reviewed total of each grade: where one grade ends and the next begins."""
    lowest: dict[str, Decimal] = {}
    for row in rows:
        if row.grade is not None and row.ranked:
            lowest[row.grade] = min(lowest.get(row.grade, row.total), row.total)
    return [{"grade": grade, "from": float(total)} for grade, total in lowest.items()]
