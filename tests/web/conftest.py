"""People and a period for the web tests (named people, not fixtures files).

An runs the secretariat, Bình reviews the district group, Chi declares for UBND TP. Bắc Ninh (a district),
Dung declares for Sở Y tế (a department), Lan is a leader. Chi must see nothing of Dung's unit.
"""

import pytest

from dti.accounts.models import ReviewerAssignment, Role
from dti.accounts.services import create_account
from dti.assessments import services
from dti.assessments.models import Unit

from ..conftest import BACNINH_DATA, BACNINH_FRAMEWORK

PASSWORD = "mat-khau-thu-nghiem-123"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The real hasher costs half a second per account by design; tests create many accounts.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def framework(db):
    version, _ = services.import_framework(BACNINH_FRAMEWORK.read_text(encoding="utf-8"), BACNINH_FRAMEWORK.name)
    return version


@pytest.fixture
def period(framework):
    """The 2023 period with the published results loaded, still in draft."""
    period = services.create_period(year=2023, name="Kỳ 2023", framework=framework)
    services.import_results(period, BACNINH_DATA)
    return period


@pytest.fixture
def people(period):
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
