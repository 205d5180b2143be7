"""People and a period for the web tests (named people, not fixtures files).

An runs the secretariat, Bình reviews the district group, Chi declares for UBND TP. Bắc Ninh (a district),
Dung declares for Sở Y tế (a department), Lan is a leader. Chi must see nothing of Dung's unit.

A module of many tests over the same rows marks itself ``pytestmark = pytest.mark.usefixtures("world")``: the
period and its people (and what the module's ``extend_world(world)`` adds) are then written once for the module,
in a transaction that each test's own transaction nests in and that is rolled back after the module — Django's
``TestCase.setUpTestData``. Each test still gets fresh instances and its changes are undone after it.
"""

from contextlib import contextmanager

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from dti.accounts.models import Role
from dti.accounts.services import create_account
from dti.assessments.actions.frameworks import import_framework
from dti.assessments.actions.imports import import_results
from dti.assessments.actions.periods import create_period
from dti.assessments.models import ReviewerAssignment, Unit

from ..conftest import BACNINH_DATA, BACNINH_FRAMEWORK

PASSWORD = "mat-khau-thu-nghiem-123"
# The real hasher costs half a second per account by design; tests create many accounts.
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
NAMES = ("an", "binh", "chi", "dung", "lan")


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = FAST_HASHERS


class World:
    """Rows written once for a module, kept by primary key and fetched afresh for every test."""

    def __init__(self):
        self._keys = {}

    def __setitem__(self, name, instance):
        self._keys[name] = (type(instance), instance.pk)

    def __getitem__(self, name):
        model, pk = self._keys[name]
        return model.objects.get(pk=pk)

    def __contains__(self, name):
        return name in self._keys

    def update(self, **instances):
        for name, instance in instances.items():
            self[name] = instance


@contextmanager
def rolled_back():
    atomic = transaction.atomic()
    atomic.__enter__()
    try:
        yield
    finally:
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


@pytest.fixture(scope="module")
def world(request, django_db_setup, django_db_blocker, tmp_path_factory):
    with (django_db_blocker.unblock(), rolled_back(),
          override_settings(PASSWORD_HASHERS=FAST_HASHERS, MEDIA_ROOT=tmp_path_factory.mktemp("media"))):
        world = World()
        world["framework"] = _import_framework()
        world["period"] = _bacninh_period(world["framework"])
        for name, account in _people(world["period"]).items():
            world[f"people.{name}"] = account
        extend = getattr(request.module, "extend_world", None)
        if extend is not None:
            extend(world)
        yield world


def _world(request):
    return request.getfixturevalue("world") if "world" in request.fixturenames else None


@pytest.fixture
def framework(request, db):
    world = _world(request)
    return world["framework"] if world else _import_framework()


@pytest.fixture
def period(request, framework):
    """The 2023 period with the published results loaded, still in draft."""
    world = _world(request)
    return world["period"] if world else _bacninh_period(framework)


@pytest.fixture
def people(request, period):
    world = _world(request)
    return {name: world[f"people.{name}"] for name in NAMES} if world else _people(period)


def _import_framework():
    version, _ = import_framework(BACNINH_FRAMEWORK.read_text(encoding="utf-8"), BACNINH_FRAMEWORK.name)
    return version


def _bacninh_period(framework):
    period = create_period(year=2023, name="Kỳ 2023", framework=framework)
    import_results(period, BACNINH_DATA)
    return period


def _people(period):
    district = Unit.objects.get(name="UBND TP. Bắc Ninh")
    department = Unit.objects.get(name="Sở Y tế")
    people = {
        "an": create_account(username="an", password=PASSWORD, role=Role.SECRETARIAT),
        "binh": create_account(username="binh", password=PASSWORD, role=Role.REVIEWER),
        "chi": create_account(username="chi", password=PASSWORD, role=Role.UNIT_OFFICER, unit=district,
                              email="chi@ubnd-bacninh.example"),
        "dung": create_account(username="dung", password=PASSWORD, role=Role.UNIT_OFFICER, unit=department),
        "lan": create_account(username="lan", password=PASSWORD, role=Role.LEADER),
    }
    ReviewerAssignment.objects.create(period=period, reviewer=people["binh"],
                                      group=period.framework.groups.get(code="huyen"))
    return people


@pytest.fixture
def as_user(client, people):
    def sign_in(name):
        if name is None:
            client.logout()
        else:
            client.force_login(people[name])
        return client

    return sign_in


@pytest.fixture
def work(monkeypatch):
    """The worker, run until nothing waits. It closes stale connections between tasks, as a long-lived process
    must; here that would be the test's own connection, inside its transaction (PostgreSQL closes it)."""
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)
    return lambda: call_command("worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)
