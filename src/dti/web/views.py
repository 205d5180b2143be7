"""The language switch, without a form token: public pages carry no per-visitor data, so they can be kept in
the cache and served to everyone."""

from django.conf import settings
from django.http import HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme


def choose_language(request):
    """Remember the language chosen in the header (a cookie, read by ChosenLanguageMiddleware) and go back."""
    target = request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        target = "/"
    response = HttpResponseRedirect(target)
    code = request.GET.get("language")
    if code in {c for c, _ in settings.LANGUAGES}:
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, code, samesite="Lax",
                            max_age=settings.LANGUAGE_COOKIE_AGE or 365 * 24 * 3600,
                            secure=settings.SESSION_COOKIE_SECURE)
    return response
