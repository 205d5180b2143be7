"""Password reset by e-mail and two-step sign-in (TOTP) for the secretariat and reviewers."""

import re
import time

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from dti.assessments.audit import Action
from dti.assessments.models import AuditEntry

from .conftest import PASSWORD

# The period and its people are written once for the module (conftest's ``world``).
pytestmark = pytest.mark.usefixtures("world")


def code_of(device: TOTPDevice, offset: int = 0) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, offset) :06d}"


def test_a_forgotten_password_is_reset_through_the_link_in_an_e_mail(client, people):
    people["chi"].email = "chi@ubnd-bacninh.example"
    people["chi"].save()
    response = client.post(reverse("accounts:password_reset"), {"email": "chi@ubnd-bacninh.example"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["chi@ubnd-bacninh.example"]
    link = re.search(r"https?://[^/\s]+(/\S+)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)  # Django moves the token into the session, then shows the form
    assert form_page.status_code == 200
    new_password = "mat-khau-moi-2025-xyz"
    response = client.post(form_page.redirect_chain[-1][0] if form_page.redirect_chain else link,
                           {"new_password1": new_password, "new_password2": new_password})
    assert response.status_code == 302 and response["Location"].endswith(reverse("accounts:password_reset_complete"))
    assert client.post(reverse("accounts:login"), {"username": "chi", "password": new_password}).status_code == 302
    assert client.get(link, follow=True).context["validlink"] is False  # used once only


def test_an_unknown_address_gets_the_same_answer_and_no_e_mail(client, people):
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302 and mail.outbox == []


def test_the_secretariat_turns_on_two_step_sign_in_and_is_then_asked_for_the_code(client, people):
    assert client.post(reverse("accounts:login"), {"username": "an", "password": PASSWORD}).status_code == 302
    setup = client.get(reverse("accounts:two_factor"))
    assert 'id="totp-secret"' in setup.content.decode() and "data:image/svg+xml" in setup.content.decode()
    device = TOTPDevice.objects.get(user=people["an"], confirmed=False)
    assert client.post(reverse("accounts:two_factor"), {"code": "000000" if code_of(device) != "000000"
                                                        else "111111"}).status_code == 200  # wrong: refused
    assert not TOTPDevice.objects.get(pk=device.pk).confirmed
    time.sleep(1.1)  # after a wrong code the device waits a second (then 2, 4, … s) before it checks another
    client.post(reverse("accounts:two_factor"), {"code": code_of(device)})
    assert TOTPDevice.objects.get(pk=device.pk).confirmed
    turned_on = AuditEntry.objects.get(action=Action.TWO_FACTOR_ON)
    assert (turned_on.by, turned_on.new) == (people["an"], {"account": "an"})
    client.post(reverse("accounts:logout"))

    assert client.post(reverse("accounts:login"), {"username": "an", "password": PASSWORD}).status_code == 302
    response = client.get(reverse("assessments:periods"))
    assert response.status_code == 302 and reverse("accounts:two_factor_verify") in response["Location"]
    assert client.get(reverse("portal:home")).status_code == 200  # the public side is public
    device.refresh_from_db()
    # A code is accepted once: the next sign-in uses the following time step's (within the tolerated drift).
    response = client.post(reverse("accounts:two_factor_verify") + "?next=/quan-ly/ky-danh-gia/",
                           {"code": code_of(device, offset=1), "next": "/quan-ly/ky-danh-gia/"})
    assert response.status_code == 302 and response["Location"] == "/quan-ly/ky-danh-gia/"
    assert client.get(reverse("assessments:periods")).status_code == 200


def test_a_wrong_code_keeps_the_working_pages_closed(client, people):
    device = TOTPDevice.objects.create(user=people["binh"], name="app", confirmed=True)
    client.post(reverse("accounts:login"), {"username": "binh", "password": PASSWORD})
    wrong = "123456" if code_of(device) != "123456" else "654321"
    response = client.post(reverse("accounts:two_factor_verify"), {"code": wrong})
    assert response.status_code == 200 and "two-factor-verify" in response.content.decode()
    assert client.get(reverse("assessments:dashboard")).status_code == 302


def test_unit_officers_and_leaders_have_no_two_step_page(as_user):
    for name in ("chi", "lan"):
        assert as_user(name).get(reverse("accounts:two_factor")).status_code == 403


@pytest.mark.parametrize("weak", ["1234567890", "password123", "matkhau", "nguyenvanhoa1"])
def test_the_secretariat_cannot_create_an_account_with_a_weak_password(as_user, people, weak):
    page = as_user("an").post(reverse("assessments:users"), {
        "username": "nguyenvanhoa", "full_name": "Nguyễn Văn Hoa", "email": "hoa@example.vn", "password": weak,
        "role": "reviewer"}).content.decode()
    assert "errorlist" in page
    assert not get_user_model().objects.filter(username="nguyenvanhoa").exists()


def test_no_path_creates_an_account_with_a_weak_password(db):
    from django.core.exceptions import ValidationError

    from dti.accounts.models import Role
    from dti.accounts.services import create_account

    with pytest.raises(ValidationError):
        create_account(username="hoa", password="1234567890", role=Role.REVIEWER)
    assert not get_user_model().objects.filter(username="hoa").exists()


def test_password_reset_mail_is_throttled_per_address_and_the_answer_stays_the_same(client, people):
    people["chi"].email = "chi@ubnd-bacninh.example"
    people["chi"].save()
    answers = [client.post(reverse("accounts:password_reset"), {"email": "Chi@ubnd-bacninh.example"}).status_code
               for _ in range(6)]
    assert answers == [302] * 6  # the same answer: nobody learns whether the address has an account
    assert len(mail.outbox) == 3  # three in the hour, then no more


def test_an_e_mail_address_belongs_to_one_active_account(as_user, people):
    taken = people["chi"].email or "chi@ubnd-bacninh.example"
    people["chi"].email = taken
    people["chi"].save()
    page = as_user("an").post(reverse("assessments:users"), {
        "username": "hoa.moi", "full_name": "Hoa", "email": taken.upper(), "password": "mat-khau-rat-dai-2025",
        "role": "reviewer"}).content.decode()
    assert "Một tài khoản đang hoạt động khác đã dùng địa chỉ e-mail này." in page
    assert not get_user_model().objects.filter(username="hoa.moi").exists()
