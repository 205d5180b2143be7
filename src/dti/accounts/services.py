"""Accounts: a Django user, its role group and its membership, created together; enabled and disabled. Each
change is recorded in the audit log."""

from __future__ import annotations

import datetime
import re

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dti.accounts.models import Membership, PasswordResetRequest, Role
from dti.assessments.audit import Action, record

RESET_LIMIT_PER_EMAIL = 3  # per hour: enough for a mistyped or lost message, not enough to flood a mailbox
RESET_LIMIT_PER_ADDRESS = 10


def check_new_password(password: str, *, username: str, email: str = "", full_name: str = "") -> None:
    """Django's password validators (settings.AUTH_PASSWORD_VALIDATORS) for an account not yet saved; every
    path that sets a password goes through them."""
    validate_password(password, get_user_model()(username=username, email=email, first_name=full_name))


@transaction.atomic
def create_account(*, username: str, password: str, role: str, full_name: str = "", email: str = "",
                   unit=None, by=None):
    if password is not None:  # None: an account that cannot sign in with a password
        check_new_password(password, username=username, email=email, full_name=full_name)
    user = get_user_model().objects.create_user(username=username, password=password, email=email,
                                                first_name=full_name)
    membership = Membership(user=user, role=role, unit=unit if role == Role.UNIT_OFFICER else None)
    membership.full_clean()
    membership.save()
    record(Action.ACCOUNT_CREATED, by=by, new={"account": username, "role": str(role), "full_name": full_name,
                                                "email": email, "unit": unit.name if membership.unit else None})
    return user


@transaction.atomic
def edit_account(account, *, full_name: str, email: str, role: str, unit=None, by=None) -> list[str]:
    """Change an account's name, address, role or unit; the names of what changed. The account keeps its
    history; a role or a unit changed takes effect at its next page."""
    membership = Membership.objects.filter(user=account).first() or Membership(user=account)
    before = {"full_name": account.first_name, "email": account.email, "role": membership.role,
              "unit": membership.unit.name if membership.unit_id else None}
    if by is not None and account.pk == by.pk and role != membership.role:
        raise ValidationError(_("You cannot change your own role."))
    account.first_name, account.email = full_name.strip(), email.strip()
    membership.role, membership.unit = role, unit if role == Role.UNIT_OFFICER else None
    membership.full_clean(exclude=["user"])
    after = {"full_name": account.first_name, "email": account.email, "role": str(membership.role),
             "unit": membership.unit.name if membership.unit else None}
    changed = [name for name in after if before[name] != after[name]]
    if not changed:
        return []
    account.save(update_fields=["first_name", "email"])
    membership.save()
    record(Action.ACCOUNT_CHANGED, by=by, old={name: before[name] for name in changed},
           new={"account": account.username, **{name: after[name] for name in changed}})
    return changed


@transaction.atomic
def set_password(account, password: str, by=None) -> None:
    """A new password chosen by the secretariat (for an officer who lost theirs and has no e-mail): the
    validators apply, the account's open sessions end, and the log records that it changed, never the password."""
    check_new_password(password, username=account.username, email=account.email, full_name=account.first_name)
    account.set_password(password)
    account.save(update_fields=["password"])
    record(Action.PASSWORD_SET, by=by, new={"account": account.username})


@transaction.atomic
def set_active(account, active: bool, by=None) -> None:
    """Enable or disable an account: a disabled account cannot sign in; its work and its history stay."""
    if account.is_active == active:
        return
    account.is_active = active
    account.save(update_fields=["is_active"])
    record(Action.ACCOUNT_ENABLED if active else Action.ACCOUNT_DISABLED, by=by, new={"account": account.username})


def pending_two_factor(user):
    """The authenticator being set up: its secret must stay the same between showing the code and confirming."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.get_or_create(user=user, confirmed=False, defaults={"name": "authenticator"})[0]


@transaction.atomic
def turn_on_two_factor(device, by) -> None:
    """The account's authenticator, confirmed by a code it gave: the code is asked at every sign-in."""
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    record(Action.TWO_FACTOR_ON, by=by, new={"account": device.user.username})


@transaction.atomic
def turn_off_two_factor(device, by) -> None:
    device.delete()
    record(Action.TWO_FACTOR_OFF, by=by, new={"account": device.user.username})


def password_reset_may_send(email: str, address: str) -> bool:
    """Record a password-reset request; False when its e-mail address or client address asked too often in the
    last hour (the page answers the same either way, and no mail goes)."""
    email = email.strip().lower()
    recent = PasswordResetRequest.objects.filter(at__gte=timezone.now() - datetime.timedelta(hours=1))
    throttled = (recent.filter(email=email).count() >= RESET_LIMIT_PER_EMAIL
                 or recent.filter(address=address).count() >= RESET_LIMIT_PER_ADDRESS)
    PasswordResetRequest.objects.create(email=email, address=address)
    return not throttled


USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,149}$")


def import_accounts(path, by=None) -> list:
    """Create the accounts of a filled accounts workbook (dti.documents.account_sheet) or its CSV: every row is
    checked first and every fault reported at once with its line and column; with any fault nothing is created.
    Each new holder is mailed a link to choose their own password. The accounts created."""
    from dti.assessments.actions import notifications
    from dti.assessments.models import Unit
    from dti.documents.account_sheet import COLUMNS
    from dti.documents.tables import read_table
    from dti.engine import DtiError
    from dti.engine.names import clean_name, name_key

    try:
        header, rows = read_table(path)
    except DtiError as exc:
        raise ValidationError(str(exc)) from None
    if [h.casefold() for h in header[:len(COLUMNS)]] != [c.casefold() for c in COLUMNS]:
        raise ValidationError(_("The first row must be the template's: %s.") % ", ".join(COLUMNS))
    roles = {str(label).casefold(): value for value, label in Role.choices} | {value: value for value in Role.values}
    units = {name_key(u.name): u for u in Unit.objects.all()} | {
        u.official_code: u for u in Unit.objects.exclude(official_code="")}
    taken = set(get_user_model().objects.values_list("username", flat=True))
    emails = {e.casefold() for e in get_user_model().objects.filter(is_active=True).exclude(email="")
              .values_list("email", flat=True)}
    problems, accounts = [], []
    for line, cells in rows:
        username, full_name, email, role_text, unit_text = (clean_name(c) for c in [*cells, "", "", "", "", ""][:5])

        def fault(column: str, text: str, line=line) -> None:
            problems.append(_("Line %(line)s, column “%(column)s”: %(fault)s") % {
                "line": line, "column": column, "fault": text})

        if not USERNAME.match(username):
            fault(COLUMNS[0], _("“%s” is not a username (small letters without diacritics, digits, . _ -).")
                  % username)
        elif username in taken:
            fault(COLUMNS[0], _("“%s” is already taken.") % username)
        taken.add(username)
        if not full_name:
            fault(COLUMNS[1], _("the full name is missing."))
        if email:
            if "@" not in email or " " in email:
                fault(COLUMNS[2], _("“%s” is not an e-mail address.") % email)
            elif email.casefold() in emails:
                fault(COLUMNS[2], _("another active account already has “%s”.") % email)
            emails.add(email.casefold())
        role = roles.get(role_text.casefold())
        if role is None:
            fault(COLUMNS[3], _("“%s” is not a role.") % role_text)
        unit = units.get(unit_text) or units.get(name_key(unit_text)) if unit_text else None
        if unit_text and unit is None:
            fault(COLUMNS[4], _("no unit is named or coded “%s”.") % unit_text)
        elif role is not None:
            try:  # who belongs to a unit is the membership's rule
                Membership(role=role, unit=unit).clean()
            except ValidationError as error:
                fault(COLUMNS[4], " ".join(error.message_dict["unit"]))
        accounts.append((username, full_name, email, role, unit))
    if not rows:
        problems.append(_("The file has no account."))
    if problems:
        raise ValidationError(problems)
    created = []
    with transaction.atomic():
        for username, full_name, email, role, unit in accounts:
            account = create_account(username=username, password=None, role=role, full_name=full_name, email=email,
                                     unit=unit, by=by)
            if email:
                notifications.account_opened(account)
            created.append(account)
    return created
