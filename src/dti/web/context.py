from dti.assessments.queries import kept


def figures_as_of(request):
    """When the figures of the page were computed, where some are not yet the current ones (``queries.kept``),
    and whether the worker that computes them again is late (none running)."""
    as_of = kept.figures_as_of()
    return {"figures_as_of": as_of, "worker_late": as_of is not None and kept.worker_is_late()}
