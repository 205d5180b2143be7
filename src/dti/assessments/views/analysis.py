"""The analysis screens: a group's rank intervals, fragile grades, accuracy, reviewers and sensitivity for the
secretariat and leaders; a unit's own analysis for everyone who may read its declaration."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from dti.accounts.roles import reads_everything, require
from dti.assessments.actions import reviews
from dti.assessments.models import Participation, Period, SecondReview
from dti.assessments.queries.baseline import comparison
from dti.assessments.queries.group_analysis import (
    analysis_of_participation,
    group_analysis,
    interval_rows,
    intervals_chart,
    probabilities_chart,
    reviewer_statistics,
)
from dti.assessments.queries.presentation import (
    problem_text,
    provisional_total,
    units_not_sent,
    visible_unit_names,
)
from dti.assessments.scope import can_read_declaration
from dti.assessments.views.forms import AnalysisSettingsForm
from dti.engine import DtiError
from dti.web.names import glossary_of


@login_required
def period_analysis(request, period_id: int):
    period = get_object_or_404(Period.objects.select_related("framework"), pk=period_id)
    require(reads_everything(request.user))
    codes = set(period.participations.values_list("group__code", flat=True))
    groups = [g for g in period.framework.parsed.groups if g.code in codes]
    form = AnalysisSettingsForm(request.GET or None, groups=groups)
    form.is_valid()  # invalid fields fall back to their defaults and show their errors
    if not groups:
        raise Http404
    code = form.value("khoi") or groups[0].code
    context = {"period": period, "form": form, "groups": groups,
               "group": next((g for g in groups if g.code == code), groups[0])}
    try:
        analysis = group_analysis(period, code, form.uncertainty_settings())
    except DtiError as exc:
        return render(request, "assessments/analysis.html", {**context, "problem": str(exc)})
    result = analysis.result
    participations = {p.name: p for p in period.participations.filter(group__code=code).select_related("unit")}
    confirmed = set(SecondReview.objects.filter(participation__period=period).values_list("participation_id",
                                                                                          flat=True))
    rows = interval_rows(analysis)
    for row in rows:
        row["participation"] = participations.get(row["unit"])
        row["dropped"] = analysis.sensitivity.changes(row["index"], "dropped")
        row["halved"] = analysis.sensitivity.changes(row["index"], "halved")
    needed = reviews.second_review_needed(period)
    fragile = [{"fragile": f, "unit": result.units[f.unit].name, "rank": result.ranks[f.unit],
                "participation": participations.get(result.units[f.unit].name),
                "confirmed": participations.get(result.units[f.unit].name) is not None
                and participations[result.units[f.unit].name].pk in confirmed,
                # within the margin and not yet confirmed: finalizing waits for it (the queue flags the same)
                "required": participations.get(result.units[f.unit].name) is not None
                and participations[result.units[f.unit].name].pk in needed}
               for f in analysis.fragile]
    accuracy = [{"accuracy": a, "unit": result.units[a.unit].name} for a in analysis.accuracy]
    scatter = {"points": [{"unit": a["unit"], "declared": float(a["accuracy"].declared),
                           "reviewed": float(a["accuracy"].reviewed)} for a in accuracy],
               "max": float(result.group.max_points)}
    return render(request, "assessments/analysis.html", {
        **context, "analysis": analysis,
        "second_reviews_open": period.state in (Period.State.REVIEWING, Period.State.APPEALS),
        "settings": analysis.uncertainty.settings, "rows": rows, "fragile": fragile,
        "accuracy": accuracy, "reviewers": reviewer_statistics(period, analysis),
        "pillars": [p for p in result.group.pillars if p.code in analysis.sensitivity.pillars],
        "intervals": intervals_chart(analysis), "probabilities": probabilities_chart(analysis),
        "scatter": scatter})


@login_required
def participation_analysis(request, participation_id: int):
    participation = get_object_or_404(Participation.objects.select_related("unit", "group", "period__framework"),
                                      pk=participation_id)
    require(can_read_declaration(request.user, participation))
    period = participation.period
    context = {"period": period, "participation": participation}
    final = period.state in (Period.State.FINALIZED, Period.State.PUBLISHED)
    context["glossary"] = glossary_of([period.framework.parsed])
    try:
        found = analysis_of_participation(participation)
    except DtiError as exc:
        waiting = units_not_sent(period, participation.group.code)
        # The analyses compare the whole group: while units have not sent, that is said in words, not as the
        # first missing value of some other unit.
        problem = (_("The analyses compare every unit of the group, and %(n)d units of it have not sent their "
                     "declaration yet; they appear once every unit has.") % {"n": waiting} if waiting
                   else problem_text(exc, visible_unit_names(request.user, period)))
        return render(request, "assessments/unit_analysis.html", {
            **context, "problem": problem,
            "comparison": comparison(participation, provisional_total(participation), provisional=True)})
    return render(request, "assessments/unit_analysis.html", {**context, "a": found,
                                                              "comparison": comparison(participation,
                                                                                       found.get("total"),
                                                                                       provisional=not final),
                                                              "final": final})
