"""A framework as a period uses it: the file's text, kept immutable once in use, and its groups."""

from __future__ import annotations

from functools import cached_property

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from dti.engine import Framework

_PARSED_FRAMEWORKS: dict[str, Framework] = {}  # SHA-256 of a framework file → its parsed framework


class FrameworkVersion(models.Model):
    """One version of a framework file. Immutable once a period uses it: a change is a new version."""

    code = models.CharField(_("code"), max_length=100)
    version = models.PositiveIntegerField(_("version"))
    name = models.CharField(_("name"), max_length=500)
    source = models.CharField(_("source decision"), max_length=500)
    year = models.PositiveIntegerField(_("year"), null=True, blank=True)
    text = models.TextField(_("framework file (YAML)"))
    sha256 = models.CharField(max_length=64)
    imported_at = models.DateTimeField(auto_now_add=True)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="framework_code_version")]
        ordering = ["code", "-version"]
        verbose_name = _("framework version")

    def __str__(self):
        return f"{self.name} (v{self.version})"

    @cached_property
    def parsed(self) -> Framework:
        # A version's text never changes once stored, so its parsed form is shared by every request of the
        # process, keyed by the text's SHA-256: parsing the YAML again would cost each page a tenth of a second.
        parsed = _PARSED_FRAMEWORKS.get(self.sha256)
        if parsed is None:
            from dti.documents.frameworks import parse_framework

            parsed = parse_framework(self.text, f"{self.code} v{self.version}")
            if self.sha256:
                _PARSED_FRAMEWORKS[self.sha256] = parsed
        return parsed

    @property
    def in_use(self) -> bool:
        return self.pk is not None and self.periods.exists()

    def save(self, *args, **kwargs):
        if self.pk is not None and self.in_use:
            stored = FrameworkVersion.objects.get(pk=self.pk)
            if stored.text != self.text or stored.sha256 != self.sha256:
                raise ValidationError(_("This framework version is used by a period and cannot change; "
                                        "import the changed file as a new version."))
        super().save(*args, **kwargs)


class FrameworkGroup(models.Model):
    """A group (khối) of a framework version, kept as a row so units, periods and reviewers can point at it."""

    framework = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="groups")
    code = models.CharField(_("code"), max_length=100)
    name = models.CharField(_("name"), max_length=300)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="group_code_per_framework")]
        ordering = ["framework", "position"]
        verbose_name = _("group")

    def __str__(self):
        return self.name
