"""The Django project: settings, URLs, WSGI, shared templates and vendored static files."""
