"""What people enter and what the province publishes: frameworks, units, periods, inputs, snapshots.

Writes go through ``services.py``; these classes only describe the data and guard the rules that must
hold whoever writes (a framework in use is immutable, a period's state moves only along its graph).
"""

from __future__ import annotations

from functools import cached_property

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from dti.engine import Framework, Group
from dti.engine.names import clean_name, name_key

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


class Unit(models.Model):
    """A unit assessed year after year (a department, a district, a commune)."""

    name = models.CharField(_("name as in official documents"), max_length=300, unique=True)
    # The name as two writings of one unit share it (dti.engine.names.name_key): kept to find the unit a
    # typed or imported name means, and to refuse a second unit of the same name.
    key = models.CharField(max_length=300, db_index=True, editable=False, default="")
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    group_code = models.CharField(_("usual group"), max_length=100,
                                  help_text=_("The group code it is usually assessed in, e.g. so-nganh."))
    ranked = models.BooleanField(_("ranked"), default=True)
    active_from = models.PositiveIntegerField(_("active from year"), null=True, blank=True)
    active_until = models.PositiveIntegerField(_("active until year"), null=True, blank=True)

    class Meta:
        ordering = ["group_code", "name"]
        verbose_name = _("unit")

    def __str__(self):
        return self.name

    def clean(self):
        self.name, self.short_name = clean_name(self.name), clean_name(self.short_name)
        same = Unit.objects.filter(key=name_key(self.name)).exclude(pk=self.pk).first()
        if same is not None:
            raise ValidationError({"name": _("There is already a unit “%s”: a name that differs only in spaces, "
                                             "case, punctuation or invisible characters is the same unit.")
                                   % same.name})

    def save(self, *args, **kwargs):
        self.name, self.short_name = clean_name(self.name), clean_name(self.short_name)
        self.key = name_key(self.name)
        if kwargs.get("update_fields") is not None and "name" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "key"}
        super().save(*args, **kwargs)


class UnitLineage(models.Model):
    """A unit that continues others: renamed, merged from several, or split from one."""

    class Kind(models.TextChoices):
        RENAMED = "renamed", _("renamed")
        MERGED = "merged", _("merged")
        SPLIT = "split", _("split")

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="predecessor_links")
    predecessor = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="successor_links")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    year = models.PositiveIntegerField(_("year"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "predecessor"], name="lineage_once")]


class UnitRename(models.Model):
    """A unit given a new name. It stays the same unit (its id, its participations, its history); the periods
    already published keep the name they published."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="renames")
    old_name = models.CharField(max_length=300)
    new_name = models.CharField(max_length=300)
    year = models.PositiveIntegerField(_("year"))  # the first year under the new name
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["at", "pk"]


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
    # What the results decision says besides its tables (issuer, number, date, legal bases, articles, signer):
    # the mapping of dti.documents.decision.settings_from_mapping; empty until the secretariat fills it in.
    decision_settings = models.JSONField(_("decision settings"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "name"]
        verbose_name = _("period")

    def __str__(self):
        return self.name

    def clean(self):
        dates = [self.declaration_opens, self.declaration_closes, self.review_closes, self.appeal_opens,
                 self.appeal_closes]
        given = [d for d in dates if d]
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


class Declaration(models.Model):
    """A unit's declaration in a period, as a whole: its state and when it was sent."""

    class State(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned for correction")
        REVIEWED = "reviewed", _("Reviewed")

    participation = models.OneToOneField(Participation, on_delete=models.CASCADE, related_name="declaration")
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.NOT_STARTED)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    # The secretariat may reopen a declaration after the deadline, until this day, with a recorded reason.
    reopened_until = models.DateField(null=True, blank=True)

    def __str__(self):
        return f"{self.participation} ({self.get_state_display()})"


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


class Clarification(models.Model):
    """A reviewer's question on one indicator; the declaration goes back to the unit until it is answered."""

    participation = models.ForeignKey(Participation, on_delete=models.CASCADE, related_name="clarifications")
    indicator_code = models.CharField(max_length=100)
    question = models.TextField()
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    asked_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["asked_at", "pk"]


def evidence_path(instance, filename: str) -> str:
    """Evidence is stored under a random name: the uploaded name is kept only as data, never as a path."""
    import uuid

    return f"evidence/{instance.participation.period_id}/{uuid.uuid4().hex}"


class Evidence(models.Model):
    """A document that supports one indicator: a file, a citation of an official document, or both."""

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


class OutgoingMail(models.Model):
    """A message waiting for delivery or delivered: written with the change it announces, in the same
    transaction, and sent after the commit. A failed delivery is kept with its error and tried again
    (``dti deliver-mail``); it never undoes or fails the change."""

    subject = models.CharField(max_length=300)
    body = models.TextField()
    recipients = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["sent_at", "created_at"])]

    def __str__(self):
        return self.subject
