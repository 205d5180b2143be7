"""The units assessed (departments, communes and wards), their renames and their lineage across mergers."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from dti.engine.names import clean_name, name_key


class UnitQuerySet(models.QuerySet):
    def active_in(self, year: int):
        """The units that exist in ``year``: a unit merged away ended the year before, a new one starts with its
        first year."""
        return self.filter(models.Q(active_from__isnull=True) | models.Q(active_from__lte=year),
                           models.Q(active_until__isnull=True) | models.Q(active_until__gte=year))


class Unit(models.Model):
    """A unit assessed year after year (a department, a district, a commune)."""

    name = models.CharField(_("name as in official documents"), max_length=300, unique=True)
    # The name as two writings of one unit share it (dti.engine.names.name_key): kept to find the unit a
    # typed or imported name means, and to refuse a second unit of the same name.
    key = models.CharField(max_length=300, db_index=True, editable=False, default="")
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    # The code of the national register of administrative units (a commune's or ward's five digits, e.g. 07210);
    # blank for departments and for units entered by hand.
    official_code = models.CharField(_("official code"), max_length=10, blank=True, db_index=True)
    group_code = models.CharField(_("usual group"), max_length=100,
                                  help_text=_("The group code it is usually assessed in, e.g. so-nganh."))
    ranked = models.BooleanField(_("ranked"), default=True)
    active_from = models.PositiveIntegerField(_("active from year"), null=True, blank=True)
    active_until = models.PositiveIntegerField(_("active until year"), null=True, blank=True)

    objects = UnitQuerySet.as_manager()

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
