"""Results of a period ready for a page: appendix tables, or the reason they cannot be computed yet."""

from __future__ import annotations

from dti.documents.appendix import AppendixTable, appendix_table
from dti.engine import DtiError

from .models import Period
from .services import period_results


def period_tables(period: Period, participations=None) -> list[AppendixTable]:
    """Appendix tables of every group; raises DtiError when inputs are still incomplete."""
    return [appendix_table(g) for g in period_results(period, participations).groups]


def period_tables_or_problem(period: Period, participations=None) -> tuple[list[AppendixTable], str | None]:
    try:
        return period_tables(period, participations), None
    except DtiError as exc:
        return [], str(exc)
