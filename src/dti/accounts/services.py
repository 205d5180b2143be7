"""Creating accounts: a Django user, its role group and its membership, together."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from .models import Membership, Role


@transaction.atomic
def create_account(*, username: str, password: str, role: str, full_name: str = "", email: str = "",
                   unit=None):
    user = get_user_model().objects.create_user(username=username, password=password, email=email,
                                                first_name=full_name)
    membership = Membership(user=user, role=role, unit=unit if role == Role.UNIT_OFFICER else None)
    membership.full_clean()
    membership.save()
    group, _ = Group.objects.get_or_create(name=str(role))
    user.groups.add(group)
    return user
