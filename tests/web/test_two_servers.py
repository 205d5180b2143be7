"""Two stateless app servers against one PostgreSQL, as production runs behind nginx: what one writes the other
shows, and a session started on one is honoured by the other. Runs in the PostgreSQL pass of the suite
(scripts/with-postgres.sh, as .ci/run does); SQLite's test database lives in memory and cannot be shared."""

import http.client
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.parse

import pytest
from django.db import connection

from dti.accounts.models import Role
from dti.accounts.services import create_account
from dti.web import settings as project_settings

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "hai-may-chu-" + secrets.token_hex(4)


class Browser:
    """Cookies carried from one server to the other, as a browser behind a load balancer would."""

    def __init__(self):
        self.cookies: dict[str, str] = {}

    def request(self, port: int, method: str, path: str, form: dict | None = None) -> tuple[int, str, str]:
        client = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urllib.parse.urlencode({"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **form})
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        client.request(method, path, body=body, headers=headers)
        response = client.getresponse()
        text = response.read().decode("utf-8", errors="replace")
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        client.close()
        return response.status, response.headers.get("Location", ""), text


def start_server(environment: dict) -> tuple[subprocess.Popen, int]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    process = subprocess.Popen([sys.executable, "-m", "gunicorn", "dti.web.wsgi", "-w", "1", "-b",
                                f"127.0.0.1:{port}", "--log-level", "warning"], env=environment,
                               start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if Browser().request(port, "GET", "/")[0] == 200:
                return process, port
        except OSError:
            time.sleep(0.2)
    os.killpg(process.pid, signal.SIGKILL)
    raise RuntimeError("the app server did not start")


@pytest.fixture
def two_servers(settings):
    """Two app servers on one PostgreSQL database, and a browser signed in to the first as the secretariat."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: the suite's second pass runs it (scripts/with-postgres.sh)")
    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS  # the servers check real Argon2 hashes
    create_account(username="thuongtruc", password=PASSWORD, role=Role.SECRETARIAT)
    database = connection.settings_dict
    url = f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"
    # Settings only from the environment, the same on every machine: one database, one secret key, the cache
    # a table of that database (the default).
    environment = {**os.environ, "DATABASE_URL": url, "DTI_SECRET_KEY": secrets.token_urlsafe(50), "DTI_DEBUG": "0"}
    servers = [start_server(environment) for _ in range(2)]
    (_, first), (_, second) = servers
    try:
        browser = Browser()
        browser.request(first, "GET", "/tai-khoan/dang-nhap/")
        status, location, _ = browser.request(first, "POST", "/tai-khoan/dang-nhap/",
                                              {"username": "thuongtruc", "password": PASSWORD})
        assert status == 302 and "dang-nhap" not in location
        yield browser, first, second
    finally:
        for process, _ in servers:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=20)


def test_two_app_servers_share_writes_and_sessions(two_servers):
    browser, first, second = two_servers
    status, _, page = browser.request(second, "GET", "/quan-ly/don-vi/")  # signed in on the first server
    assert status == 200 and "thuongtruc" in page
    status, _, _ = browser.request(second, "POST", "/quan-ly/don-vi/",
                                   {"name": "Sở Thử Hai Máy", "short_name": "", "group_code": "so-nganh",
                                    "ranked": "on"})
    assert status == 302
    status, _, page = browser.request(first, "GET", "/quan-ly/don-vi/")
    assert status == 200 and "Sở Thử Hai Máy" in page  # written through the second, read through the first
    browser.request(first, "POST", "/tai-khoan/dang-xuat/", {})
    status, location, _ = browser.request(second, "GET", "/quan-ly/don-vi/")
    assert status == 302 and "dang-nhap" in location  # signed out on one is signed out on both


def test_the_second_server_reads_what_the_first_computed(two_servers, period):
    """The period's tables, computed by the first server, are kept in the cache both share: the second shows
    them without computing them again — here, marked in the shared cache in between, it shows the mark."""
    from dataclasses import replace

    from django.core.cache import cache

    from dti.assessments.queries import kept

    browser, first, second = two_servers
    url = f"/quan-ly/ky-danh-gia/{period.pk}/ket-qua/"
    status, _, page = browser.request(first, "GET", url)
    assert status == 200 and "UBND TP. Bắc Ninh" in page
    key = kept._key("tables", kept.period_version(period), ())
    tables = cache.get(key)
    assert tables is not None  # what the first server computed is in the shared cache
    table = tables[0]
    marked = replace(table, rows=(replace(table.rows[0], unit="Tính ở máy chủ thứ nhất"), *table.rows[1:]))
    cache.set(key, [marked, *tables[1:]])
    status, _, page = browser.request(second, "GET", url)
    assert status == 200 and "Tính ở máy chủ thứ nhất" in page  # read, not computed again
