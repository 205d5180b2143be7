"""The year's work on a participation: inputs per stage, published pillar points, the declaration, questions,
evidence, reviewers' visits, second reviews and appeals."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dti.assessments.models.periods import Participation


class Stage(models.TextChoices):
    DECLARED = "declared", _("Declared")
    REVIEWED = "reviewed", _("Reviewed")


class IndicatorEntry(models.Model):
    """A unit's inputs for one indicator at one stage, and the points the engine gave them."""

    participation = models.ForeignKey(Participation, on_delete=models.CASCADE, related_name="entries")
    indicator_code = models.CharField(max_length=100)
    stage = models.CharField(max_length=10, choices=Stage.choices)
    inputs = models.JSONField(default=dict)  # input name → value as text, exactly as entered
    not_applicable = models.BooleanField(default=False)
    comment = models.TextField(blank=True)  # required when not applicable
    reason = models.TextField(blank=True)  # the reviewer's reason for a reviewed entry that differs from the declared
    points_given = models.BooleanField(default=False)  # a reviewer set the points directly, instead of the rule
    points = models.DecimalField(max_digits=14, decimal_places=6, null=True, blank=True)
    version = models.PositiveIntegerField(default=1)  # optimistic locking for concurrent edits
    # A reviewed entry: the version of the declared entry it reviewed. When the unit changes the declared value
    # later, the versions differ and the indicator needs review again (progress.stale_reviews). None when imported.
    declared_version = models.PositiveIntegerField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["participation", "indicator_code", "stage"],
                                               name="entry_once_per_stage")]


class PillarResult(models.Model):
    """Points given for a pillar as a whole: published results of a past year carry no indicator inputs."""

    participation = models.ForeignKey(Participation, on_delete=models.CASCADE, related_name="pillar_results")
    pillar_code = models.CharField(max_length=100)
    stage = models.CharField(max_length=10, choices=Stage.choices)
    points = models.DecimalField(max_digits=14, decimal_places=6)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["participation", "pillar_code", "stage"],
                                               name="pillar_result_once_per_stage")]


class Declaration(models.Model):
    """A unit's declaration in a period, as a whole: its state and when it was sent."""

    class State(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned for correction")
        # "Reviewed" is not stored: it is read from the entries (queries.progress.review_progress).

    participation = models.OneToOneField(Participation, on_delete=models.CASCADE, related_name="declaration")
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.NOT_STARTED)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    # The secretariat may reopen a declaration after the deadline, until this day, with a recorded reason.
    reopened_until = models.DateField(null=True, blank=True)

    def __str__(self):
        return f"{self.participation} ({self.get_state_display()})"


class ClarificationQuerySet(models.QuerySet):
    def drafts(self):
        """Questions a reviewer has written and not yet sent: the unit does not see them."""
        return self.filter(sent_at__isnull=True)

    def open(self):
        """Questions sent to the unit and not yet answered."""
        return self.filter(sent_at__isnull=False, resolved_at__isnull=True)


class Clarification(models.Model):
    """A reviewer's question on one indicator. Questions are written one by one and sent together, as one round;
    the unit answers each in words (and may add evidence to the indicator) while the declaration stays with the
    reviewers, who go on with the other indicators."""

    participation = models.ForeignKey(Participation, on_delete=models.CASCADE, related_name="clarifications")
    indicator_code = models.CharField(max_length=100)
    question = models.TextField()
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    asked_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    answer = models.TextField(blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    # Answered in words, or by a resubmission of a declaration returned for correction.
    resolved_at = models.DateTimeField(null=True, blank=True)

    objects = ClarificationQuerySet.as_manager()

    class Meta:
        ordering = ["asked_at", "pk"]


def evidence_path(instance, filename: str) -> str:
    """Evidence is stored under a random name: the uploaded name is kept only as data, never as a path."""
    import uuid

    return f"evidence/{instance.participation.period_id}/{uuid.uuid4().hex}"


class EvidenceQuerySet(models.QuerySet):
    def current(self):
        """The evidence that supports the declaration now: withdrawn evidence is kept, but no longer counts."""
        return self.filter(withdrawn_at__isnull=True)


class Evidence(models.Model):
    """A document that supports one indicator: a file, a citation of an official document, or both. Withdrawn
    by the unit (a wrong file, replaced by another), it stays, with who withdrew it and when."""

    participation = models.ForeignKey(Participation, on_delete=models.CASCADE, related_name="evidence")
    indicator_code = models.CharField(max_length=100)
    file = models.FileField(upload_to=evidence_path, blank=True)
    original_name = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    symbol = models.CharField(_("document symbol"), max_length=100, blank=True)  # 123/QĐ-UBND
    issued_on = models.DateField(_("date"), null=True, blank=True)
    issuer = models.CharField(_("issuer"), max_length=300, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        ordering = ["uploaded_at", "pk"]


class ReviewerVisit(models.Model):
    """When a reviewer last looked at a unit's declaration, to show what changed since."""

    participation = models.ForeignKey(Participation, on_delete=models.CASCADE, related_name="reviewer_visits")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    seen_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["participation", "reviewer"], name="one_visit_per_reviewer")]


class SecondReview(models.Model):
    """A second reviewer's confirmation of a unit whose grade hangs on a few points."""

    participation = models.ForeignKey(Participation, on_delete=models.CASCADE, related_name="second_reviews")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)


class Appeal(models.Model):
    """A unit contests one indicator's reviewed points in the appeal window; a second reviewer decides."""

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        UPHELD = "upheld", _("Upheld")
        REJECTED = "rejected", _("Rejected")

    participation = models.ForeignKey(Participation, on_delete=models.CASCADE, related_name="appeals")
    indicator_code = models.CharField(max_length=100)
    reason = models.TextField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    filed_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision = models.TextField(blank=True)

    class Meta:
        ordering = ["filed_at", "pk"]
