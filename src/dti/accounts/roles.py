"""A person's role in the assessment, read once per question: the secretariat, a reviewer, a unit officer or a
leader (a superuser counts as the secretariat)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from dti.accounts.models import Role


def role_of(user) -> str | None:
    if not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return Role.SECRETARIAT
    membership = getattr(user, "membership", None)
    return membership.role if membership else None


def is_secretariat(user) -> bool:
    return role_of(user) == Role.SECRETARIAT


def reads_everything(user) -> bool:
    return role_of(user) in (Role.SECRETARIAT, Role.LEADER)


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def require_secretariat(user) -> None:
    require(is_secretariat(user))
