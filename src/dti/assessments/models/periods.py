"""A period of assessment: its state and timeline, the units taking part, who reviews which group, and the
snapshot taken at publication."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from dti.assessments.models.frameworks import FrameworkGroup, FrameworkVersion
from dti.assessments.models.units import Unit
from dti.engine import Group


class Period(models.Model):
    """A year's assessment: its framework, its units, its timeline and its state."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        DECLARING = "declaring", _("Declaring")
        REVIEWING = "reviewing", _("Reviewing")
        APPEALS = "appeals", _("Appeals")
        FINALIZED = "finalized", _("Finalized")
        PUBLISHED = "published", _("Published")

    year = models.PositiveIntegerField(_("year"))
    name = models.CharField(_("name"), max_length=300)
    # For the portal's English pages; left empty, they show the Vietnamese name, marked as Vietnamese.
    name_en = models.CharField(_("name in English"), max_length=300, blank=True, default="")
    framework = models.ForeignKey(FrameworkVersion, on_delete=models.PROTECT, related_name="periods",
                                  verbose_name=_("framework"))
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.DRAFT)
    declaration_opens = models.DateField(_("declaration opens"), null=True, blank=True)
    declaration_closes = models.DateField(_("declaration closes"), null=True, blank=True)
    review_closes = models.DateField(_("review closes"), null=True, blank=True)
    appeal_opens = models.DateField(_("appeal window opens"), null=True, blank=True)
    appeal_closes = models.DateField(_("appeal window closes"), null=True, blank=True)
    # A unit whose reviewed total is within this many points of a grade boundary needs a second reviewer.
    second_review_margin = models.DecimalField(_("second review margin (points)"), max_digits=8, decimal_places=2,
                                               default=5)
    # How a unit without a result of its own last year is compared with it through its predecessors (a merged
    # department, a merged province): queries.baseline.
    class Comparison(models.TextChoices):
        MEAN = "mean", _("plain mean of the predecessors' totals (the national method), same maximum only")
        PERCENT = "percent", _("mean of the predecessors' totals as a percentage of their maximum")

    comparison_method = models.CharField(_("comparison with last year through predecessors"), max_length=20,
                                         choices=Comparison.choices, default=Comparison.MEAN)
    # What the results decision says besides its tables (issuer, number, date, legal bases, articles, signer):
    # the mapping of dti.documents.decision.settings_from_mapping; empty until the secretariat fills it in.
    decision_settings = models.JSONField(_("decision settings"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "name"]
        verbose_name = _("period")

    def __str__(self):
        return self.name

    # The period's dates, in the order they must run.
    TIMELINE = ("declaration_opens", "declaration_closes", "review_closes", "appeal_opens", "appeal_closes")
    # What the secretariat may change after creation, until the period is finalized: the dates, and the method
    # of the comparison with an earlier year (chosen once predecessors' results are known).
    CHANGEABLE = (*TIMELINE, "comparison_method")

    def clean(self):
        given = [day for day in (getattr(self, name) for name in self.TIMELINE) if day]
        if given != sorted(given):
            raise ValidationError(_("The timeline must run in order: declaration opens, declaration closes, "
                                    "review closes, appeal window opens, appeal window closes."))


class PeriodTransition(models.Model):
    """One move of a period's state: who, when, from where to where."""

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="transitions")
    from_state = models.CharField(max_length=20, choices=Period.State.choices)
    to_state = models.CharField(max_length=20, choices=Period.State.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["at", "pk"]


class Participation(models.Model):
    """A unit taking part in a period, in one group; published totals when results were imported."""

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="participations")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="participations")
    group = models.ForeignKey(FrameworkGroup, on_delete=models.PROTECT, related_name="participations")
    ranked = models.BooleanField(_("ranked"), default=True)
    position = models.PositiveIntegerField(default=0)  # the order of the published table
    declared_total_given = models.DecimalField(max_digits=14, decimal_places=6, null=True, blank=True)
    reviewed_total_given = models.DecimalField(max_digits=14, decimal_places=6, null=True, blank=True)
    # How far a given total may lie from its pillars' sum (rounding of the published figures).
    total_tolerance = models.DecimalField(max_digits=14, decimal_places=6, default=0)
    # The unit's name as the period published it, kept at publication: a later rename changes no published
    # page, file or verification. Empty until then.
    published_name = models.CharField(max_length=300, blank=True, default="", editable=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["period", "unit"], name="unit_once_per_period")]
        ordering = ["period", "group__position", "position", "unit__name"]

    def __str__(self):
        return f"{self.name} — {self.period}"

    @property
    def name(self) -> str:
        """The unit's name in this period, the name its results carry: as published once the period is
        published, the unit's current name before."""
        return self.published_name or self.unit.name

    @property
    def framework_group(self) -> Group:
        """The framework's group (pillars, indicators, rules) the unit is assessed in this period."""
        return self.period.framework.parsed.group(self.group.code)


class ReviewerAssignment(models.Model):
    """A reviewer's scope in a period: a whole group, or one indicator of it."""

    period = models.ForeignKey("assessments.Period", on_delete=models.CASCADE, related_name="reviewer_assignments")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assignments")
    group = models.ForeignKey("assessments.FrameworkGroup", on_delete=models.CASCADE, related_name="+")
    indicator_code = models.CharField(_("indicator (empty: the whole group)"), max_length=100, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["period", "reviewer", "group", "indicator_code"],
                                               name="assignment_once")]


class PublishedSnapshot(models.Model):
    """What was published: framework, inputs and results, with the SHA-256 of all three, for recomputation."""

    period = models.OneToOneField(Period, on_delete=models.PROTECT, related_name="snapshot")
    framework_text = models.TextField()
    inputs = models.JSONField()
    results = models.JSONField()
    sha256 = models.CharField(max_length=64)
    engine_version = models.CharField(max_length=20)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
