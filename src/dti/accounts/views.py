"""Two-step sign-in (TOTP, django-otp) for the secretariat and reviewers, who change results: an authenticator
app's six-digit code after the password. Optional per account; once set up, it is asked at every sign-in."""

from __future__ import annotations

import base64

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from dti.accounts import services
from dti.accounts.models import Role
from dti.accounts.roles import require, role_of
from dti.web.client_address import client_address

TWO_FACTOR_ROLES = (Role.SECRETARIAT, Role.REVIEWER)


class CodeForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("Six-digit code from the authenticator app"), max_length=6,
                           min_length=6, widget=forms.TextInput(attrs={"inputmode": "numeric",
                                                                       "autocomplete": "one-time-code"}))


def _confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


@login_required
def two_factor_setup(request):
    """Set up (scan the code, confirm with a code) or turn off (with a code) the second step."""
    require(role_of(request.user) in TWO_FACTOR_ROLES)
    device = _confirmed_device(request.user)
    form = CodeForm(request.POST or None)
    if device is not None:
        if request.method == "POST" and form.is_valid():
            if device.verify_token(form.cleaned_data["code"]):
                services.turn_off_two_factor(device, by=request.user)
                messages.success(request, _("Two-step sign-in is off."))
                return redirect("accounts:two_factor")
            form.add_error("code", _("The code is wrong or too old."))
        return render(request, "accounts/two_factor.html", {"device": device, "form": form})
    pending = services.pending_two_factor(request.user)
    if request.method == "POST" and form.is_valid():
        if pending.verify_token(form.cleaned_data["code"]):
            services.turn_on_two_factor(pending, by=request.user)
            otp_login(request, pending)  # this session has just proved the second step
            messages.success(request, _("Two-step sign-in is on: the code is asked at every sign-in."))
            return redirect("accounts:two_factor")
        form.add_error("code", _("The code is wrong or too old."))
    qr = segno.make(pending.config_url, error="m").svg_data_uri(scale=5)
    secret = base64.b32encode(pending.bin_key).decode("ascii")
    return render(request, "accounts/two_factor.html", {"pending": pending, "form": form, "qr": qr,
                                                        "secret": " ".join(secret[i:i + 4]
                                                                           for i in range(0, len(secret), 4))})


@login_required
def two_factor_verify(request):
    """The second step of sign-in: the code of the account's authenticator."""
    device = _confirmed_device(request.user)
    target = request.GET.get("next") or request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        target = ""
    if device is None or request.user.is_verified():
        return redirect(target or "assessments:dashboard")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            otp_login(request, device)
            return redirect(target or "assessments:dashboard")
        allowed, _details = device.verify_is_allowed()
        form.add_error("code", _("The code is wrong or too old.") if allowed
                       else _("Too many wrong codes: wait a little before the next try."))
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next": target})


class ThrottledPasswordResetView(auth_views.PasswordResetView):
    """Django's password reset, answering the same page whatever is asked (no account is revealed), and
    sending no mail beyond the limits per e-mail address and per client address in an hour."""

    def form_valid(self, form):
        if not services.password_reset_may_send(form.cleaned_data["email"], client_address(self.request) or ""):
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)
