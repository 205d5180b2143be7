"""The public side: published results only, no login."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404, render

from dti.assessments.document_views import download_response
from dti.assessments.models import Participation, Period
from dti.assessments.period_documents import PERIOD_DOCUMENTS, REPORT_TYPES, period_document, unit_report_document
from dti.assessments.presentation import period_tables


def _published(period_id: int) -> Period:
    return get_object_or_404(Period.objects.select_related("framework"), pk=period_id, state=Period.State.PUBLISHED)


def _page(period: Period) -> dict:
    participations = period.participations.select_related("unit", "group").order_by("group__position", "position")
    return {"period": period, "tables": period_tables(period), "documents": list(PERIOD_DOCUMENTS),
            "participations": participations}


def home(request):
    published = Period.objects.filter(state=Period.State.PUBLISHED).select_related("framework")
    latest = published.first()
    return render(request, "portal/home.html", {"periods": published, **(_page(latest) if latest else {})})


def period_results(request, period_id: int):
    return render(request, "portal/period.html", _page(_published(period_id)))


def download(request, period_id: int, name: str):
    period = _published(period_id)
    if name not in PERIOD_DOCUMENTS:
        raise Http404
    return download_response(request, lambda: period_document(period, name))


def unit_report(request, period_id: int, participation_id: int, kind: str):
    participation = get_object_or_404(Participation.objects.select_related("unit", "group"), pk=participation_id,
                                      period=_published(period_id))
    if kind not in REPORT_TYPES:
        raise Http404
    return download_response(request, lambda: unit_report_document(participation, kind))
