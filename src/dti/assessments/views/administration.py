"""The secretariat's set-up screens: frameworks, units, accounts, the outbox and the change log."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.contrib import messages
from django.contrib.auth import get_user_model, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dti.accounts.models import Role
from dti.accounts.roles import reads_everything, require, require_secretariat
from dti.accounts.services import create_account, edit_account, import_accounts, set_active, set_password
from dti.assessments.actions import notifications
from dti.assessments.actions.frameworks import framework_text_of_file, import_framework
from dti.assessments.actions.units import (
    import_register_units,
    import_units,
    merge_units,
    record_lineage,
    save_unit,
)
from dti.assessments.models import AuditEntry, FrameworkVersion, Period, Unit
from dti.assessments.queries.audit_log import describe
from dti.assessments.queries.register import former_units
from dti.assessments.views.forms import (
    AccountForm,
    AccountsUploadForm,
    FrameworkUploadForm,
    LineageForm,
    MergeForm,
    NewPasswordForm,
    RegisterImportForm,
    UnitForm,
    UserForm,
    group_choices,
)
from dti.assessments.views.helpers import errors_text, one_page, saved_upload
from dti.documents.account_sheet import account_template
from dti.documents.bounded_yaml import load_yaml
from dti.documents.unit_sheet import unit_template
from dti.engine import DtiError
from dti.engine.names import search_key
from dti.web.query import id_or_none

LOG_PAGE = 100  # entries per page of the log


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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
                with saved_upload(upload) as path:
                    text = framework_text_of_file(path)
                version, new = import_framework(text, upload.name, by=request.user)
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
            unit = save_unit(form, by=request.user)
            messages.success(request, _("Unit “%s” added.") % unit.name)
            return redirect("assessments:units")
    query = request.GET.get("q", "")
    units = Unit.objects.all()
    if query.strip():  # by name, with or without diacritics, as every list of units searches
        needle = search_key(query)
        units = units.filter(pk__in=[pk for pk, name in Unit.objects.values_list("pk", "name")
                                     if needle in search_key(name)])
    page, keep = one_page(request, units)
    shown = [unit.pk for unit in page.object_list]
    return render(request, "assessments/units.html", {"units": page.object_list, "page": page, "keep": keep,
                                                      "query": query, "form": form,
                                                      "merge_form": MergeForm(offered=shown),
                                                      "register_form": RegisterImportForm()})


def _groups_of_the_sheet() -> dict[str, str]:
    """What a units sheet may hold for a group (the label the template offers, or the code) → the code."""
    choices = [(code, label) for code, label in group_choices() if code]
    return {label: code for code, label in choices} | {code: code for code, _label in choices}


@login_required
def units_template(request):
    """The units workbook to fill: the groups of the frameworks held to choose from."""
    require_secretariat(request.user)
    content = unit_template([label for code, label in group_choices() if code])
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = content_disposition_header(True, "mau-don-vi.xlsx")
    return response


@login_required
@require_POST
def units_import(request):
    require_secretariat(request.user)
    form = AccountsUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, errors_text(form))
        return redirect("assessments:units")
    with saved_upload(form.cleaned_data["file"]) as path:
        try:
            added = import_units(path, groups=_groups_of_the_sheet(), by=request.user)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect("assessments:units")
    messages.success(request, _("%(count)d units added from the file.") % {"count": len(added)})
    return redirect("assessments:units")


@login_required
@require_POST
def units_from_register(request):
    require_secretariat(request.user)
    form = RegisterImportForm(request.POST)
    if not form.is_valid():
        messages.error(request, errors_text(form, labelled=True))
        return redirect("assessments:units")
    data = form.cleaned_data
    try:
        done = import_register_units(data["province"], group_code=data["group_code"], year=data["year"],
                                     by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("From the register: %(created)d units added, %(coded)d given their official "
                                    "code, %(present)d already there.")
                         % {"created": len(done.created), "coded": len(done.coded), "present": done.present})
    return redirect("assessments:units")


@login_required
@require_POST
def units_merge(request):
    require_secretariat(request.user)
    form = MergeForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            unit = merge_units(list(data["predecessors"]), name=data["name"], short_name=data["short_name"],
                               group_code=data["group_code"], year=data["year"], by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("%(count)d units merged into “%(unit)s”.")
                             % {"count": len(data["predecessors"]), "unit": unit.name})
            return redirect("assessments:unit", unit.pk)
    else:
        messages.error(request, errors_text(form, labelled=True))
    return redirect("assessments:units")


@login_required
def unit_edit(request, unit_id: int):
    require_secretariat(request.user)
    unit = get_object_or_404(Unit, pk=unit_id)
    posting_lineage = request.method == "POST" and "predecessor" in request.POST
    form = UnitForm(request.POST if request.method == "POST" and not posting_lineage else None, instance=unit)
    lineage_form = LineageForm(request.POST if posting_lineage else None, unit=unit)
    if posting_lineage and lineage_form.is_valid():
        record_lineage(lineage_form, by=request.user)
        messages.success(request, _("Lineage recorded."))
        return redirect("assessments:unit", unit.pk)
    if request.method == "POST" and not posting_lineage and form.is_valid():
        save_unit(form, by=request.user)
        messages.success(request, _("Unit “%s” saved.") % unit.name)
        return redirect("assessments:units")
    return render(request, "assessments/unit_edit.html", {
        "unit": unit, "form": form, "lineage_form": lineage_form,
        "renames": unit.renames.all(),
        "predecessors": unit.predecessor_links.select_related("predecessor"),
        "successors": unit.successor_links.select_related("unit"),
        "former": former_units(unit.official_code) if unit.official_code else []})


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
def user_edit(request, user_id: int):
    """One account: who it is (name, address, role, unit) and a new password, each its own form."""
    require_secretariat(request.user)
    account = get_object_or_404(get_user_model().objects.select_related("membership__unit"), pk=user_id)
    membership = getattr(account, "membership", None)
    initial = {"full_name": account.first_name, "email": account.email,
               "role": membership.role if membership else "", "unit": membership.unit if membership else None}
    form = AccountForm(account=account, initial=initial)
    password_form = NewPasswordForm()
    if request.method == "POST" and "password" in request.POST:
        password_form = NewPasswordForm(request.POST)
        if password_form.is_valid():
            try:
                set_password(account, password_form.cleaned_data["password"], by=request.user)
            except ValidationError as exc:
                password_form.add_error("password", exc)
            else:
                if account == request.user:
                    update_session_auth_hash(request, account)  # the other sessions end, not this one
                messages.success(request, _("The new password of “%s” is set.") % account.username)
                return redirect("assessments:users")
    elif request.method == "POST":
        form = AccountForm(request.POST, account=account, initial=initial)
        if form.is_valid():
            data = form.cleaned_data
            try:
                changed = edit_account(account, full_name=data["full_name"], email=data["email"], role=data["role"],
                                       unit=data["unit"], by=request.user)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, (_("Account “%s” changed.") if changed else _("Account “%s” unchanged."))
                                 % account.username)
                return redirect("assessments:users")
    return render(request, "assessments/user.html", {"account": account, "form": form,
                                                     "password_form": password_form})


@login_required
def accounts_template(request):
    """The accounts workbook to fill: roles to choose from, the units by name."""
    require_secretariat(request.user)
    content = account_template([str(label) for _value, label in Role.choices],
                               list(Unit.objects.order_by("name").values_list("name", flat=True)))
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = content_disposition_header(True, "mau-tai-khoan.xlsx")
    return response


@login_required
@require_POST
def accounts_import(request):
    require_secretariat(request.user)
    form = AccountsUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, errors_text(form))
        return redirect("assessments:users")
    with saved_upload(form.cleaned_data["file"]) as path:
        try:
            created = import_accounts(path, by=request.user)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect("assessments:users")
    mailed = sum(1 for account in created if account.email)
    messages.success(request, _("%(count)d accounts created; %(mailed)d were sent a link to choose their password.")
                     % {"count": len(created), "mailed": mailed})
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
