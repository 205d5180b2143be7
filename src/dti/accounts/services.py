"""Creating accounts: a Django user, its role group and its membership, together."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from .models import Membership, Role


def check_new_password(password: str, *, username: str, email: str = "", full_name: str = "") -> None:
    """Django's password validators (settings.AUTH_PASSWORD_VALIDATORS) for an account not yet saved; every
    path that sets a password goes through them."""
    validate_password(password, get_user_model()(username=username, email=email, first_name=full_name))


@transaction.atomic
def create_account(*, username: str, password: str, role: str, full_name: str = "", email: str = "",
                   unit=None):
    if password is not None:  # None: an account that cannot sign in with a password
        check_new_password(password, username=username, email=email, full_name=full_name)
    user = get_user_model().objects.create_user(username=username, password=password, email=email,
                                                first_name=full_name)
    membership = Membership(user=user, role=role, unit=unit if role == Role.UNIT_OFFICER else None)
    membership.full_clean()
    membership.save()
    group, _ = Group.objects.get_or_create(name=str(role))
    user.groups.add(group)
    return user
