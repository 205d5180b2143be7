"""Where the year's work stands, unit by unit — the review queue and the progress board — read in a fixed number
of queries whatever the number of units, and without writing anything."""

from __future__ import annotations

import operator
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from functools import reduce

from django.db.models import Case, Count, DecimalField, F, Max, OuterRef, Q, Subquery, Sum, Value, When
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from dti.assessments.models import (
    Appeal,
    AuditEntry,
    Clarification,
    Declaration,
    Evidence,
    IndicatorEntry,
    Participation,
    Period,
    ReviewerVisit,
    Stage,
)
from dti.assessments.queries.kept import kept
from dti.engine import Indicator
from dti.engine.names import search_key


def stale_reviews(period: Period, participation: Participation | None = None) -> dict[int, set[str]]:
    """Participation id → codes of the indicators whose declared value changed after it was reviewed: each needs
    review again ("cần rà soát lại"), and the period cannot be finalized while any does. Only the stale entries
    leave the database."""
    declared_version = IndicatorEntry.objects.filter(participation=OuterRef("participation"),
                                                     indicator_code=OuterRef("indicator_code"),
                                                     stage=Stage.DECLARED).values("version")[:1]
    reviewed = IndicatorEntry.objects.filter(participation__period=period, stage=Stage.REVIEWED,
                                             declared_version__isnull=False)
    if participation is not None:
        reviewed = reviewed.filter(participation=participation)
    rows = (reviewed.annotate(current=Subquery(declared_version))
            .filter(Q(current__isnull=True) | ~Q(current=F("declared_version")))
            .values_list("participation_id", "indicator_code"))
    stale: dict[int, set[str]] = {}
    for participation_id, code in rows:
        stale.setdefault(participation_id, set()).add(code)
    return stale


# A submitted declaration whose every indicator has a current review reads "Reviewed". It is derived from the
# entries, never stored: a value changed after its review makes the declaration "Submitted" again by itself.
REVIEWED = "reviewed"
PROGRESS_STATES = {**dict(Declaration.State.choices), REVIEWED: pgettext_lazy("declaration state", "Reviewed")}


@dataclass(frozen=True)
class ReviewProgress:
    indicators: int  # the scored indicators of the unit's group
    reviewed: int  # of those, reviewed with the declared value unchanged since
    to_review_again: int  # reviewed, but the declared value changed since

    @property
    def complete(self) -> bool:
        return self.reviewed >= self.indicators


def review_progress(period: Period, participations) -> dict[int, ReviewProgress]:
    """Participation id → how far its review is, in two queries whatever the number of units."""
    participations = list(participations)
    framework = period.framework.parsed
    leaves = {group.code: {i.code for i in group.leaves()} for group in framework.groups}
    reviewed: dict[int, set[str]] = defaultdict(set)
    for participation_id, code in (IndicatorEntry.objects
                                   .filter(participation__in=[p.pk for p in participations], stage=Stage.REVIEWED)
                                   .values_list("participation_id", "indicator_code")):
        reviewed[participation_id].add(code)
    stale = stale_reviews(period, participations[0] if len(participations) == 1 else None)
    progress = {}
    for participation in participations:
        codes = leaves.get(participation.group.code, set())
        again = stale.get(participation.pk, set()) & codes
        progress[participation.pk] = ReviewProgress(len(codes), len((reviewed[participation.pk] & codes) - again),
                                                    len(again))
    return progress


def progress_state(declaration: Declaration, review: ReviewProgress) -> str:
    """The declaration's state as the screens show it (a key of PROGRESS_STATES)."""
    if declaration.state == Declaration.State.SUBMITTED and review.complete:
        return REVIEWED
    return declaration.state


def state_in_words(participation: Participation, declaration: Declaration) -> str:
    """One unit's declaration state as its pages show it."""
    review = review_progress(participation.period, [participation])[participation.pk]
    return str(PROGRESS_STATES[progress_state(declaration, review)])


def declaration_states(period: Period, participations) -> dict[int, Declaration]:
    """Participation id → its declaration; a unit that has not started has none stored (a new, unsaved one)."""
    stored = {d.participation_id: d for d in Declaration.objects.filter(participation__period=period)}
    return {p.pk: stored.get(p.pk) or Declaration(participation=p) for p in participations}


def declaration_as_stored(participation: Participation) -> Declaration:
    """The unit's declaration as stored, or a new unsaved one when it has not started: what a page shows, read
    without writing (the declaration is made by the unit's first save)."""
    return Declaration.objects.filter(participation=participation).first() or Declaration(participation=participation)


def open_questions(period: Period) -> dict[int, int]:
    """Participation id → questions sent to the unit and not yet answered."""
    return dict(Clarification.objects.open().filter(participation__period=period)
                .values("participation_id").annotate(n=Count("id")).values_list("participation_id", "n"))


def entered_totals(period: Period) -> dict[tuple[int, str], tuple[int, Decimal]]:
    """(participation id, stage) → (entries saved, their points with bonus added and penalty subtracted): the
    progress figures of the queue, summed by the database."""
    framework = period.framework.parsed
    subtracted = [Q(participation__group__code=group.code, indicator_code__in=codes) for group in framework.groups
                  if (codes := [i.code for i in group.leaves() if i.rule.sign < 0])]
    signed = F("points")
    if subtracted:
        signed = Case(When(reduce(operator.or_, subtracted), then=-F("points")), default=F("points"),
                      output_field=DecimalField(max_digits=14, decimal_places=6))
    rows = (IndicatorEntry.objects.filter(participation__period=period).values("participation_id", "stage")
            .annotate(n=Count("id"), points=Sum(signed, default=Value(Decimal(0)))))
    return {(r["participation_id"], r["stage"]): (r["n"], r["points"] or Decimal(0)) for r in rows}


def changes_since_last_look(period: Period, reviewer) -> tuple[dict[int, int], set[int]]:
    """Participation id → changes by others since ``reviewer`` last opened the unit; and the units they opened."""
    seen_at = ReviewerVisit.objects.filter(participation=OuterRef("participation"), reviewer=reviewer).values(
        "seen_at")[:1]
    changes = dict(AuditEntry.objects.filter(period=period, participation__isnull=False).exclude(by=reviewer)
                   .annotate(seen=Subquery(seen_at)).filter(Q(seen__isnull=True) | Q(at__gt=F("seen")))
                   .values("participation_id").annotate(n=Count("id")).values_list("participation_id", "n"))
    opened = set(ReviewerVisit.objects.filter(reviewer=reviewer, participation__period=period)
                 .values_list("participation_id", flat=True))
    return changes, opened


def open_appeals(period: Period) -> dict[int, int]:
    return dict(Appeal.objects.filter(participation__period=period, state=Appeal.State.OPEN)
                .values("participation_id").annotate(n=Count("id")).values_list("participation_id", "n"))


def review_queue(period: Period, participations, reviewer, second_review: frozenset[int] = frozenset()
                 ) -> list[dict]:
    """A row per unit of the reviewer's queue (``participations``: their scope): state, progress, points so far,
    questions, appeals, whether it needs a second reviewer (``second_review``: the participation ids that do),
    changes since the reviewer's last look. What every reviewer sees alike is read once per change of the period
    and kept; the changes since a reviewer's last look, once per change and visit of theirs."""
    every = kept("queue-rows", period, _queue_rows, recent=True)
    last_visit = (ReviewerVisit.objects.filter(reviewer=reviewer, participation__period=period)
                  .aggregate(latest=Max("seen_at"))["latest"])
    changes, opened = kept("queue-changes", period, lambda _period, *_: changes_since_last_look(period, reviewer),
                           reviewer.pk, last_visit)
    return [{**every[pk], "second_review": pk in second_review,
             "changes": changes.get(pk, 0) if pk in opened else 0, "first_look": pk not in opened}
            for pk in participations.values_list("pk", flat=True) if pk in every]


def _standing(period: Period) -> dict[int, dict]:
    """Participation id → what the queue and the progress board both show of the unit: its declaration, review
    progress, state, points entered at each stage and open questions. Read once per change for both."""
    participations = list(period.participations.select_related("unit", "group"))
    states = declaration_states(period, participations)
    reviews = review_progress(period, participations)
    totals = entered_totals(period)
    questions = open_questions(period)
    standing = {}
    for participation in participations:
        review = reviews[participation.pk]
        state = progress_state(states[participation.pk], review)
        declared_count, declared = totals.get((participation.pk, Stage.DECLARED), (0, Decimal(0)))
        standing[participation.pk] = {
            "participation": participation, "declaration": states[participation.pk], "review": review,
            "state_key": state, "state": PROGRESS_STATES[state], "declared_count": declared_count,
            "declared": declared, "reviewed": totals.get((participation.pk, Stage.REVIEWED), (0, Decimal(0)))[1],
            "open_questions": questions.get(participation.pk, 0)}
    return standing


def _queue_rows(period: Period) -> dict[int, dict]:
    appeals = open_appeals(period)
    rows = {}
    for pk, unit in kept("standing", period, _standing).items():
        review = unit["review"]
        rows[pk] = {key: unit[key] for key in ("participation", "state_key", "state", "declared", "reviewed",
                                               "open_questions")}
        rows[pk].update({"reviewed_count": review.reviewed, "open_appeals": appeals.get(pk, 0),
                         "progress": f"{review.reviewed}/{review.indicators}",
                         "to_review_again": review.to_review_again})
    return rows


def evidence_missing(period: Period, participation: Participation | None = None) -> dict[int, set[str]]:
    """Participation id → codes of its declared indicators whose framework names the evidence expected and that
    have no current evidence (no file, no citation); of one ``participation`` only when given. Two queries."""
    framework = period.framework.parsed
    expected = {group.code: {i.code for i in group.leaves() if i.evidence} for group in framework.groups}
    evidence = Evidence.objects.current().filter(participation__period=period)
    declared = IndicatorEntry.objects.filter(participation__period=period, stage=Stage.DECLARED, not_applicable=False)
    if participation is not None:
        evidence, declared = evidence.filter(participation=participation), declared.filter(participation=participation)
    given = set(evidence.values_list("participation_id", "indicator_code").distinct())
    missing: dict[int, set[str]] = defaultdict(set)
    for participation_id, group_code, code in declared.values_list("participation_id", "participation__group__code",
                                                                   "indicator_code"):
        if code in expected.get(group_code, ()) and (participation_id, code) not in given:
            missing[participation_id].add(code)
    return missing


def evidence_lacking(participation: Participation) -> list[tuple[str, Indicator]]:
    """(pillar code, indicator) of the unit's declared indicators lacking the evidence the framework expects: a
    submission goes without it, but the unit is told which before it submits and after."""
    codes = evidence_missing(participation.period, participation).get(participation.pk, set())
    return [(pillar.code, i) for pillar, i in participation.framework_group.indicators() if i.code in codes]


# The queue's filters by a unit's flags, and its sorts, by the words of their addresses (?loc=…, ?sap-xep=…).
QUEUE_FLAGS = {
    "cau-hoi": (gettext_lazy("Open questions"), lambda row: row["open_questions"] > 0),
    "phuc-khao": (gettext_lazy("Appeals to decide"), lambda row: row["open_appeals"] > 0),
    # near a grade boundary, no second reviewer yet
    "tham-dinh-lan-hai": (gettext_lazy("Second review needed"), lambda row: row["second_review"]),
    "thay-doi": (gettext_lazy("New or changed since your last look"),
                 lambda row: row["first_look"] or row["changes"] > 0),
}
QUEUE_SORTS = {
    "ten": lambda row: search_key(row["participation"].name),
    "trang-thai": lambda row: list(PROGRESS_STATES).index(row["state_key"]),
    "tien-do": lambda row: row["reviewed_count"],
    "tu-khai": lambda row: row["declared"],
    "ra-soat": lambda row: row["reviewed"],
    "thay-doi": lambda row: row["changes"],
}


def filter_queue(rows: list[dict], *, state: str = "", flag: str = "", query: str = "", sort: str = "ten",
                 descending: bool = False) -> list[dict]:
    """The queue's rows as the reviewer asked: of one state, with one flag, whose name contains ``query`` (with
    or without diacritics), sorted (by name when the sort is unknown, then by name within equal values)."""
    if state in PROGRESS_STATES:
        rows = [row for row in rows if row["state_key"] == state]
    if flag in QUEUE_FLAGS:
        rows = [row for row in rows if QUEUE_FLAGS[flag][1](row)]
    if query.strip():
        needle = search_key(query)
        rows = [row for row in rows if needle in search_key(row["participation"].name)]
    rows = sorted(rows, key=QUEUE_SORTS["ten"])
    if sort in QUEUE_SORTS and sort != "ten":
        rows = sorted(rows, key=QUEUE_SORTS[sort], reverse=descending)
    elif descending:
        rows.reverse()
    return rows


def progress_board(period: Period, late_states, closed: bool) -> tuple[list[dict], dict[str, int]]:
    """A row per unit of the period (state, indicators declared, evidence missing, submission, questions, late)
    and the count of each state: read in a fixed number of queries once per change of the period, and kept."""
    rows, counts = kept("progress-board", period, _progress_rows, recent=True)
    return [{**row, "late": closed and row["declaration"].state in late_states,
             "waiting": row["declaration"].state in late_states} for row in rows], counts


def _progress_rows(period: Period) -> tuple[list[dict], dict[str, int]]:
    missing = evidence_missing(period)
    counts: dict[str, int] = defaultdict(int)
    rows = []
    for pk, unit in kept("standing", period, _standing).items():
        review = unit["review"]
        counts[unit["state_key"]] += 1
        rows.append({"participation": unit["participation"], "declaration": unit["declaration"],
                     "state_key": unit["state_key"], "state": unit["state"],
                     "declared": f"{unit['declared_count']}/{review.indicators}",
                     "evidence_missing": len(missing.get(pk, ())), "to_review_again": review.to_review_again,
                     "open_questions": unit["open_questions"]})
    return rows, dict(counts)


@dataclass(frozen=True)
class GroupSummary:
    name: str
    units: int
    ranked: int
    average: Decimal | None  # the ranked units' mean reviewed total
    grades: dict[str, int]  # grade → units, in the framework's order


def move_summary(period: Period, to_state: str) -> dict:
    """What the period holds at the moment it is moved: units by declaration state, open questions and appeals,
    reviews to redo, and — when the move is to the appeals, finalized or published state — per group its units,
    provisional average and grades (or how many units are not yet reviewed in full)."""
    from dti.assessments.queries.scores import period_results
    from dti.engine import DtiError

    rows, counts = progress_board(period, (), False)
    summary = {"units": len(rows), "states": [(label, counts[state]) for state, label in PROGRESS_STATES.items()
                                              if counts.get(state)],
               "open_questions": sum(row["open_questions"] for row in rows),
               "open_appeals": period.participations.filter(appeals__state="open").count(),
               "to_review_again": sum(row["to_review_again"] for row in rows),
               "groups": [], "problem": ""}
    if to_state not in (Period.State.APPEALS, Period.State.FINALIZED, Period.State.PUBLISHED):
        return summary
    try:
        results = period_results(period)
    except DtiError as exc:
        incomplete = sum(1 for row in rows if row["state_key"] != REVIEWED)
        summary["problem"] = (_("%d units are not yet reviewed in full.") % incomplete if incomplete
                              else str(exc))
        return summary
    for result in results.groups:
        average = result.average("reviewed")
        grades = dict.fromkeys(result.group.grading.grades, 0) if result.group.grading else {}
        for grade in result.grades:
            if grade is not None:
                grades[grade] = grades.get(grade, 0) + 1
        summary["groups"].append(GroupSummary(result.group.name, len(result.units), result.ranked_count,
                                              average.total if average else None, grades))
    return summary
