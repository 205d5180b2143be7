"""The public side: published results only, no login."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, render

from dti.assessments.models import Period
from dti.assessments.presentation import period_tables


def home(request):
    published = Period.objects.filter(state=Period.State.PUBLISHED).select_related("framework")
    latest = published.first()
    return render(request, "portal/home.html", {
        "period": latest, "periods": published,
        "tables": period_tables(latest) if latest else [],
    })


def period_results(request, period_id: int):
    period = get_object_or_404(Period.objects.select_related("framework"), pk=period_id,
                               state=Period.State.PUBLISHED)
    return render(request, "portal/period.html", {"period": period, "tables": period_tables(period)})
