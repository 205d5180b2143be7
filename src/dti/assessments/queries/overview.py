"""One open period at a glance, for the leader and the secretariat: where its units stand, the provisional
results of those that have sent their declaration, and the change against the last published year."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils import timezone

from dti.assessments import policy
from dti.assessments.models import Period
from dti.assessments.queries.baseline import previous_average
from dti.assessments.queries.kept import kept
from dti.assessments.queries.presentation import provisional_tables
from dti.assessments.queries.progress import PROGRESS_STATES, progress_board


@dataclass(frozen=True)
class GroupOverview:
    key: str  # distinguishes the group's chart on the page
    label: str
    average: Decimal | None  # the ranked units' mean reviewed total (provisional)
    grades: list[tuple[str, int]]
    top: list[tuple[str, Decimal]]  # the three highest reviewed totals
    bottom: list[tuple[str, Decimal]]  # the three lowest
    previous: tuple[int, Decimal] | None = None  # (year, average) of the last published year on the same maximum

    @property
    def change(self) -> Decimal | None:
        """The provisional average against last year's, in points."""
        if self.previous is None or self.average is None:
            return None
        return self.average - self.previous[1]

    @property
    def chart(self) -> dict:
        """The grade distribution, for the dashboard's bar chart (the text beside it gives the same counts)."""
        return {"labels": [grade for grade, _n in self.grades], "values": [n for _grade, n in self.grades]}


@dataclass(frozen=True)
class YearOverview:
    """One open period at a glance, for the leader and the secretariat: where the units stand and the
    provisional results of those that have sent their declaration."""

    period: Period
    states: list[tuple[str, int]]
    late: int
    groups: list[GroupOverview]
    waiting: int  # units not in the provisional results

    @property
    def key(self) -> str:
        return str(self.period.pk)

    @property
    def chart(self) -> dict:
        """Units by declaration state, for the dashboard's bar chart."""
        return {"labels": [label for label, _n in self.states], "values": [n for _label, n in self.states]}


def year_overview(period: Period) -> YearOverview:
    """Kept per change of the period and per day (what is late changes at midnight)."""
    today = timezone.localdate()
    return kept("year-overview", period, _year_overview, today.isoformat(), recent=True)


def _year_overview(period: Period, day: str) -> YearOverview:
    today = date.fromisoformat(day)
    closed = bool(period.declaration_closes and today > period.declaration_closes)
    rows, counts = progress_board(period, policy.UNIT_EDITS, closed)
    provisional = provisional_tables(period)
    groups = []
    for table in provisional.tables if provisional else []:
        ranked = sorted(((r.unit, r.reviewed[-1]) for r in table.rows if r.ranked), key=lambda u: (-u[1], u[0]))
        grading = period.framework.parsed.group(table.group_code).grading
        # every grade of the rule, best first, even those no unit holds yet
        grades: dict[str, int] = dict.fromkeys(grading.grades, 0) if grading else {}
        for row in table.rows:
            if row.grade:
                grades[row.grade] = grades.get(row.grade, 0) + 1
        average = table.average_reviewed[-1] if table.average_reviewed else None
        bottom = ranked[-3:][::-1] if len(ranked) > 3 else []
        groups.append(GroupOverview(f"{period.pk}-{table.group_code}", table.label, average, list(grades.items()),
                                    ranked[:3], bottom, previous_average(period, table.group_code)))
    return YearOverview(period, [(str(label), counts.get(key, 0)) for key, label in PROGRESS_STATES.items()],
                        sum(1 for row in rows if row["late"]), groups,
                        provisional.waiting if provisional else len(rows))
