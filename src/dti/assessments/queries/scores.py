"""A period's results as the engine gives them: read, never written. A published period's are its snapshot's."""

from __future__ import annotations

from dti.assessments.models import Period, PublishedSnapshot
from dti.assessments.queries.adapter import inputs_from_rows, period_inputs
from dti.assessments.queries.kept import kept, published_key
from dti.engine import FrameworkResult, score_framework


def period_results(period: Period, entries_override=None) -> FrameworkResult:
    """The engine's results for the period (from its stored inputs, or from ``entries_override``).

    Computed once per change of the period's figures and kept (``queries.kept``); a published period's are
    those of its snapshot, recomputed from the inputs it recorded (names as published). Raises DtiError while
    the figures cannot be scored, until the next write.
    """
    if entries_override is not None:
        return score_framework(period.framework.parsed, period_inputs(period, entries_override))
    return kept("results", period, _score)


def _score(period: Period) -> FrameworkResult:
    if published_key(period):
        inputs = PublishedSnapshot.objects.values_list("inputs", flat=True).get(period=period)
        return score_framework(period.framework.parsed, inputs_from_rows(period.framework.parsed, inputs))
    return score_framework(period.framework.parsed, period_inputs(period))


def published_results(period: Period) -> list[dict]:
    """What a published period's snapshot records as its results (docs/score-json.md shapes), read once and kept
    under the snapshot's hash: a national snapshot's are megabytes of JSON, and every public page of a unit or
    a group reads them. Shared: never change what it returns."""
    return kept("published-results", period, _snapshot_results)


def _snapshot_results(period: Period) -> list[dict]:
    return PublishedSnapshot.objects.values_list("results", flat=True).get(period=period)
