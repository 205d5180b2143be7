from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "dti.portal"
    label = "portal"
    verbose_name = _("Public portal")

    def ready(self):
        from dti.web import static_files  # noqa: F401 — registers the deploy check that static files are collected
