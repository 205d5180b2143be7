"""The audit log's rows: append-only, written by ``dti.assessments.audit.record`` alone."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from dti.assessments.models.periods import Participation, Period
from dti.assessments.models.work import Stage


class AuditEntry(models.Model):
    """One change: who, when, what, old → new, why. Append-only: rows are never updated or deleted.
    Written only by ``audit.record``; changes to units, accounts and frameworks belong to no period."""

    period = models.ForeignKey(Period, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="audit_entries")
    participation = models.ForeignKey(Participation, null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="audit_entries")
    indicator_code = models.CharField(max_length=100, blank=True)
    stage = models.CharField(max_length=10, choices=Stage.choices, blank=True)
    action = models.CharField(max_length=100)  # dotted, e.g. dti.declaration.inputs_changed
    old = models.JSONField(null=True, blank=True)
    new = models.JSONField(null=True, blank=True)
    reason = models.TextField(blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["participation", "indicator_code"])]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError("Audit entries are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("Audit entries are append-only.")


def new_token() -> str:
    return secrets.token_hex(16)


class WriteVersion(models.Model):
    """How many writes a period has seen — or, for the scope "shared", the units, accounts and frameworks that
    belong to no period. ``audit.record`` moves it in the transaction of the write it records, so what is computed
    from a period's figures can be kept until the next write (``queries.kept``)."""

    SHARED = "shared"

    scope = models.CharField(max_length=40, unique=True)  # "period:<id>" or SHARED
    # Drawn when the row is made: a database restored, flushed or rebuilt, whose ids and numbers start again,
    # never meets what was kept for the old one.
    token = models.CharField(max_length=32, default=new_token, editable=False)
    number = models.PositiveBigIntegerField(default=0)

    @classmethod
    def scope_of(cls, period) -> str:
        return cls.SHARED if period is None else f"period:{period.pk}"
