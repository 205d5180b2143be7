"""The reviewer's screens: a queue per period, and one page per unit with accept, adjust and ask."""

from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Case, When
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dti.accounts.roles import is_secretariat, require
from dti.assessments import policy
from dti.assessments.actions import appeals, declarations, reviews
from dti.assessments.models import Appeal, Participation, Period, SecondReview, Stage
from dti.assessments.queries import progress
from dti.assessments.scope import can_review, reviewable_codes, reviewable_participations
from dti.assessments.views.declarations import IndicatorForm
from dti.assessments.views.helpers import PAGE_SIZE, one_page


@login_required
def queue(request, period_id: int):
    period = get_object_or_404(Period, pk=period_id)
    participations = reviewable_participations(request.user, period).select_related("unit", "group")
    require(is_secretariat(request.user) or period.reviewer_assignments.filter(reviewer=request.user).exists())
    rows = progress.review_queue(period, participations, request.user, reviews.second_review_needed(period))
    flags = [(slug, label, sum(1 for row in rows if test(row))) for slug, (label, test) in progress.QUEUE_FLAGS.items()]
    asked = {"state": request.GET.get("trang-thai", ""), "flag": request.GET.get("loc", ""),
             "query": request.GET.get("q", ""), "sort": request.GET.get("sap-xep", "ten"),
             "descending": request.GET.get("chieu") == "giam"}
    page, keep = one_page(request, progress.filter_queue(rows, **asked))
    return render(request, "assessments/review_queue.html", {
        "period": period, "page": page, "rows": page.object_list, "total": len(rows), "asked": asked,
        "flags": flags, "states": list(progress.PROGRESS_STATES.items()), "keep": keep})


@login_required
def appeals_and_second_reviews(request, period_id: int):
    """The appeals of the period, one row each (open first), and the units that need a second reviewer: the
    work of the appeal stage as its own lists, within the units the reviewer reviews."""
    period = get_object_or_404(Period, pk=period_id)
    require(is_secretariat(request.user) or period.reviewer_assignments.filter(reviewer=request.user).exists())
    participations = reviewable_participations(request.user, period)
    appeals_listed = (Appeal.objects.filter(participation__in=participations)
                      .select_related("participation__unit", "filed_by", "decided_by")
                      .order_by(Case(When(state=Appeal.State.OPEN, then=0), default=1), "filed_at", "pk"))
    page, keep = one_page(request, appeals_listed)
    needing = reviews.second_review_needed(period)
    needed = list(participations.filter(pk__in=needing).select_related("unit", "group"))
    confirmed = (SecondReview.objects.filter(participation__in=participations)
                 .select_related("participation__unit", "reviewer").order_by("-at"))
    return render(request, "assessments/appeals_and_second_reviews.html", {
        "period": period, "page": page, "appeals": page.object_list,
        "open_appeals": appeals_listed.filter(state=Appeal.State.OPEN).count(),
        "needed": needed, "keep": keep, "confirmed": confirmed[:PAGE_SIZE], "confirmed_count": confirmed.count()})





def _participation(request, participation_id: int) -> Participation:
    participation = get_object_or_404(Participation.objects.select_related("period__framework", "unit", "group"),
                                      pk=participation_id)
    require(can_review(request.user, participation))
    return participation


def _leaf(participation: Participation, code: str):
    group = participation.framework_group
    for _pillar, indicator in group.indicators():
        if indicator.code == code and not indicator.children:
            return indicator
    raise Http404


def _review_context(participation: Participation) -> dict:
    """Everything the unit's review page shows; an action done in place re-renders the parts it changed."""
    group = participation.framework_group
    entries = {(e.indicator_code, e.stage): e for e in participation.entries.select_related("updated_by")}
    documents = defaultdict(list)
    for document in participation.evidence.current():
        documents[document.indicator_code].append(document)
    questions = list(participation.clarifications.select_related("answered_by", "participation__period"))
    questions_by_code = defaultdict(list)
    for question in questions:
        questions_by_code[question.indicator_code].append(question)
    stale = progress.stale_reviews(participation.period, participation).get(participation.pk, set())
    declared_points = declarations.entered_points(participation, Stage.DECLARED)
    reviewed_points = declarations.entered_points(participation, Stage.REVIEWED)
    pillars = []
    for pillar in group.pillars:
        items = []
        for indicator in pillar.walk():
            if indicator.children:
                continue
            declared = entries.get((indicator.code, Stage.DECLARED))
            reviewed = entries.get((indicator.code, Stage.REVIEWED))
            explanation = ""
            if declared:
                result, problem = declarations.preview(indicator, declared.inputs, declared.not_applicable,
                                                       participation)
                explanation = result.explanation if result else problem
            initial = {f"input_{k}": v for k, v in ((reviewed or declared).inputs.items() if (reviewed or declared)
                                                     else [])}
            items.append({"indicator": indicator, "declared": declared, "reviewed": reviewed,
                          "stale": indicator.code in stale,
                          "evidence": documents[indicator.code],
                          "questions": questions_by_code[indicator.code],
                          "explanation": explanation,
                          "form": IndicatorForm(indicator=indicator, initial=initial, prefix=indicator.code)})
        pillars.append({"pillar": pillar, "items": items, "declared": declared_points[pillar.code],
                        "reviewed": reviewed_points[pillar.code],
                        # declared, and not reviewed or changed since: what "accept the remaining" would accept
                        "remaining": sum(1 for i in items if i["declared"] and (not i["reviewed"] or i["stale"]))})
    declaration = progress.declaration_as_stored(participation)
    return {
        "remaining": sum(row["remaining"] for row in pillars),
        "participation": participation, "pillars": pillars, "declaration": declaration,
        "declaration_state": progress.state_in_words(participation, declaration),
        "refusal": policy.review_refusal(participation),
        "drafts": [q for q in questions if q.sent_at is None],
        "sent": [q for q in questions if q.sent_at is not None],
        "second_reviews": participation.second_reviews.select_related("reviewer"),
        "open_appeals": [(a, IndicatorForm(indicator=_leaf(participation, a.indicator_code), prefix=f"appeal-{a.pk}"))
                         for a in participation.appeals.filter(state=Appeal.State.OPEN)]}


@login_required
def unit_review(request, participation_id: int):
    participation = _participation(request, participation_id)
    reviews.note_visit(participation, request.user)
    return render(request, "assessments/review_unit.html", _review_context(participation))


def _in_place(request) -> bool:
    """An action sent by htmx from the review page: answered with the parts of the page it changed."""
    return request.headers.get("HX-Request") == "true"


def _after_action(request, participation: Participation, anchor: str, *indicator_codes: str):
    """Back to the review page, or, done in place, the cards of the indicators acted on and the parts of the page
    an action changes (points, state, questions, what remains to accept) with the outcome in words."""
    if not _in_place(request):
        return redirect(reverse("assessments:review_unit", args=[participation.pk]) + anchor)
    context = _review_context(participation)
    context["items"] = [item for row in context["pillars"] for item in row["items"]
                        if item["indicator"].code in indicator_codes]
    context["outcome"] = list(messages.get_messages(request))  # shown in place, so not again on the next page
    # a refused action leaves the card as it is, with what the reviewer typed
    context["failed"] = any(message.level >= messages.ERROR for message in context["outcome"])
    return render(request, "assessments/_review_update.html", context)


@login_required
@require_POST
def review_action(request, participation_id: int, indicator_code: str):
    participation = _participation(request, participation_id)
    indicator = _leaf(participation, indicator_code)
    require(can_review(request.user, participation, indicator.code))
    action = request.POST.get("action")
    version = request.POST.get("version")
    expected = int(version) if version and version.isdigit() else None
    try:
        if action == "accept":
            reviews.accept(participation, indicator, by=request.user, expected_version=expected)
            messages.success(request, _("%s accepted as declared.") % indicator.code)
        elif action == "adjust":
            form = IndicatorForm(request.POST, indicator=indicator, prefix=indicator.code)
            form.is_valid()
            reviews.adjust(participation, indicator, inputs=form.inputs(),
                           not_applicable=form.cleaned_data.get("not_applicable", False),
                           reason=request.POST.get("reason", ""), by=request.user, expected_version=expected,
                           points=request.POST.get("points", ""))
            messages.success(request, _("%s adjusted.") % indicator.code)
        elif action == "clarify":
            reviews.write_question(participation, indicator, request.POST.get("question", ""), by=request.user)
            messages.success(request, _("The question on %s is written; send the round's questions together.")
                             % indicator.code)
        else:
            raise Http404
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, f"{indicator.code}: {message}")
    except declarations.EditConflict as exc:
        messages.error(request, f"{indicator.code}: {exc}")
    return _after_action(request, participation, f"#review-{indicator.code}", indicator.code)


@login_required
@require_POST
def send_questions(request, participation_id: int):
    """Send the questions written on the unit, together, as one round."""
    participation = _participation(request, participation_id)
    try:
        sent = reviews.send_questions(participation, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(count)d questions sent to %(unit)s in one message.")
                         % {"count": len(sent), "unit": participation.unit.name})
    return _after_action(request, participation, "#questions")


@login_required
@require_POST
def discard_question(request, participation_id: int, question_id: int):
    participation = _participation(request, participation_id)
    question = get_object_or_404(participation.clarifications.drafts(), pk=question_id)
    require(can_review(request.user, participation, question.indicator_code))
    reviews.discard_question(question, by=request.user)
    messages.success(request, _("The question on %s was discarded.") % question.indicator_code)
    return _after_action(request, participation, "#questions", question.indicator_code)


@login_required
@require_POST
def return_declaration(request, participation_id: int):
    participation = _participation(request, participation_id)
    try:
        reviews.return_declaration(participation, request.POST.get("reason", ""), by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The declaration was returned to %s for correction.") % participation.unit.name)
    return redirect("assessments:review_unit", participation.pk)


@login_required
@require_POST
def accept_remaining(request, participation_id: int):
    """Accept as declared the indicators still to review: of one pillar (``pillar``), or of the whole unit; only
    those the reviewer is assigned."""
    participation = _participation(request, participation_id)
    pillar_code = request.POST.get("pillar", "")
    group = participation.framework_group
    wanted = [i for pillar, i in group.indicators() if not i.children and pillar_code in ("", pillar.code)]
    allowed = set(reviewable_codes(request.user, participation, [i.code for i in wanted]))
    indicators = [i for i in wanted if i.code in allowed]
    accepted = []
    try:
        accepted = reviews.accept_remaining(participation, indicators, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if accepted:
            messages.success(request, _("%(count)d indicators accepted as declared: %(codes)s.")
                             % {"count": len(accepted), "codes": ", ".join(accepted)})
        else:
            messages.info(request, _("Nothing was left to review there."))
    return _after_action(request, participation, f"#pillar-{pillar_code}" if pillar_code else "", *accepted)


@login_required
@require_POST
def second_review(request, participation_id: int):
    participation = _participation(request, participation_id)
    try:
        reviews.confirm_second_review(participation, by=request.user, note=request.POST.get("note", ""))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Second review recorded for %s.") % participation.unit.name)
    return redirect("assessments:review_unit", participation.pk)


@login_required
@require_POST
def decide_appeal(request, participation_id: int, appeal_id: int):
    participation = _participation(request, participation_id)
    appeal = get_object_or_404(Appeal, pk=appeal_id, participation=participation)
    indicator = _leaf(participation, appeal.indicator_code)
    form = IndicatorForm(request.POST, indicator=indicator, prefix=f"appeal-{appeal.pk}")
    form.is_valid()
    try:
        appeals.decide_appeal(appeal, indicator, upheld=request.POST.get("upheld") == "yes",
                              decision=request.POST.get("decision", ""), inputs=form.inputs(), by=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, f"{indicator.code}: {message}")
    else:
        messages.success(request, _("The appeal on %s was decided.") % indicator.code)
    return redirect("assessments:review_unit", participation.pk)
