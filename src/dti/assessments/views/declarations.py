"""The unit officer's declaration: an overview, one page per pillar, points while typing, submit."""

from __future__ import annotations

from collections import defaultdict

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dti.accounts.roles import require
from dti.assessments import policy
from dti.assessments.actions import appeals, declarations, evidence, reviews
from dti.assessments.models import Evidence, IndicatorEntry, Participation, Stage
from dti.assessments.queries import progress
from dti.assessments.queries.audit_log import audit_lines
from dti.assessments.scope import can_edit_declaration, can_read_declaration
from dti.engine import Indicator

BOOLEAN_CHOICES = [("", "—"), ("có", _("Yes")), ("không", _("No"))]


def _participation(request, participation_id: int) -> Participation:
    participation = get_object_or_404(Participation.objects.select_related("period__framework", "unit", "group",
                                                                           "declaration"), pk=participation_id)
    require(can_read_declaration(request.user, participation))
    return participation


def _group(participation):
    return participation.framework_group


class IndicatorForm(forms.Form):
    """The inputs of one indicator's rule, typed as the rule needs them; the engine checks the values."""

    not_applicable = forms.BooleanField(required=False)
    comment = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, indicator: Indicator, form_id: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        self.input_names = []
        for spec in indicator.rule.inputs(indicator.max_points):
            self.input_names.append(spec.name)
            if spec.kind == "boolean":
                field = forms.ChoiceField(choices=BOOLEAN_CHOICES, required=False)
            elif spec.kind == "choice":
                labels = {o.code: o.label for o in getattr(indicator.rule, "options", ())}
                field = forms.ChoiceField(choices=[("", "—")] + [(c, labels.get(c, c)) for c in spec.choices],
                                          required=False)
            else:
                attrs = {"inputmode": "numeric" if spec.kind == "count" else "decimal", "autocomplete": "off"}
                if spec.maximum is not None:
                    attrs["data-max"] = str(spec.maximum)
                field = forms.CharField(required=False, max_length=40, widget=forms.TextInput(attrs=attrs))
            field.label = spec.label
            self.fields[f"input_{spec.name}"] = field
        if indicator.not_applicable is None:
            del self.fields["not_applicable"]
            del self.fields["comment"]
        if form_id:  # the page's one form, which these fields belong to (HTML's form attribute)
            for field in self.fields.values():
                field.widget.attrs["form"] = form_id

    def inputs(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(f"input_{name}", "") or "" for name in self.input_names}

    def input_fields(self):
        return [self[f"input_{name}"] for name in self.input_names]


PILLAR_FORM = "pillar-form"


def _initial(entry: IndicatorEntry | None) -> dict:
    if entry is None:
        return {"version": 0}
    initial = {f"input_{name}": value for name, value in entry.inputs.items()}
    initial.update(not_applicable=entry.not_applicable, comment=entry.comment, version=entry.version)
    return initial


@login_required
def overview(request, participation_id: int):
    participation = _participation(request, participation_id)
    group = _group(participation)
    declaration = progress.declaration_as_stored(participation)
    entered = set(participation.entries.filter(stage=Stage.DECLARED).values_list("indicator_code", flat=True))
    points = declarations.entered_points(participation, Stage.DECLARED)
    pillars = []
    for pillar in group.pillars:
        leaves = pillar.leaves()
        pillars.append({"pillar": pillar, "done": sum(1 for i in leaves if i.code in entered), "total": len(leaves),
                        "points": points[pillar.code]})
    can_edit = can_edit_declaration(request.user, participation)
    return render(request, "assessments/declaration.html", {
        "participation": participation, "declaration": declaration, "pillars": pillars,
        "declaration_state": progress.state_in_words(participation, declaration),
        "missing": declarations.missing_items(participation),
        "evidence_lacking": progress.evidence_lacking(participation),
        "refusal": policy.edit_refusal(participation),
        "can_edit": can_edit,
        # every question sent to the unit: the open ones with a field for the answer, the answered with theirs
        "questions": [(q, can_edit and policy.answer_refusal(q) is None) for q in
                      participation.clarifications.exclude(sent_at=None).select_related("answered_by",
                                                                                         "participation__period")],
    })


@login_required
def pillar_page(request, participation_id: int, pillar_code: str):
    participation = _participation(request, participation_id)
    group = _group(participation)
    try:
        pillar = group.pillar(pillar_code)
    except KeyError:
        raise Http404 from None
    leaves = [indicator for indicator in pillar.walk() if not indicator.children]
    posted_forms = {}
    if request.method == "POST":
        require(can_edit_declaration(request.user, participation))
        # Every indicator of the page is saved together, whichever "Save" was pressed: nothing typed elsewhere
        # on the page is lost. Either all changes are saved or none, and the page keeps every value typed.
        # An indicator whose fields were not posted (its version is every indicator's first field) is left alone.
        pressed = request.POST.get("indicator", "")
        if pressed and pressed not in {indicator.code for indicator in leaves}:
            raise Http404  # a "Save" of an indicator this page does not have
        posted_forms = {indicator.code: IndicatorForm(request.POST, indicator=indicator, prefix=indicator.code,
                                                      form_id=PILLAR_FORM)
                        for indicator in leaves if f"{indicator.code}-version" in request.POST}
        if all(form.is_valid() for form in posted_forms.values()):
            changes = [declarations.DeclaredChange(
                form.indicator, form.inputs(), form.cleaned_data.get("not_applicable", False),
                form.cleaned_data.get("comment", ""), form.cleaned_data["version"])
                for form in posted_forms.values()]
            try:
                saved = declarations.save_declared_indicators(participation, changes, by=request.user)
            except declarations.IndicatorsRefused as refused:
                for code, text in refused.problems.items():
                    posted_forms[code].add_error(None, text)
            except ValidationError as refused:  # the declaration cannot change now (submitted, closed …)
                for form in posted_forms.values():
                    form.add_error(None, refused)
            else:
                messages.success(request, _("%s saved.") % ", ".join(saved) if saved else _("Nothing had changed."))
                return redirect(request.path + (f"#indicator-{pressed}" if pressed in posted_forms else ""))
    # The page as stored, with what was posted and refused kept as typed.
    refusal = policy.edit_refusal(participation, declaration=getattr(participation, "declaration", None))
    editable = can_edit_declaration(request.user, participation) and not refusal
    entries = {e.indicator_code: e for e in participation.entries.filter(stage=Stage.DECLARED)
               .select_related("updated_by")}
    questions = defaultdict(list)
    for question in participation.clarifications.open():
        questions[question.indicator_code].append(question)
    may_answer = can_edit_declaration(request.user, participation)
    evidence_by_code = defaultdict(list)
    for item in participation.evidence.current():
        evidence_by_code[item.indicator_code].append(item)
    items = []
    for indicator in pillar.walk():
        if indicator.children:
            items.append({"indicator": indicator, "heading": True})
            continue
        entry = entries.get(indicator.code)
        form = posted_forms.get(indicator.code) or IndicatorForm(indicator=indicator, initial=_initial(entry),
                                                                 prefix=indicator.code, form_id=PILLAR_FORM)
        result, problem = (declarations.preview(indicator, entry.inputs, entry.not_applicable, participation)
                           if entry else (None, ""))
        items.append({"indicator": indicator, "form": form, "entry": entry, "result": result, "problem": problem,
                      "description": indicator.rule.describe(indicator.max_points),
                      "evidence": evidence_by_code[indicator.code], "questions": questions[indicator.code],
                      # evidence is added with the answer to a question on this indicator
                      "answering": may_answer and any(policy.answer_refusal(q) is None
                                                      for q in questions[indicator.code])})
    evidence_open = may_answer and (editable or policy.appeal_refusal(participation) is None)
    return render(request, "assessments/declaration_pillar.html", {
        "participation": participation, "pillar": pillar, "items": items, "editable": editable,
        "evidence_open": evidence_open, "refusal": refusal})


@login_required
@require_POST
def points_preview(request, participation_id: int, indicator_code: str):
    """The htmx fragment that shows an indicator's points while its values are typed."""
    participation = _participation(request, participation_id)
    require(can_edit_declaration(request.user, participation))
    indicators = {i.code: i for i in _group(participation).leaves()}
    indicator = indicators.get(indicator_code)
    if indicator is None:
        raise Http404
    form = IndicatorForm(request.POST, indicator=indicator, prefix=indicator.code)
    form.is_valid()
    result, problem = declarations.preview(indicator, form.inputs(), form.cleaned_data.get("not_applicable", False),
                                           participation)
    return render(request, "assessments/_points.html", {"result": result, "problem": problem,
                                                         "indicator": indicator})


@login_required
@require_POST
def submit(request, participation_id: int):
    participation = _participation(request, participation_id)
    require(can_edit_declaration(request.user, participation))
    try:
        declarations.submit_declaration(participation, by=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The declaration was submitted."))
        lacking = progress.evidence_lacking(participation)
        if lacking:
            messages.warning(request, _("Sent without the evidence the framework expects for: %s. A reviewer may "
                                        "ask for it.") % ", ".join(f"{i.code} {i.name}" for _pillar, i in lacking))
    return redirect("assessments:declaration", participation.pk)



@login_required
def history(request, participation_id: int):
    """The audit log of one unit in one period, optionally of one indicator."""
    participation = _participation(request, participation_id)
    code = request.GET.get("chi_so") or None
    return render(request, "assessments/history.html", {
        "participation": participation, "indicator_code": code,
        "lines": audit_lines(participation, code)})


class EvidenceForm(forms.Form):
    file = forms.FileField(required=False)
    symbol = forms.CharField(required=False, max_length=100)
    issued_on = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    issuer = forms.CharField(required=False, max_length=300)
    summary = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


@login_required
@require_POST
def add_evidence(request, participation_id: int, indicator_code: str):
    participation = _participation(request, participation_id)
    require(can_edit_declaration(request.user, participation))
    indicators = {i.code: (p, i) for p, i in _group(participation).indicators() if not i.children}
    if indicator_code not in indicators:
        raise Http404
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            evidence.add_evidence(participation, indicator_code, upload=data["file"], symbol=data["symbol"],
                                  issued_on=data["issued_on"], issuer=data["issuer"], summary=data["summary"],
                                  by=request.user)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, f"{indicator_code}: {message}")
        else:
            messages.success(request, _("Evidence added to %s.") % indicator_code)
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    pillar = indicators[indicator_code][0]
    return redirect(reverse("assessments:declaration_pillar", args=[participation.pk, pillar.code])
                    + f"#indicator-{indicator_code}")


@login_required
@require_POST
def answer_question(request, participation_id: int, question_id: int):
    """The unit answers one of the reviewer's questions in words; the declaration is not sent again."""
    participation = _participation(request, participation_id)
    require(can_edit_declaration(request.user, participation))
    question = get_object_or_404(participation.clarifications.exclude(sent_at=None), pk=question_id)
    try:
        reviews.answer_question(question, request.POST.get("answer", ""), by=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, f"{question.indicator_code}: {message}")
    else:
        messages.success(request, _("The answer on %s was sent to the reviewer.") % question.indicator_code)
    return redirect(reverse("assessments:declaration", args=[participation.pk]) + f"#question-{question.pk}")


@login_required
@require_POST
def withdraw_evidence(request, evidence_id: int):
    item = get_object_or_404(Evidence.objects.current().select_related("participation__period"), pk=evidence_id)
    participation = item.participation
    require(can_edit_declaration(request.user, participation))
    try:
        evidence.withdraw_evidence(item, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Evidence “%(name)s” withdrawn from %(code)s.")
                         % {"name": item.original_name or item.symbol, "code": item.indicator_code})
    pillar = next(p for p, i in _group(participation).indicators() if i.code == item.indicator_code)
    return redirect(reverse("assessments:declaration_pillar", args=[participation.pk, pillar.code])
                    + f"#indicator-{item.indicator_code}")


@login_required
def download_evidence(request, evidence_id: int):
    """Evidence only through this view, to those who may read the declaration: as an attachment, or with ?xem=1
    shown in the browser when it is a PDF or an image, sandboxed so that nothing in it can run as this site."""
    item = get_object_or_404(Evidence.objects.select_related("participation__period"), pk=evidence_id)
    require(can_read_declaration(request.user, item.participation))
    if not item.file:
        raise Http404
    inline = request.GET.get("xem") == "1" and item.content_type in evidence.VIEWABLE
    response = FileResponse(item.file.open("rb"), as_attachment=not inline, filename=evidence.download_name(item),
                            content_type=item.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    if inline:
        response["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src 'self'"
    return response


@login_required
def appeals_page(request, participation_id: int):
    """The unit's reviewed points, indicator by indicator, and in the appeal window a form to contest each."""
    participation = _participation(request, participation_id)
    group = _group(participation)
    if request.method == "POST":
        require(can_edit_declaration(request.user, participation))
        code = request.POST.get("indicator", "")
        indicator = next((i for _, i in group.indicators() if i.code == code and not i.children), None)
        if indicator is None:
            raise Http404
        try:
            appeals.file_appeal(participation, indicator, request.POST.get("reason", ""), by=request.user)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, f"{code}: {message}")
        else:
            messages.success(request, _("Your appeal on %s was filed.") % code)
        return redirect("assessments:declaration_appeals", participation.pk)
    entries = {(e.indicator_code, e.stage): e for e in participation.entries.all()}
    filed = {}
    for appeal in participation.appeals.all():
        filed.setdefault(appeal.indicator_code, []).append(appeal)
    rows = [{"indicator": i, "declared": entries.get((i.code, Stage.DECLARED)),
             "reviewed": entries.get((i.code, Stage.REVIEWED)), "appeals": filed.get(i.code, [])}
            for i in group.leaves()]
    return render(request, "assessments/appeals.html", {
        "participation": participation, "rows": rows, "refusal": policy.appeal_refusal(participation),
        "can_edit": can_edit_declaration(request.user, participation)})
