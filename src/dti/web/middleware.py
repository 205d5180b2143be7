"""Vietnamese unless the visitor chose otherwise.

Django's LocaleMiddleware would follow the browser's Accept-Language, so an official whose browser is set
to English would get English pages. Here only an explicit choice (the language cookie set by the switch in
the header) changes the language; everyone else gets settings.LANGUAGE_CODE.
"""

from django.conf import settings
from django.utils import translation

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
