from __future__ import annotations

import datetime
from decimal import Decimal

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from dti.accounts.models import Membership, Role
from dti.accounts.services import check_new_password
from dti.assessments.models import FrameworkGroup, Period, Unit, UnitLineage
from dti.engine.uncertainty import UncertaintySettings


class UploadForm(forms.Form):
    file = forms.FileField(label=_("File"))
    allowed_suffixes: tuple[str, ...] = ()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.DTI_MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        if not upload.name.lower().endswith(self.allowed_suffixes):
            raise forms.ValidationError(_("Expected a file ending in %s.") % ", ".join(self.allowed_suffixes))
        return upload


class FrameworkUploadForm(UploadForm):
    allowed_suffixes = (".yaml", ".yml", ".xlsx")


class ResultsUploadForm(UploadForm):
    allowed_suffixes = (".csv", ".xlsx")


class AccountsUploadForm(UploadForm):
    """A filled accounts or units workbook (or its CSV)."""

    allowed_suffixes = (".csv", ".xlsx")


class PeriodForm(forms.ModelForm):
    add_units = forms.BooleanField(label=_("Add every unit of the framework's groups"), required=False,
                                   initial=True)

    class Meta:
        model = Period
        fields = ["year", "name", "name_en", "framework", "declaration_opens", "declaration_closes", "review_closes",
                  "appeal_opens", "appeal_closes", "second_review_margin", "comparison_method"]
        widgets = {f: forms.DateInput(attrs={"type": "date"}) for f in
                   ["declaration_opens", "declaration_closes", "review_closes", "appeal_opens", "appeal_closes"]}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["comparison_method"].required = False  # left out, the national method

    def clean_comparison_method(self):
        return self.cleaned_data.get("comparison_method") or Period.Comparison.MEAN


class TimelineForm(forms.ModelForm):
    """The period's dates and comparison method, changed after creation: a deadline extended, an appeal window
    moved, the comparison through predecessors made in percentages once their maxima are known."""

    reason = forms.CharField(label=_("Reason (for the change log)"), max_length=500, required=False)

    class Meta:
        model = Period
        fields = list(Period.CHANGEABLE)
        widgets = {f: forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d") for f in Period.TIMELINE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["comparison_method"].required = False  # left out, the period's own

    def clean_comparison_method(self):
        return self.cleaned_data.get("comparison_method") or self.instance.comparison_method


class AdvanceForm(forms.Form):
    to_state = forms.ChoiceField(choices=Period.State.choices, widget=forms.HiddenInput)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
    # A period never moves back: the first post shows what the move does, the second (confirmed) makes it.
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)


def group_choices(current: str = "") -> list[tuple[str, str]]:
    """The groups of the frameworks held, by code, named as the latest framework names them; a unit's group is
    chosen among them, never typed (a typo left a unit out of every period)."""
    names: dict[str, str] = {}
    for code, name in FrameworkGroup.objects.order_by("framework__pk").values_list("code", "name"):
        names[code] = f"{name} ({code})"
    if current and current not in names:
        names[current] = current  # a unit whose group no framework holds any more keeps it until changed
    return [("", "—"), *sorted(names.items(), key=lambda item: item[1])]


class UnitForm(forms.ModelForm):
    def clean_official_code(self):
        code = self.cleaned_data.get("official_code", "").strip()
        if code and not code.isdigit():
            raise ValidationError(_("“%s” is not a code of the register (digits only).") % code)
        if code and Unit.objects.filter(official_code=code).exclude(pk=self.instance.pk).exists():
            raise ValidationError(_("Another unit already has the code “%s”.") % code)
        return code

    class Meta:
        model = Unit
        fields = ["name", "short_name", "group_code", "ranked", "active_from", "active_until", "official_code"]
        help_texts = {"official_code": _("The code of the register of administrative units (a commune's or ward's "
                                         "five digits, a former district's three): it places the unit on the "
                                         "portal's map and finds the units it was formed from. Blank for a "
                                         "department.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = group_choices(self.instance.group_code if self.instance.pk else "")
        if len(choices) > 1:  # before any framework is imported there is nothing to choose from
            self.fields["group_code"] = forms.ChoiceField(label=self.fields["group_code"].label, choices=choices,
                                                          help_text=_("The group it is usually assessed in."))


class RegisterImportForm(forms.Form):
    """A province's communes and wards from the national register."""

    province = forms.ChoiceField(label=_("Province"))
    group_code = forms.ChoiceField(label=_("Group they are assessed in"))
    year = forms.IntegerField(label=_("First year"), min_value=2025, max_value=2100)

    def __init__(self, *args, **kwargs):
        from dti.assessments.queries.register import provinces

        super().__init__(*args, **kwargs)
        self.fields["province"].choices = [("", "—"), *provinces()]
        self.fields["group_code"].choices = group_choices()
        self.fields["year"].initial = max(2025, datetime.date.today().year)


class MergeForm(forms.Form):
    """Several units merged into one new unit."""

    predecessors = forms.ModelMultipleChoiceField(label=_("Units merged"), queryset=Unit.objects.none(),
                                                  widget=forms.SelectMultiple(attrs={"size": 8}))
    name = forms.CharField(label=_("Name of the new unit, as in the resolution"), max_length=300)
    short_name = forms.CharField(label=_("Short name"), max_length=100, required=False)
    group_code = forms.ChoiceField(label=_("Usual group"))
    year = forms.IntegerField(label=_("First year of the new unit"), min_value=1990, max_value=2100)

    def __init__(self, *args, offered=None, **kwargs):
        """``offered``: the units to choose from, of those not merged yet (the units page offers the units it
        shows, not a nation's 3,321); a posted form accepts any of them."""
        super().__init__(*args, **kwargs)
        choosable = Unit.objects.filter(successor_links__isnull=True)
        self.fields["predecessors"].queryset = choosable if offered is None else choosable.filter(pk__in=offered)
        self.fields["group_code"].choices = group_choices()


class LineageForm(forms.ModelForm):
    class Meta:
        model = UnitLineage
        fields = ["predecessor", "kind", "year"]

    def __init__(self, *args, unit: Unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.unit = unit
        self.fields["predecessor"].queryset = Unit.objects.exclude(pk=unit.pk)


class ParticipationForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    group = forms.ModelChoiceField(label=_("Group"), queryset=FrameworkGroup.objects.none())
    ranked = forms.BooleanField(label=_("Ranked"), required=False, initial=True)

    def __init__(self, *args, period: Period, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.exclude(participations__period=period)
        self.fields["group"].queryset = period.framework.groups.all()


class AccountForm(forms.Form):
    """Who the account is: name, address, role and unit (a unit officer's only)."""

    full_name = forms.CharField(label=_("Full name"), max_length=150)
    email = forms.EmailField(label=_("E-mail"), required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    unit = forms.ModelChoiceField(label=_("Unit (unit officers only)"), queryset=Unit.objects.all(), required=False)

    def __init__(self, *args, account=None, **kwargs):
        self.account = account
        super().__init__(*args, **kwargs)

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        others = get_user_model().objects.filter(email__iexact=email, is_active=True)
        if self.account is not None:
            others = others.exclude(pk=self.account.pk)
        if email and others.exists():
            # A password reset goes to every active account of an address: one address, one account.
            raise forms.ValidationError(_("Another active account already has this e-mail address."))
        return email

    def clean(self):
        data = super().clean()
        if data.get("role"):
            try:  # who belongs to a unit is the membership's rule
                Membership(role=data["role"], unit=data.get("unit")).clean()
            except forms.ValidationError as error:
                self.add_error("unit", error.message_dict["unit"])
        return data


class UserForm(AccountForm):
    """A new account: who it is, its username and its first password."""

    username = forms.CharField(label=_("Username"), max_length=150)
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput, min_length=10)
    field_order = ["username", "full_name", "email", "password", "role", "unit"]

    def clean_username(self):
        username = self.cleaned_data["username"]
        if get_user_model().objects.filter(username=username).exists():
            raise forms.ValidationError(_("This username is taken."))
        return username

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("username"):
            try:
                check_new_password(data["password"], username=data["username"], email=data.get("email", ""),
                                   full_name=data.get("full_name", ""))
            except forms.ValidationError as error:
                self.add_error("password", error)
        return data


class NewPasswordForm(forms.Form):
    password = forms.CharField(label=_("New password"), widget=forms.PasswordInput, min_length=10)
    repeated = forms.CharField(label=_("New password again"), widget=forms.PasswordInput)

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password") != data.get("repeated"):
            self.add_error("repeated", _("The two passwords differ."))
        return data


class PersonChoiceField(forms.ModelChoiceField):
    """An account offered by its holder's name (and username), not by its username alone."""

    def label_from_instance(self, obj):
        name = obj.get_full_name()
        return f"{name} ({obj.username})" if name else obj.username


class AssignmentForm(forms.Form):
    reviewer = PersonChoiceField(label=_("Reviewer"), queryset=get_user_model().objects.none())
    group = forms.ModelChoiceField(label=_("Group"), queryset=FrameworkGroup.objects.none())
    indicator_code = forms.CharField(label=_("Indicator code (empty: the whole group)"), required=False)

    def __init__(self, *args, period: Period, **kwargs):
        super().__init__(*args, **kwargs)
        self.period = period
        reviewers = get_user_model().objects.filter(membership__role=Role.REVIEWER, is_active=True)
        self.fields["reviewer"].queryset = reviewers.order_by("first_name", "username")
        self.fields["group"].queryset = period.framework.groups.all()

    def clean(self):
        data = super().clean()
        code = data.get("indicator_code")
        group = data.get("group")
        if code and group:
            codes = {i.code for _, i in self.period.framework.parsed.group(group.code).indicators()}
            if code not in codes:
                self.add_error("indicator_code", _("Group %(group)s has no indicator %(code)s.")
                               % {"group": group.code, "code": code})
        return data


class DecisionSettingsForm(forms.Form):
    """What the results decision says besides its tables. Lists are typed one item per line; articles are
    separated by an empty line, each line of an article a paragraph ("Điều N." is added)."""

    issuer_parent = forms.CharField(label=_("Issuing body, first line"), max_length=200)
    issuer = forms.CharField(label=_("Issuing body, second line"), max_length=200)
    number = forms.CharField(label=_("Number"), max_length=100, required=False,
                             help_text=_("Empty until the decision is numbered, e.g. 2405/QĐ-UBND."))
    place = forms.CharField(label=_("Place"), max_length=100, required=False)
    signed_on = forms.DateField(label=_("Date of signature"), required=False,
                                widget=forms.DateInput(attrs={"type": "date"}))
    title = forms.CharField(label=_("Subject"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))
    authority = forms.CharField(label=_("Deciding authority"), max_length=300)
    legal_bases = forms.CharField(label=_("Legal bases"), required=False, help_text=_("One per line."),
                                  widget=forms.Textarea(attrs={"rows": 6}))
    articles = forms.CharField(label=_("Articles"), help_text=_(
        "Separate articles by an empty line; each line of an article is a paragraph."),
        widget=forms.Textarea(attrs={"rows": 10}))
    recipients = forms.CharField(label=_("Recipients"), required=False, help_text=_("One per line."),
                                 widget=forms.Textarea(attrs={"rows": 5}))
    signing_capacity = forms.CharField(label=_("Signing capacity"), help_text=_("One per line, e.g. KT. CHỦ TỊCH."),
                                       widget=forms.Textarea(attrs={"rows": 2}))
    signer = forms.CharField(label=_("Signer"), max_length=200, required=False)
    issued_by = forms.CharField(label=_("Issued by (appendix note)"), max_length=200)

    LINES = ("legal_bases", "recipients", "signing_capacity")

    def __init__(self, *args, groups=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.group_codes = []
        for group in groups:
            field = f"appendix_title_{group.code}"
            self.fields[field] = forms.CharField(label=_("Appendix title: %s") % group.name, max_length=500,
                                                 required=False, widget=forms.Textarea(attrs={"rows": 2}))
            self.group_codes.append(group.code)

    @classmethod
    def initial_from(cls, mapping: dict) -> dict:
        initial = {key: mapping.get(key) or "" for key in (
            "issuer_parent", "issuer", "number", "place", "signed_on", "title", "authority", "signer", "issued_by")}
        for key in cls.LINES:
            initial[key] = "\n".join(mapping.get(key) or ())
        initial["articles"] = "\n\n".join("\n".join(article) for article in mapping.get("articles") or ())
        for code, title in (mapping.get("appendix_titles") or {}).items():
            initial[f"appendix_title_{code}"] = title
        return initial

    def mapping(self) -> dict:
        """The cleaned form as the mapping stored on the period."""
        data = self.cleaned_data
        mapping = {key: data[key].strip() for key in (
            "issuer_parent", "issuer", "number", "place", "title", "authority", "signer", "issued_by")}
        mapping["signed_on"] = data["signed_on"].isoformat() if data["signed_on"] else None
        for key in self.LINES:
            mapping[key] = [line.strip() for line in data[key].splitlines() if line.strip()]
        blocks = data["articles"].replace("\r\n", "\n").split("\n\n")
        mapping["articles"] = [[line.strip() for line in block.splitlines() if line.strip()]
                               for block in blocks if block.strip()]
        mapping["appendix_titles"] = {code: data[f"appendix_title_{code}"].strip() for code in self.group_codes
                                      if data[f"appendix_title_{code}"].strip()}
        return mapping


class AnalysisSettingsForm(forms.Form):
    """The Monte Carlo settings of the analysis page, in its address (GET), so a view can be shared."""

    khoi = forms.ChoiceField(label=_("Group"), required=False)
    mau = forms.IntegerField(label=_("Simulations"), min_value=100, max_value=20_000, initial=10_000,
                             required=False)
    dungsai = forms.DecimalField(label=_("Reviewer tolerance, percent of each item's maximum"), min_value=0,
                                 max_value=100, decimal_places=2, initial=Decimal(2), required=False)
    cach = forms.ChoiceField(label=_("Reviewed points vary"), required=False, initial="share", choices=[
        ("share", _("within the tolerance")), ("gap", _("between review and declaration"))])
    trongso = forms.DecimalField(label=_("Pillar weight variation, percent"), min_value=0, max_value=99,
                                 decimal_places=2, initial=Decimal(10), required=False)
    hatgiong = forms.IntegerField(label=_("Random seed"), min_value=0, max_value=2**32 - 1, initial=0,
                                  required=False)

    def __init__(self, *args, groups=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["khoi"].choices = [(g.code, g.name) for g in groups]

    def value(self, name: str):
        """The cleaned value, or the initial one where the field is empty or invalid."""
        data = self.cleaned_data if self.is_bound and hasattr(self, "cleaned_data") else {}
        found = data.get(name)
        return self.fields[name].initial if found in (None, "") else found

    def uncertainty_settings(self) -> UncertaintySettings:
        return UncertaintySettings(samples=self.value("mau"), tolerance=self.value("dungsai") / 100,
                                   mode=self.value("cach"), weight_tolerance=self.value("trongso") / 100,
                                   seed=self.value("hatgiong"))
