"""The periods' screens: the dashboard, the list and one period, its moves, its units and reviewers, its results
and its progress board. Thin views: they check scope, validate with a form and call one action."""

from __future__ import annotations

import datetime
from dataclasses import replace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dti.accounts.models import Role
from dti.accounts.roles import is_secretariat, reads_everything, require, require_secretariat
from dti.assessments import policy
from dti.assessments.actions import declarations, notifications
from dti.assessments.actions.imports import import_results
from dti.assessments.actions.periods import (
    add_participants,
    add_participation,
    advance_period,
    assign_reviewer,
    change_timeline,
    create_period,
    remind_units,
    remove_participation,
)
from dti.assessments.models import Participation, Period, Unit
from dti.assessments.queries import progress
from dti.assessments.queries.overview import year_overview
from dti.assessments.queries.presentation import (
    period_tables_or_problem,
    provisional_tables,
    visible_unit_names,
)
from dti.assessments.scope import can_read_period, visible_participations, visible_periods
from dti.assessments.views.forms import (
    AdvanceForm,
    AssignmentForm,
    ParticipationForm,
    PeriodForm,
    ResultsUploadForm,
    TimelineForm,
)
from dti.assessments.views.helpers import errors_text, one_page, saved_upload
from dti.engine import DtiError
from dti.engine.names import search_key
from dti.web.names import glossary_of
from dti.web.query import id_or_none


@login_required
def dashboard(request):
    membership = getattr(request.user, "membership", None)
    own = (Participation.objects.filter(unit=membership.unit, period__state=Period.State.DECLARING)
           .select_related("unit", "period") if membership and membership.unit_id else [])
    waiting_mail = notifications.undelivered().count() if is_secretariat(request.user) else 0
    # The year at a glance for those who read everything: each period still at work.
    overviews = ([year_overview(p) for p in Period.objects.filter(state__in=policy.AT_WORK).select_related("framework")]
                 if reads_everything(request.user) else [])
    return render(request, "assessments/dashboard.html",
                  {"periods": visible_periods(request.user), "declarations": own, "waiting_mail": waiting_mail,
                   "overviews": overviews})




@login_required
def period_list(request):
    form = None
    if is_secretariat(request.user):
        form = PeriodForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            period = create_period(
                by=request.user, **{k: v for k, v in data.items() if k != "add_units"})
            if data["add_units"]:
                codes = period.framework.groups.values_list("code", flat=True)
                try:
                    units = Unit.objects.active_in(period.year).filter(group_code__in=codes)
                    add_participants(period, list(units), by=request.user)
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
    page, keep = one_page(request, visible_participations(request.user, period).select_related("unit", "group")
                          .order_by("group__position", "position", "unit__name"))
    context = {
        "period": period,
        "transitions": period.transitions.select_related("by"),
        "participations": page.object_list, "page": page, "keep": keep,
        "moves": [(state, Period.State(state).label, policy.timeline_warnings(period, state))
                  for state in policy.next_period_states(period)],
        "assignments": period.reviewer_assignments.select_related("reviewer", "group"),
    }
    if is_secretariat(request.user):
        context.update(advance_form=AdvanceForm(), results_form=ResultsUploadForm(),
                       assignment_form=AssignmentForm(period=period),
                       participation_form=ParticipationForm(period=period),
                       timeline_form=TimelineForm(instance=period) if not policy.timeline_refusal(period) else None,
                       editable=period.state in policy.UNITS_JOIN_OR_LEAVE)
    return render(request, "assessments/period.html", context)


@login_required
@require_POST
def period_advance(request, period_id: int):
    require_secretariat(request.user)
    period = get_object_or_404(Period, pk=period_id)
    form = AdvanceForm(request.POST)
    if form.is_valid() and not form.cleaned_data["confirmed"]:
        to_state = form.cleaned_data["to_state"]
        return render(request, "assessments/period_move.html", {
            "period": period, "to_state": to_state, "to_label": Period.State(to_state).label,
            "note": form.cleaned_data["note"], "refusal": policy.period_move_refusal(period, to_state),
            "warnings": policy.timeline_warnings(period, to_state), "summary": progress.move_summary(period, to_state),
            # the decision is named only where the move concerns it
            "decision_number": period.decision_settings.get("number", "")
            if to_state in (Period.State.FINALIZED, Period.State.PUBLISHED) else None})
    if form.is_valid():
        try:
            advance_period(period, form.cleaned_data["to_state"], by=request.user,
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
def period_timeline(request, period_id: int):
    require_secretariat(request.user)
    period = get_object_or_404(Period, pk=period_id)
    form = TimelineForm(request.POST, instance=period)  # the action reads the period again, locked
    if not form.is_valid():
        messages.error(request, errors_text(form))
        return redirect("assessments:period", period.pk)
    try:
        changed = change_timeline(period, {name: form.cleaned_data[name] for name in TimelineForm.Meta.fields},
                                  by=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The timeline was changed.") if changed else _("The timeline is unchanged."))
    return redirect("assessments:period", period.pk)


@login_required
@require_POST
def period_import_results(request, period_id: int):
    require_secretariat(request.user)
    period = get_object_or_404(Period, pk=period_id)
    form = ResultsUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, errors_text(form))
        return redirect("assessments:period", period.pk)
    upload = form.cleaned_data["file"]
    with saved_upload(upload) as path:
        try:
            results = import_results(period, path, by=request.user)
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
            add_participation(period, **form.cleaned_data, by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("“%s” joins the period.") % form.cleaned_data["unit"].name)
    else:
        messages.error(request, errors_text(form))
    return redirect("assessments:period", period.pk)


@login_required
@require_POST
def period_remove_unit(request, period_id: int, participation_id: int):
    require_secretariat(request.user)
    participation = get_object_or_404(Participation, pk=participation_id, period_id=period_id)
    try:
        remove_participation(participation, by=request.user)
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
            assign_reviewer(period, **form.cleaned_data, by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Reviewer assigned."))
    else:
        messages.error(request, errors_text(form))
    return redirect("assessments:period", period.pk)


@login_required
def period_results(request, period_id: int):
    period = get_object_or_404(Period.objects.select_related("framework"), pk=period_id)
    require(can_read_period(request.user, period))
    visible = visible_unit_names(request.user, period)
    partial = visible is not None
    tables, problem = period_tables_or_problem(period, visible)
    # While the year's work goes on, the units that have sent their declaration, scored provisionally.
    provisional = provisional_tables(period, visible) if problem and period.state not in policy.LOCKED else None
    query = request.GET.get("q", "")
    shown, page, keep = _page_of_tables(request, tables or (provisional.tables if provisional else []), query)
    if provisional:
        provisional = replace(provisional, tables=shown)
        unreviewed = list(provisional.unreviewed.items())
    else:
        tables, unreviewed = shown, []
    return render(request, "assessments/results.html",
                  {"period": period, "glossary": glossary_of([period.framework.parsed]), "tables": tables,
                   "problem": problem, "partial": partial,
                   "provisional": provisional, "page": page, "keep": keep, "query": query,
                   "unreviewed": unreviewed[:UNREVIEWED_NAMED], "unreviewed_more": len(unreviewed) - UNREVIEWED_NAMED,
                   "unit_officer": getattr(getattr(request.user, "membership", None), "role", "") == Role.UNIT_OFFICER})


UNREVIEWED_NAMED = 20  # units named as not yet reviewed in full; the rest are counted


def _page_of_tables(request, tables, query: str):
    """The tables' rows of the page asked for (the same rows of every group), after a search by name with or
    without diacritics: a national group's 3,321 rows come 50 at a time."""
    if query.strip():
        needle = search_key(query)
        tables = [replace(t, rows=tuple(r for r in t.rows if needle in search_key(r.unit))) for t in tables]
    page, keep = one_page(request, range(max((len(t.rows) for t in tables), default=0)))
    start = (page.number - 1) * page.paginator.per_page
    return [replace(t, rows=t.rows[start:start + page.paginator.per_page]) for t in tables], page, keep


@login_required
def period_progress(request, period_id: int):
    """Where every unit stands: not started, draft, submitted, returned, reviewed; late units; open questions."""
    period = get_object_or_404(Period, pk=period_id)
    require(reads_everything(request.user))
    today = timezone.localdate()
    closed = bool(period.declaration_closes and today > period.declaration_closes)
    rows, counts = progress.progress_board(period, policy.UNIT_EDITS, closed)
    waiting = [row for row in rows if row["waiting"]]
    # Filters: one state, or the units late (or not yet sent, before the deadline).
    state, late, query = request.GET.get("trang-thai", ""), request.GET.get("tre") == "1", request.GET.get("q", "")
    if state in progress.PROGRESS_STATES:
        rows = [row for row in rows if row["state_key"] == state]
    if late:
        rows = [row for row in rows if row["waiting"]]
    if query.strip():  # by name, with or without diacritics, as the queue searches
        needle = search_key(query)
        rows = [row for row in rows if needle in search_key(row["participation"].name)]
    page, keep = one_page(request, rows)
    return render(request, "assessments/progress.html", {
        "period": period, "rows": page.object_list, "page": page, "keep": keep, "closed": closed, "state": state,
        "late": late, "query": query, "waiting": len(waiting),
        "can_remind": is_secretariat(request.user) and not policy.reminder_refusal(period),
        "states": list(progress.PROGRESS_STATES.items()),
        "counts": [(key, label, counts.get(key, 0)) for key, label in progress.PROGRESS_STATES.items()]})


@login_required
@require_POST
def period_remind(request, period_id: int):
    """Reminders from the progress board: to one unit, or to every unit that has not sent its declaration."""
    require_secretariat(request.user)
    period = get_object_or_404(Period, pk=period_id)
    chosen = period.participations.all()
    if request.POST.get("participation"):
        chosen = chosen.filter(pk=id_or_none(request.POST["participation"]))
    try:
        names = remind_units(period, list(chosen), by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Reminder sent to %(count)d units: %(units)s.")
                         % {"count": len(names), "units": ", ".join(names[:10]) + ("…" if len(names) > 10 else "")})
    return redirect("assessments:period_progress", period.pk)


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
