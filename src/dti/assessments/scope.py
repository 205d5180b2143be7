"""The one place that decides who may see or change what (``policy`` decides when).

Every view asks here, with the object it is about, never with the role alone: a unit officer may read their
own unit's declaration and nobody else's; a reviewer the groups assigned to them in that period.
"""

from __future__ import annotations

from django.db.models import QuerySet

from dti.accounts.models import Role
from dti.accounts.roles import role_of
from dti.assessments.models import Period


def visible_periods(user) -> QuerySet:


    role = role_of(user)
    if role in (Role.SECRETARIAT, Role.LEADER):
        return Period.objects.all()
    if role == Role.REVIEWER:
        return Period.objects.filter(reviewer_assignments__reviewer=user).distinct()
    if role == Role.UNIT_OFFICER:
        return Period.objects.filter(participations__unit_id=user.membership.unit_id).distinct()
    return Period.objects.none()


def visible_participations(user, period) -> QuerySet:
    """The units of ``period`` whose figures ``user`` may read before publication."""
    role = role_of(user)
    participations = period.participations.all()
    if role in (Role.SECRETARIAT, Role.LEADER):
        return participations
    if role == Role.REVIEWER:
        groups = period.reviewer_assignments.filter(reviewer=user).values("group")
        return participations.filter(group__in=groups)
    if role == Role.UNIT_OFFICER:
        return participations.filter(unit_id=user.membership.unit_id)
    return participations.none()


def can_read_period(user, period) -> bool:
    return visible_periods(user).filter(pk=period.pk).exists()


def can_read_declaration(user, participation) -> bool:
    """Secretariat and leaders read every declaration; a reviewer those of their groups; an officer their own."""
    role = role_of(user)
    if role in (Role.SECRETARIAT, Role.LEADER):
        return True
    if role == Role.REVIEWER:
        return participation.period.reviewer_assignments.filter(reviewer=user, group=participation.group_id).exists()
    if role == Role.UNIT_OFFICER:
        return participation.unit_id == user.membership.unit_id
    return False


def can_edit_declaration(user, participation) -> bool:
    """Only the unit's own officers declare for it."""
    return role_of(user) == Role.UNIT_OFFICER and participation.unit_id == user.membership.unit_id


def can_review(user, participation, indicator_code: str | None = None) -> bool:
    """Reviewers review what is assigned to them in the period — a whole group, or named indicators of it; the
    secretariat reviews everything. Without ``indicator_code``: may the user review anything of this unit?"""
    role = role_of(user)
    if role == Role.SECRETARIAT:
        return True
    if role != Role.REVIEWER:
        return False
    assignments = participation.period.reviewer_assignments.filter(reviewer=user, group=participation.group_id)
    if indicator_code is None:
        return assignments.exists()
    return assignments.filter(indicator_code__in=("", indicator_code)).exists()


def reviewable_codes(user, participation, codes) -> list[str]:
    """Of the indicator ``codes`` of the unit, those the user may review (``can_review`` for each), in one query."""
    role = role_of(user)
    if role == Role.SECRETARIAT:
        return list(codes)
    if role != Role.REVIEWER:
        return []
    assigned = set(participation.period.reviewer_assignments.filter(reviewer=user, group=participation.group_id)
                   .values_list("indicator_code", flat=True))
    return [code for code in codes if "" in assigned or code in assigned]


def reviewable_participations(user, period) -> QuerySet:
    role = role_of(user)
    if role == Role.SECRETARIAT:
        return period.participations.all()
    if role == Role.REVIEWER:
        return period.participations.filter(group__in=period.reviewer_assignments.filter(reviewer=user)
                                            .values("group"))
    return period.participations.none()
