"""Who someone is in the assessment: a role, and for a unit officer the unit they speak for."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SECRETARIAT = "secretariat", _("Secretariat")
    REVIEWER = "reviewer", _("Reviewer")
    UNIT_OFFICER = "unit_officer", _("Unit officer")
    LEADER = "leader", _("Leader")


class Membership(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    unit = models.ForeignKey("assessments.Unit", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="officers", verbose_name=_("unit"))

    def clean(self):
        if self.role == Role.UNIT_OFFICER and self.unit_id is None:
            raise ValidationError({"unit": _("A unit officer must belong to a unit.")})
        if self.role != Role.UNIT_OFFICER and self.unit_id is not None:
            raise ValidationError({"unit": _("Only a unit officer belongs to a unit.")})

    def __str__(self):
        return f"{self.user} ({self.get_role_display()})"


class PasswordResetRequest(models.Model):
    """One request of a password-reset e-mail, kept to throttle them (in the database, so every app server
    counts the same requests)."""

    email = models.CharField(max_length=254)
    address = models.CharField(max_length=45, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
