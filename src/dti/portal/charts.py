"""The data each portal chart draws (ECharts, through dti.js), built from what its page's table shows, so the
table is the chart's alternative and the two cannot disagree."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from dti.documents.appendix import AppendixTable
from dti.documents.unit_report import UnitReport, in_sentence
from dti.web.names import css_key, name_text

from .ranking import RankingRow, grade_boundaries


def _percent(share: Decimal | None) -> float | None:
    return None if share is None else float(share * 100)


def stacked(table: AppendixTable, max_points: Decimal) -> dict:
    """Reviewed points per pillar, stacked, one bar per unit in the table's order."""
    return {"units": [row.unit for row in table.rows], "max": float(max_points),
            "pillars": [{"name": name, "values": [float(row.reviewed[k]) for row in table.rows]}
                        for k, name in enumerate(table.pillars)]}


def axis_start(values: Sequence[Decimal], max_points: Decimal) -> float:
    """Where an axis of totals starts: the tenth of the maximum at or below the lowest value (600 for totals from
    676 out of 1,000), so that the units spread over the chart instead of crowding its last third."""
    step = max_points / 10
    if not values or step <= 0:
        return 0.0
    return float(max(Decimal(0), (min(values) / step).to_integral_value(rounding=ROUND_FLOOR) * step))


def distribution(rows: Sequence[RankingRow], max_points: Decimal) -> dict:
    """Each ranked unit's total on one axis, coloured by grade, with the grade boundaries."""
    ranked = [r for r in rows if r.ranked]
    return {"points": [{"unit": r.unit, "total": float(r.total), "grade": r.grade, "colour": css_key(r.grade or "")}
                       for r in ranked],
            "boundaries": grade_boundaries(rows), "max": float(max_points),
            "min": axis_start([r.total for r in ranked], max_points), "labels": {"total": _("Total after review")}}


def unit_map(rows: Sequence[RankingRow], places: Mapping[int, tuple[float, float]]) -> dict | None:
    """Each ranked unit the register places, at its point, coloured by grade; None when fewer than two are placed
    (departments have no place in the register)."""
    located = [(r, places[r.participation_id]) for r in rows if r.ranked and r.participation_id in places]
    if len(located) < 2:
        return None
    return {"points": [{"unit": r.unit, "lat": lat, "lon": lon, "grade": r.grade, "colour": css_key(r.grade or ""),
                        "total": float(r.total)} for r, (lat, lon) in located],
            "grades": list(dict.fromkeys(r.grade for r, _place in located if r.grade)),
            "labels": {"lat": _("Latitude"), "lon": _("Longitude"), "total": _("Total after review")}}


def declared_against_reviewed(rows: Sequence[RankingRow], max_points: Decimal) -> dict:
    return {"points": [{"unit": r.unit, "declared": float(r.declared_total), "reviewed": float(r.total)}
                       for r in rows], "max": float(max_points),
            "min": axis_start([v for r in rows for v in (r.declared_total, r.total)], max_points),
            "labels": {"declared": _("Declared total"), "reviewed": _("Total after review")}}


def radar(report: UnitReport, glossary: Mapping[str, str] | None = None) -> dict:
    """Each pillar's share of its maximum, the unit's and the group average's; the group named in the reader's
    language where the framework has it (``glossary``, dti.web.names)."""
    return {"axes": [line.name for line in report.pillars],
            "unit": [_percent(line.share) for line in report.pillars],
            "average": [_percent(line.average_share) for line in report.pillars],
            "unitLabel": report.unit,
            "averageLabel": _("Average of %(group)s") % {"group": in_sentence(name_text(report.group, glossary))}}


def bars(report: UnitReport, glossary: Mapping[str, str] | None = None) -> dict:
    """The radar's shares as grouped bars: the unit beside the group average."""
    shares = radar(report, glossary)
    return grouped(shares["axes"], [(shares["unitLabel"], shares["unit"]), (shares["averageLabel"], shares["average"])])


def grouped(pillars: Sequence[str], series: Sequence[tuple[str, Sequence[float | None]]]) -> dict:
    return {"pillars": list(pillars), "units": [{"name": name, "values": list(values)} for name, values in series]}


def _share(points: Decimal | None, max_points: Decimal) -> float | None:
    if points is None or not max_points:
        return None
    return float((points / max_points * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def trend(years: Sequence[int], lines: Sequence[tuple[str, Sequence[float | None]]]) -> dict:
    """Lines across the published years, each a share of its year's maximum: a framework's maximum changes from
    year to year (1,000 points in 2023, 100 in 2026), a share of it reads the same in every year."""
    return {"years": [str(year) for year in years], "lines": [{"name": name, "values": list(values)}
                                                               for name, values in lines]}


def unit_trend(unit: str, history: Sequence[dict]) -> dict:
    """A unit's total after review and its group's average, as shares of the maximum, in every published year."""
    return trend([row["period"].year for row in history], [
        (unit, [_share(row["total"], row["max_points"]) for row in history]),
        (_("Group average"), [_share(row["average"], row["max_points"]) for row in history])])


def group_trend(history: Sequence[dict]) -> dict:
    """A group's average total and average per pillar, as shares of their maxima, in every published year; a
    pillar a year's framework does not have is a gap in its line."""
    names = list(dict.fromkeys(name for row in history for name, _value in row["pillars"]))
    shares = [{name: _share(value, most) for (name, value), most in zip(row["pillars"], row["pillar_max"], strict=True)}
              for row in history]
    return trend([row["period"].year for row in history], [
        (_("Total"), [_share(row["total"], row["max_points"]) for row in history]),
        *((name, [year.get(name) for year in shares]) for name in names)])


def compared(pillars: Sequence[str], reports: Sequence[UnitReport]) -> dict:
    """Each compared unit's share of every pillar's maximum (None where its group has no such pillar)."""
    def shares(report: UnitReport) -> list[float | None]:
        by_name = {line.name: line for line in report.pillars}
        return [_percent(by_name[name].share) if name in by_name else None for name in pillars]

    return grouped(pillars, [(report.unit, shares(report)) for report in reports])
