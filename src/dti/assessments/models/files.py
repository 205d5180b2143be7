"""Files prepared in the background: long work asked for on a page, done by the worker (``dti worker``), its
progress shown on the page until the file can be downloaded."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dti.assessments.models.periods import Period


def prepared_path(instance, filename: str) -> str:
    import uuid

    return f"prepared/{instance.period_id}/{uuid.uuid4().hex}"


class PreparedFile(models.Model):
    """One file of a period asked for by someone: what it is, how far the worker has got, and the file."""

    class Kind(models.TextChoices):
        UNIT_REPORTS = "unit_reports", _("Every unit's report (PDF, in one ZIP file)")
        PERIOD_DOCUMENTS = "period_documents", _("The decision, its appendices and the open data (every file, "
                                                 "in one ZIP file)")

    class State(models.TextChoices):
        WAITING = "waiting", _("waiting for the worker")
        RUNNING = "running", _("being prepared")
        DONE = "done", _("ready")
        FAILED = "failed", _("failed")

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="prepared_files")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    # The period's write version when asked: a file asked for again before any change is the same file.
    version = models.CharField(max_length=200)
    state = models.CharField(max_length=10, choices=State.choices, default=State.WAITING)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to=prepared_path, blank=True)
    filename = models.CharField(max_length=255, blank=True)
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]

    @property
    def counts_units(self) -> bool:
        """Whether its progress counts units (every unit's report) or files (the period's documents)."""
        return self.kind == self.Kind.UNIT_REPORTS

    @property
    def percent(self) -> int:
        return 100 if self.state == self.State.DONE else (self.done * 100 // self.total if self.total else 0)
