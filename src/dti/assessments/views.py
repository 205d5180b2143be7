"""Screens of the assessment: thin views that check scope, validate with a form and call one service."""

from __future__ import annotations

import datetime
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dti.accounts.models import Role
from dti.accounts.scope import (
    can_read_period,
    is_secretariat,
    reads_everything,
    require,
    require_secretariat,
    visible_participations,
    visible_periods,
)
from dti.accounts.services import create_account, set_active
from dti.documents.bounded_yaml import load_yaml
from dti.engine import DtiError
from dti.web.query import id_or_none

from . import declarations, notifications, policy, progress, services
from .audit import describe
from .forms import (
    AdvanceForm,
    AssignmentForm,
    FrameworkUploadForm,
    LineageForm,
    ParticipationForm,
    PeriodForm,
    ResultsUploadForm,
    UnitForm,
    UserForm,
)
from .models import AuditEntry, Declaration, FrameworkVersion, Participation, Period, Unit
from .presentation import period_tables_or_problem, visible_unit_names


@contextmanager
def _saved_upload(upload) -> Iterator[Path]:
    """An uploaded file on disk under its own name, for the readers that take a path; removed afterwards."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / Path(upload.name).name
        path.write_bytes(upload.read())
        yield path


def _errors_text(form) -> str:
    return " ".join(error for errors in form.errors.values() for error in errors)


@login_required
def dashboard(request):
    membership = getattr(request.user, "membership", None)
    own = (Participation.objects.filter(unit=membership.unit, period__state=Period.State.DECLARING)
           .select_related("unit", "period") if membership and membership.unit_id else [])
    waiting_mail = notifications.undelivered().count() if is_secretariat(request.user) else 0
    return render(request, "assessments/dashboard.html",
                  {"periods": visible_periods(request.user), "declarations": own, "waiting_mail": waiting_mail})


@login_required
def outbox(request):
    """The secretariat's view of the mail not delivered yet, with its errors; "Gửi lại" tries them all again."""
    require_secretariat(request.user)
    if request.method == "POST":
        sent, waiting = notifications.deliver_waiting()
        messages.success(request, _("%(sent)s sent; %(waiting)s still waiting.") % {"sent": sent, "waiting": waiting})
        return redirect("assessments:outbox")
    return render(request, "assessments/outbox.html", {"waiting": notifications.undelivered()[:200],
                                                       "count": notifications.undelivered().count()})


LOG_PAGE = 100  # entries per page of the log


@login_required
def change_log(request):
    """Changes outside any unit's declaration, newest first: a period's (?ky=…), or frameworks', units' and
    accounts'."""
    require(reads_everything(request.user))
    periods = Period.objects.order_by("-year", "-pk")
    period = periods.filter(pk=id_or_none(request.GET.get("ky")) or 0).first()
    entries = (AuditEntry.objects.filter(participation__isnull=True, period=period).select_related("by")
               .order_by("-at", "-pk"))
    page = Paginator(entries, LOG_PAGE).get_page(request.GET.get("trang"))
    lines = [{"at": e.at, "sentence": describe(e), "reason": e.reason} for e in page]
    return render(request, "assessments/log.html", {"periods": periods, "period": period, "page": page,
                                                    "lines": lines})


@login_required
def framework_list(request):
    require(reads_everything(request.user))
    form = FrameworkUploadForm()
    if request.method == "POST":
        require_secretariat(request.user)
        form = FrameworkUploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                with _saved_upload(upload) as path:
                    text = services.framework_text_of_file(path)
                version, new = services.import_framework(text, upload.name, by=request.user)
            except DtiError as exc:
                form.add_error("file", str(exc))
            else:
                messages.success(request, (_("Imported %(name)s, version %(version)s.") if new else
                                           _("%(name)s version %(version)s already holds this file."))
                                 % {"name": version.name, "version": version.version})
                return redirect("assessments:framework", version.pk)
    return render(request, "assessments/frameworks.html",
                  {"frameworks": FrameworkVersion.objects.all(), "form": form})


@login_required
def framework_detail(request, framework_id: int):
    require(reads_everything(request.user))
    version = get_object_or_404(FrameworkVersion, pk=framework_id)
    return render(request, "assessments/framework.html", {"version": version, "framework": version.parsed})


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _annex_response(data: dict | None, filename: str) -> HttpResponse:
    from dti.documents.annex import write_annex

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "annex.xlsx"
        write_annex(data, path)
        response = HttpResponse(path.read_bytes(), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@login_required
def framework_template(request):
    require(reads_everything(request.user))
    return _annex_response(None, "bang-phu-luc-bo-chi-so-mau.xlsx")


@login_required
def framework_annex(request, framework_id: int):
    require(reads_everything(request.user))
    version = get_object_or_404(FrameworkVersion, pk=framework_id)
    return _annex_response(load_yaml(version.text), f"{version.code}-v{version.version}.xlsx")


@login_required
def unit_list(request):
    require(reads_everything(request.user))
    form = UnitForm()
    if request.method == "POST":
        require_secretariat(request.user)
        form = UnitForm(request.POST)
        if form.is_valid():
            unit = services.save_unit(form, by=request.user)
            messages.success(request, _("Unit “%s” added.") % unit.name)
            return redirect("assessments:units")
    return render(request, "assessments/units.html", {"units": Unit.objects.all(), "form": form})


@login_required
def unit_edit(request, unit_id: int):
    require_secretariat(request.user)
    unit = get_object_or_404(Unit, pk=unit_id)
    posting_lineage = request.method == "POST" and "predecessor" in request.POST
    form = UnitForm(request.POST if request.method == "POST" and not posting_lineage else None, instance=unit)
    lineage_form = LineageForm(request.POST if posting_lineage else None, unit=unit)
    if posting_lineage and lineage_form.is_valid():
        services.record_lineage(lineage_form, by=request.user)
        messages.success(request, _("Lineage recorded."))
        return redirect("assessments:unit", unit.pk)
    if request.method == "POST" and not posting_lineage and form.is_valid():
        services.save_unit(form, by=request.user)
        messages.success(request, _("Unit “%s” saved.") % unit.name)
        return redirect("assessments:units")
    return render(request, "assessments/unit_edit.html", {
        "unit": unit, "form": form, "lineage_form": lineage_form,
        "renames": unit.renames.all(),
        "predecessors": unit.predecessor_links.select_related("predecessor"),
        "successors": unit.successor_links.select_related("unit")})


@login_required
@require_POST
def user_toggle_active(request, user_id: int):
    require_secretariat(request.user)
    account = get_object_or_404(get_user_model(), pk=user_id)
    if account == request.user:
        messages.error(request, _("You cannot disable your own account."))
    else:
        set_active(account, not account.is_active, by=request.user)
        messages.success(request, (_("Account “%s” enabled.") if account.is_active else _("Account “%s” disabled."))
                         % account.username)
    return redirect("assessments:users")


@login_required
def user_list(request):
    require_secretariat(request.user)
    form = UserForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = create_account(username=data["username"], password=data["password"], role=data["role"],
                              full_name=data["full_name"], email=data["email"], unit=data["unit"], by=request.user)
        messages.success(request, _("Account “%s” created.") % user.username)
        return redirect("assessments:users")
    users = get_user_model().objects.select_related("membership__unit").order_by("username")
    return render(request, "assessments/users.html", {"users": users, "form": form})


@login_required
def period_list(request):
    form = None
    if is_secretariat(request.user):
        form = PeriodForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            period = services.create_period(
                by=request.user, **{k: v for k, v in data.items() if k != "add_units"})
            if data["add_units"]:
                codes = period.framework.groups.values_list("code", flat=True)
                try:
                    services.add_participants(period, list(Unit.objects.filter(group_code__in=codes)),
                                              by=request.user)
                except ValidationError as exc:
                    messages.error(request, " ".join(exc.messages))
            messages.success(request, _("Period “%s” created.") % period.name)
            return redirect("assessments:period", period.pk)
    elif request.method == "POST":
        require(False)
    return render(request, "assessments/periods.html", {"periods": visible_periods(request.user), "form": form})


@login_required
def period_detail(request, period_id: int):
    period = get_object_or_404(Period.objects.select_related("framework"), pk=period_id)
    require(can_read_period(request.user, period))
    context = {
        "period": period,
        "transitions": period.transitions.select_related("by"),
        "participations": visible_participations(request.user, period).select_related("unit", "group"),
        "moves": [(state, Period.State(state).label) for state in policy.next_period_states(period)],
        "assignments": period.reviewer_assignments.select_related("reviewer", "group"),
    }
    if is_secretariat(request.user):
        context.update(advance_form=AdvanceForm(), results_form=ResultsUploadForm(),
                       assignment_form=AssignmentForm(period=period),
                       participation_form=ParticipationForm(period=period),
                       editable=period.state in policy.UNITS_JOIN_OR_LEAVE)
    return render(request, "assessments/period.html", context)


@login_required
@require_POST
def period_advance(request, period_id: int):
    require_secretariat(request.user)
    period = get_object_or_404(Period, pk=period_id)
    form = AdvanceForm(request.POST)
    if form.is_valid():
        try:
            services.advance_period(period, form.cleaned_data["to_state"], by=request.user,
                                    note=form.cleaned_data["note"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        except DtiError as exc:
            messages.error(request, _("The results cannot be computed yet: %s") % exc)
        else:
            period.refresh_from_db()
            messages.success(request, _("The period is now “%s”.") % period.get_state_display())
    return redirect("assessments:period", period.pk)


@login_required
@require_POST
def period_import_results(request, period_id: int):
    require_secretariat(request.user)
    period = get_object_or_404(Period, pk=period_id)
    form = ResultsUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _errors_text(form))
        return redirect("assessments:period", period.pk)
    upload = form.cleaned_data["file"]
    with _saved_upload(upload) as path:
        try:
            results = services.import_results(period, path, by=request.user)
        except (DtiError, ValidationError) as exc:
            text = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            messages.error(request, _("Nothing was imported: %s") % text)
        else:
            count = sum(len(g.units) for g in results.groups.values())
            messages.success(request, _("Imported the results of %d units.") % count)
    return redirect("assessments:period", period.pk)


@login_required
@require_POST
def period_add_unit(request, period_id: int):
    require_secretariat(request.user)
    period = get_object_or_404(Period, pk=period_id)
    form = ParticipationForm(request.POST, period=period)
    if form.is_valid():
        try:
            services.add_participation(period, **form.cleaned_data, by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("“%s” joins the period.") % form.cleaned_data["unit"].name)
    else:
        messages.error(request, _errors_text(form))
    return redirect("assessments:period", period.pk)


@login_required
@require_POST
def period_remove_unit(request, period_id: int, participation_id: int):
    require_secretariat(request.user)
    participation = get_object_or_404(Participation, pk=participation_id, period_id=period_id)
    try:
        services.remove_participation(participation, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("“%s” left the period.") % participation.unit.name)
    return redirect("assessments:period", period_id)


@login_required
@require_POST
def period_assign_reviewer(request, period_id: int):
    require_secretariat(request.user)
    period = get_object_or_404(Period, pk=period_id)
    form = AssignmentForm(request.POST, period=period)
    if form.is_valid():
        try:
            services.assign_reviewer(period, **form.cleaned_data, by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Reviewer assigned."))
    else:
        messages.error(request, _errors_text(form))
    return redirect("assessments:period", period.pk)


@login_required
def period_results(request, period_id: int):
    period = get_object_or_404(Period.objects.select_related("framework"), pk=period_id)
    require(can_read_period(request.user, period))
    visible = visible_unit_names(request.user, period)
    partial = visible is not None
    tables, problem = period_tables_or_problem(period, visible)
    return render(request, "assessments/results.html",
                  {"period": period, "tables": tables, "problem": problem, "partial": partial,
                   "unit_officer": getattr(getattr(request.user, "membership", None), "role", "") == Role.UNIT_OFFICER})


@login_required
def period_progress(request, period_id: int):
    """Where every unit stands: not started, draft, submitted, returned, reviewed; late units; open questions."""
    period = get_object_or_404(Period, pk=period_id)
    require(reads_everything(request.user))
    today = timezone.localdate()
    closed = bool(period.declaration_closes and today > period.declaration_closes)
    rows, counts = progress.progress_board(period, policy.UNIT_EDITS, closed)
    return render(request, "assessments/progress.html", {
        "period": period, "rows": rows, "closed": closed,
        "counts": [(label, counts.get(state, 0)) for state, label in Declaration.State.choices]})


@login_required
@require_POST
def declaration_reopen(request, participation_id: int):
    require_secretariat(request.user)
    participation = get_object_or_404(Participation.objects.select_related("period", "unit"), pk=participation_id)
    try:
        until = datetime.date.fromisoformat(request.POST.get("until", ""))
    except ValueError:
        messages.error(request, _("Give the new deadline as a date."))
        return redirect("assessments:period_progress", participation.period_id)
    try:
        declarations.reopen(participation, until=until, reason=request.POST.get("reason", ""), by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(unit)s may edit its declaration until %(date)s.")
                         % {"unit": participation.unit.name, "date": until.strftime("%d/%m/%Y")})
    return redirect("assessments:period_progress", participation.period_id)
