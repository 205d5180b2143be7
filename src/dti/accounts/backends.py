"""Signing in with a username and password, as Django's model backend does; reading the signed-in person back on
each request with what every page asks of them.

Every signed-in request reads its user; the role and unit (``Membership``) and whether the account has a
confirmed authenticator (the second step) are asked on every working page. Read with the user, they cost one
query instead of three, whatever page it is.
"""

from __future__ import annotations

import functools
import operator

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Value


@functools.cache
def _device_kinds() -> tuple:
    from django_otp import device_classes

    return tuple(device_classes())  # the installed apps' device models: fixed once the apps are loaded


def with_membership_and_authenticator(users):
    """``users`` with their membership and ``has_authenticator``: a confirmed device of any kind."""
    kinds = [Exists(model.objects.filter(user=OuterRef("pk"), confirmed=True)) for model in _device_kinds()]
    confirmed = (ExpressionWrapper(functools.reduce(operator.or_, kinds), output_field=BooleanField())
                 if kinds else Value(False))
    return users.select_related("membership").annotate(has_authenticator=confirmed)


class AccountBackend(ModelBackend):
    def get_user(self, user_id):
        users = get_user_model()._default_manager
        try:
            user = with_membership_and_authenticator(users.all()).get(pk=user_id)
        except users.model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
