from django.conf import settings

from dti.assessments.queries import kept


def figures_as_of(request):
    """When the figures of the page were computed, where some are not yet the current ones (``queries.kept``),
    and whether the worker that computes them again is late (none running)."""
    as_of = kept.figures_as_of()
    return {"figures_as_of": as_of, "worker_late": as_of is not None and kept.worker_is_late()}


def site_url(request):
    """The site's own address (DTI_SITE_URL), for the addresses a shared link's preview names."""
    return {"site_url": settings.DTI_SITE_URL}


def chart_words(request):
    """The words dti.js writes beside and into every chart's downloads (its buttons, the CSV's headers), in the
    page's language: the script has no catalogue of its own."""
    from django.utils.translation import gettext as _

    return {"chart_words": {
        "png": _("Chart (PNG)"), "csv": _("Data (CSV)"), "unit": _("Unit"), "pillar": _("Pillar"),
        "grade": _("Grade"), "lowest_rank": _("Rank, 5th percentile"), "highest_rank": _("Rank, 95th percentile"),
        "category": _("Category"), "count": _("Number of units"), "year": _("Year")}}
