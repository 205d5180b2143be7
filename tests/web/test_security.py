"""Accounts and headers: Argon2 hashes, login throttling, security headers, a clean deployment check."""

import os
import secrets
import subprocess
import sys

from django.urls import reverse

from dti.accounts.models import Role
from dti.accounts.services import create_account
from dti.web import settings as project_settings

from .conftest import PASSWORD


def test_every_page_carries_a_content_security_policy_without_inline_script(client, db):
    response = client.get(reverse("portal:home"))
    policy = dict(part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";") if part.strip())
    assert policy["script-src"] == "'self'" and policy["default-src"] == "'self'"
    assert policy["style-src"] == "'self'" and policy["frame-ancestors"] == "'none'"
    assert policy["object-src"] == "'none'" and policy["form-action"] == "'self'"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_passwords_are_hashed_with_argon2id(settings, db):
    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS  # the tests' fast hasher put back
    user = create_account(username="hoa", password=PASSWORD, role=Role.SECRETARIAT)
    assert user.password.startswith("argon2$argon2id$")
    assert user.check_password(PASSWORD)


def test_five_failed_sign_ins_lock_that_account_from_that_address_and_no_other(client, people):
    url = reverse("accounts:login")
    statuses = [client.post(url, {"username": "an", "password": "sai-mat-khau"}).status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 200, 429]  # the form with its error four times, then the lockout
    response = client.post(url, {"username": "an", "password": PASSWORD})  # even the right password now
    assert response.status_code == 429
    assert 'id="locked-out"' in response.content.decode() and "15" in response.content.decode()
    assert "_auth_user_id" not in client.session
    response = client.post(url, {"username": "lan", "password": PASSWORD})
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(people["lan"].pk)


def test_behind_a_proxy_failures_from_one_address_do_not_lock_the_account_for_another(client, people, settings):
    settings.DTI_PROXY_COUNT = 1  # nginx in front, as docs/operations.md sets it up
    url = reverse("accounts:login")

    def sign_in(password, address):  # every request reaches the server from the proxy, 127.0.0.1
        return client.post(url, {"username": "an", "password": password}, REMOTE_ADDR="127.0.0.1",
                           HTTP_X_FORWARDED_FOR=address)

    attacker = "10.1.2.3"
    assert [sign_in("sai-mat-khau", attacker).status_code for _ in range(5)][-1] == 429
    assert sign_in(PASSWORD, attacker).status_code == 429  # the attacker's address is locked out
    assert sign_in(PASSWORD, f"10.9.9.9, {attacker}").status_code == 429  # whatever it claims before nginx's entry
    assert sign_in(PASSWORD, "10.4.5.6").status_code == 302  # the officer's address is not
    assert client.session["_auth_user_id"] == str(people["an"].pk)


def test_a_successful_sign_in_forgets_earlier_failures(client, people):
    url = reverse("accounts:login")
    for _ in range(4):
        client.post(url, {"username": "an", "password": "sai-mat-khau"})
    assert client.post(url, {"username": "an", "password": PASSWORD}).status_code == 302
    client.logout()
    for _ in range(4):
        client.post(url, {"username": "an", "password": "sai-mat-khau"})
    assert client.post(url, {"username": "an", "password": PASSWORD}).status_code == 302


def test_the_deployment_check_is_clean_with_production_settings(tmp_path):
    # The browser tests allow Django's async-unsafe calls in this process; a production server never does.
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    environment = {**inherited, "DTI_HTTPS": "1", "DTI_DEBUG": "0", "DTI_SECRET_KEY": secrets.token_urlsafe(64),
                   "DTI_DATA_DIR": str(tmp_path), "DTI_ALLOWED_HOSTS": "dti.bacninh.gov.vn"}
    collected = subprocess.run([sys.executable, "-m", "dti.cli", "manage", "collectstatic", "--noinput"],
                               env=environment, capture_output=True, text=True, timeout=300)  # as a deployment does
    assert collected.returncode == 0, collected.stdout + collected.stderr
    checked = subprocess.run([sys.executable, "-m", "dti.cli", "manage", "check", "--deploy", "--fail-level",
                              "WARNING"], env=environment, capture_output=True, text=True, timeout=120)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "no issues" in checked.stdout
