"""A period's results as the engine gives them: read, never written. A published period's are its snapshot's."""

from __future__ import annotations

from dti.assessments.models import Period, PublishedSnapshot
from dti.assessments.queries.adapter import inputs_from_rows, period_inputs
from dti.engine import FrameworkResult, score_framework

_PUBLISHED_RESULTS: dict[str, FrameworkResult] = {}  # snapshot SHA-256 → the results it records


def published_key(period: Period) -> str | None:
    """The SHA-256 of a published period's snapshot: what never changes may be kept under it. None otherwise."""
    if period.state != Period.State.PUBLISHED:
        return None
    return PublishedSnapshot.objects.filter(period=period).values_list("sha256", flat=True).first()


def period_results(period: Period, entries_override=None) -> FrameworkResult:
    """The engine's results for the period (from its stored inputs, or from ``entries_override``).

    A published period's results are those of its snapshot, recomputed from the inputs it recorded (names as
    published) once per process and kept under its hash; every public page reads them.
    """
    if entries_override is None:
        snapshot = published_key(period)
        if snapshot:
            if snapshot not in _PUBLISHED_RESULTS:
                inputs = PublishedSnapshot.objects.values_list("inputs", flat=True).get(period=period)
                _PUBLISHED_RESULTS[snapshot] = score_framework(period.framework.parsed,
                                                               inputs_from_rows(period.framework.parsed, inputs))
            return _PUBLISHED_RESULTS[snapshot]
    return score_framework(period.framework.parsed, period_inputs(period, entries_override))
