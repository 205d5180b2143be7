"""An account changes after it is created — name, address, role, unit, a new password — through the actions of
``accounts.services``, each recorded in the change log; the secretariat's one page per account."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from dti.accounts.models import Membership
from dti.assessments.audit import Action
from dti.assessments.models import AuditEntry, Unit
from dti.assessments.queries.audit_log import describe

from .conftest import PASSWORD

# The period and its people are written once for the module (conftest's ``world``).
pytestmark = pytest.mark.usefixtures("world")

NEW_PASSWORD = "mot-mat-khau-moi-2026"


def edit(client, account, **fields):
    """Post the account's page with its current values, but for ``fields``."""
    account.refresh_from_db()
    membership = Membership.objects.get(user=account)
    data = {"full_name": account.first_name, "email": account.email, "role": membership.role,
            "unit": membership.unit_id or "", **fields}
    return client.post(reverse("assessments:user", args=[account.pk]), data, follow=True)


def test_the_secretariat_moves_an_officer_to_another_unit_and_the_log_says_so(as_user, people):
    chi = people["chi"]
    department = Unit.objects.get(name="Sở Y tế")
    page = edit(as_user("an"), chi, full_name="Nguyễn Thị Chi", unit=department.pk).content.decode()
    assert "Đã sửa tài khoản “chi”." in page
    chi.refresh_from_db()
    assert (chi.first_name, Membership.objects.get(user=chi).unit) == ("Nguyễn Thị Chi", department)
    entry = AuditEntry.objects.get(action=Action.ACCOUNT_CHANGED)
    assert describe(entry) == ("an sửa tài khoản chi: họ tên — → Nguyễn Thị Chi; "
                               "đơn vị UBND TP. Bắc Ninh → Sở Y tế")


def test_a_new_role_drops_the_unit_and_reads_in_words_in_the_log(as_user, people):
    edit(as_user("an"), people["chi"], full_name="Nguyễn Thị Chi", role="reviewer", unit="")
    membership = Membership.objects.get(user=people["chi"])
    assert (membership.role, membership.unit) == ("reviewer", None)
    assert "vai trò Cán bộ đơn vị → Cán bộ thẩm định" in describe(AuditEntry.objects.get(action=Action.ACCOUNT_CHANGED))


def test_a_unit_officer_without_a_unit_is_refused_and_nothing_changes(as_user, people):
    page = edit(as_user("an"), people["lan"], full_name="Lê Thị Lan", role="unit_officer", unit="").content.decode()
    assert "Cán bộ đơn vị phải thuộc một đơn vị." in page
    assert Membership.objects.get(user=people["lan"]).role == "leader"
    assert not AuditEntry.objects.filter(action=Action.ACCOUNT_CHANGED).exists()


def test_an_address_another_active_account_uses_is_refused_but_its_own_is_kept(as_user, people):
    get_user_model().objects.filter(username__in=["chi", "lan"]).update(first_name="Người dùng")
    an = as_user("an")
    page = edit(an, people["lan"], email="CHI@ubnd-bacninh.example").content.decode()
    assert "Một tài khoản đang hoạt động khác đã dùng địa chỉ e-mail này." in page
    assert "Tài khoản “chi” không thay đổi." in edit(an, people["chi"]).content.decode()
    assert not AuditEntry.objects.filter(action=Action.ACCOUNT_CHANGED).exists()


def test_the_secretariat_cannot_change_its_own_role(as_user, people):
    page = edit(as_user("an"), people["an"], full_name="Trần Văn An", role="leader").content.decode()
    assert "Không thể tự đổi vai trò của chính mình." in page
    assert Membership.objects.get(user=people["an"]).role == "secretariat"


def test_a_new_password_signs_the_officer_in_and_ends_their_open_sessions(as_user, people):
    officer = Client()
    officer.force_login(people["chi"])
    declarations = reverse("assessments:dashboard")
    assert officer.get(declarations).status_code == 200
    page = as_user("an").post(reverse("assessments:user", args=[people["chi"].pk]),
                              {"password": NEW_PASSWORD, "repeated": NEW_PASSWORD}, follow=True).content.decode()
    assert "Đã đặt mật khẩu mới cho “chi”." in page
    assert officer.get(declarations).status_code == 302  # the old session ended: back to the sign-in page
    chi = get_user_model().objects.get(pk=people["chi"].pk)
    assert chi.check_password(NEW_PASSWORD) and not chi.check_password(PASSWORD)
    entry = AuditEntry.objects.get(action=Action.PASSWORD_SET)
    assert describe(entry) == "an đặt mật khẩu mới cho chi" and NEW_PASSWORD not in str(entry.new)


@pytest.mark.parametrize(("password", "repeated", "message"), [
    ("1234567890", "1234567890", "Mật khẩu này quá phổ biến."),
    (NEW_PASSWORD, NEW_PASSWORD + "x", "Hai mật khẩu không giống nhau."),
])
def test_a_weak_or_mistyped_new_password_is_refused(as_user, people, password, repeated, message):
    page = as_user("an").post(reverse("assessments:user", args=[people["chi"].pk]),
                              {"password": password, "repeated": repeated}).content.decode()
    assert message in page
    assert get_user_model().objects.get(pk=people["chi"].pk).check_password(PASSWORD)
    assert not AuditEntry.objects.filter(action=Action.PASSWORD_SET).exists()


def test_the_account_list_links_each_account_to_its_page(as_user, people):
    page = as_user("an").get(reverse("assessments:users")).content.decode()
    assert f'href="{reverse("assessments:user", args=[people["chi"].pk])}"' in page


def test_reviewers_are_offered_by_name_and_a_disabled_one_is_not(as_user, people, period):
    get_user_model().objects.filter(username="binh").update(first_name="Trần Thị Bình")
    page = as_user("an").get(reverse("assessments:period", args=[period.pk])).content.decode()
    assert f'<option value="{people["binh"].pk}">Trần Thị Bình (binh)</option>' in page
    get_user_model().objects.filter(username="binh").update(is_active=False)
    page = as_user("an").get(reverse("assessments:period", args=[period.pk])).content.decode()
    assert "Trần Thị Bình (binh)</option>" not in page
