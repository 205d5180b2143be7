"""Vietnamese unless the visitor chose otherwise.

Django's LocaleMiddleware would follow the browser's Accept-Language, so an official whose browser is set
to English would get English pages. Here only an explicit choice (the language cookie set by the switch in
the header) changes the language; everyone else gets settings.LANGUAGE_CODE.
"""

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext as _

from dti.assessments.queries.kept import StillComputing, serving_a_page
from dti.engine.i18n import reset_language, use_language


class ChosenLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.languages = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if code not in self.languages:
            code = settings.LANGUAGE_CODE
        translation.activate(code)
        request.LANGUAGE_CODE = code
        token = use_language(code)  # the engine's messages (file faults, rules in words) follow the page
        try:
            response = self.get_response(request)
        finally:
            reset_language(token)
        response.headers.setdefault("Content-Language", code)
        return response


class RequestSizeLimitMiddleware:
    """Refuse a request whose body is larger than settings.DTI_MAX_REQUEST_BYTES from its Content-Length alone,
    before any of it is read: an oversized upload is answered at once instead of after minutes of sending.
    Placed after the language middleware, so that the answer is in the visitor's language."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.DTI_MAX_REQUEST_BYTES:
            text = _("The request is too large (%(size)s MB): files of at most %(limit)s MB are accepted.") % {
                "size": f"{length / 1024 / 1024:.1f}".replace(".", ","),
                "limit": settings.DTI_MAX_UPLOAD_BYTES // (1024 * 1024)}
            return HttpResponse(f"<!doctype html><html lang=\"{translation.get_language()}\"><meta charset=\"utf-8\">"
                                f"<title>413</title><p>{escape(text)}</p></html>", status=413)
        return self.get_response(request)


STILL_COMPUTING_RELOAD_SECONDS = 3  # a national period's results take about five seconds to compute


class ServingPagesMiddleware:
    """A GET or HEAD request is a page being served: what is computed once per change may come from the most
    recent computation while the worker computes the current one (``queries.kept``; the page says so). Every
    other request acts, and reads the current figures."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        with serving_a_page():
            return self.get_response(request)

    def process_exception(self, request, exception):
        """A large period's figures never computed yet: the worker computes them, the page says so and comes
        back by itself (202: accepted, not yet done)."""
        if not isinstance(exception, StillComputing):
            return None
        period = exception.period
        return render(request, "still_computing.html", {
            "period": period, "units": period.participations.count(), "again_in": STILL_COMPUTING_RELOAD_SECONDS},
            status=202)
