"""Pages and downloads of a period's documents: the decision's settings, the decision and appendices, open data
and each unit's report."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from dti.accounts.roles import is_secretariat, reads_everything, require
from dti.assessments.actions.periods import save_decision_settings
from dti.assessments.actions.prepared import ask_for_file
from dti.assessments.models import Participation, Period, PreparedFile
from dti.assessments.queries.period_files import (
    EXPORTERS,
    REPORT_TYPES,
    Download,
    decision_settings,
    document_list,
    is_draft,
    period_document,
    previous_decision_settings,
    unit_report_document,
    written_in_the_background,
)
from dti.assessments.queries.presentation import problem_text, visible_unit_names
from dti.assessments.scope import can_read_declaration
from dti.assessments.views.forms import DecisionSettingsForm
from dti.documents.decision import DecisionSettingsError, settings_from_mapping, settings_to_mapping
from dti.engine import DtiError


def download_response(request, make, period=None) -> HttpResponse:
    """The file ``make()`` writes, as an attachment; a page saying why when the results are not complete yet
    (naming only the units the reader may see in ``period``)."""
    try:
        download: Download = make()
    except DtiError as exc:
        visible = visible_unit_names(request.user, period) if period is not None else None
        return render(request, "assessments/document_unavailable.html", {"problem": problem_text(exc, visible)},
                      status=409)
    response = HttpResponse(download.content, content_type=download.content_type)
    response["Content-Disposition"] = content_disposition_header(True, download.filename)
    return response


@login_required
def decision_page(request, period_id: int):
    period = get_object_or_404(Period.objects.select_related("framework"), pk=period_id)
    require(reads_everything(request.user))
    groups = period.framework.groups.order_by("position")
    editable = is_secretariat(request.user) and period.state != Period.State.PUBLISHED
    current = settings_to_mapping(decision_settings(period))
    previous = previous_decision_settings(period) if editable and not period.decision_settings else None
    copying = previous is not None and request.method == "GET" and request.GET.get("chep") == "1"
    if copying:
        current = previous[1]
        messages.info(request, _("Copied from “%s”: the number and the signing date are blank. Check the year in "
                                 "the articles before saving; nothing is saved until you save.") % previous[0].name)
    form = DecisionSettingsForm(initial=DecisionSettingsForm.initial_from(current), groups=groups)
    if request.method == "POST":
        require(editable)
        form = DecisionSettingsForm(request.POST, groups=groups)
        if form.is_valid():
            try:
                settings_from_mapping(form.mapping(), period.name)  # the documents' own checks
            except DecisionSettingsError as exc:
                form.add_error(None, exc.fault)
            else:
                save_decision_settings(period, form.mapping(), by=request.user)
                messages.success(request, _("The decision settings are saved."))
                return redirect("assessments:period_decision", period.pk)
    return render(request, "assessments/decision.html", {
        "period": period, "form": form, "editable": editable, "draft": is_draft(period),
        "saved": bool(period.decision_settings), "documents": document_list(),
        "previous": previous[0] if previous and not copying else None, **prepared_context(period)})


@login_required
def period_download(request, period_id: int, name: str):
    period = get_object_or_404(Period.objects.select_related("framework"), pk=period_id)
    require(reads_everything(request.user))
    if name not in EXPORTERS:
        raise Http404
    if written_in_the_background(period, name):
        messages.info(request, _("This period has many units: its documents are written by the worker, all in one "
                                 "ZIP file. Ask for them below; this page shows how far it has got."))
        return redirect(reverse("assessments:period_decision", args=[period.pk]) + "#prepared")
    return download_response(request, lambda: period_document(period, name))


@login_required
def unit_report_download(request, participation_id: int, kind: str):
    participation = get_object_or_404(Participation.objects.select_related("period__framework", "unit", "group"),
                                      pk=participation_id)
    require(can_read_declaration(request.user, participation))
    if kind not in REPORT_TYPES:
        raise Http404
    return download_response(request, lambda: unit_report_document(participation, kind), participation.period)


@login_required
def prepared_files(request, period_id: int):
    """The period's files prepared in the background, with their progress (the decision page polls this list
    while one is being made); a POST asks for one."""
    period = get_object_or_404(Period.objects.select_related("framework"), pk=period_id)
    require(reads_everything(request.user))
    if request.method == "POST":
        kind = request.POST.get("kind", "")
        if kind not in PreparedFile.Kind.values:
            raise Http404
        prepared = ask_for_file(period, kind, by=request.user)
        messages.success(request, _("“%s” is being prepared; this page shows how far it has got.")
                         % prepared.get_kind_display())
        return redirect(reverse("assessments:period_decision", args=[period.pk]) + "#prepared")
    return render(request, "assessments/_prepared.html", prepared_context(period))


def prepared_context(period: Period) -> dict:
    files = list(period.prepared_files.select_related("requested_by")[:5])
    return {"period": period, "prepared": files, "kinds": PreparedFile.Kind.choices,
            "working": any(f.state in (PreparedFile.State.WAITING, PreparedFile.State.RUNNING) for f in files)}


@login_required
def prepared_download(request, period_id: int, prepared_id: int):
    prepared = get_object_or_404(PreparedFile, pk=prepared_id, period_id=period_id, state=PreparedFile.State.DONE)
    require(reads_everything(request.user))
    return FileResponse(prepared.file.open("rb"), as_attachment=True, filename=prepared.filename,
                        content_type="application/zip")
