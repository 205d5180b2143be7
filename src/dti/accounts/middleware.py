"""Signed in with a password but not yet with the second step: the working pages wait for the code."""

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

PROTECTED_PREFIXES = ("/quan-ly/", "/django-admin/")


class SecondStepMiddleware:
    """After django_otp's OTPMiddleware: an account with a confirmed authenticator reaches the working pages only
    once this session has given a code. The public portal and the API are public anyway."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (user.is_authenticated and request.path.startswith(PROTECTED_PREFIXES) and not user.is_verified()
                and _has_authenticator(user)):
            return redirect(f"{reverse('accounts:two_factor_verify')}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)


def _has_authenticator(user) -> bool:
    known = getattr(user, "has_authenticator", None)  # read with the user by accounts.backends.AccountBackend
    if known is not None:
        return known
    from django_otp import user_has_device

    return user_has_device(user, confirmed=True)
