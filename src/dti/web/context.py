from dti.assessments.queries import kept


def figures_as_of(request):
    """When the figures of the page were computed, where some are not yet the current ones (``queries.kept``)."""
    return {"figures_as_of": kept.figures_as_of()}
