"""Browser tests: Playwright driving Debian's chromium against Django's live server."""

import os
import shutil
import tempfile
from pathlib import Path

import pytest

# The README's screenshots are refreshed only on request (DTI_REFRESH_SCREENSHOTS=1 make test): a test run
# otherwise leaves the tracked files as they are and writes its screenshots to a temporary folder.
if os.environ.get("DTI_REFRESH_SCREENSHOTS"):
    SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
else:
    SCREENSHOTS = Path(tempfile.mkdtemp(prefix="dti-screenshots-"))
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


def _browser_fonts() -> Path:
    """A fontconfig file for chromium: the machine's fonts and the package's own serif. Chromium does not start
    without any font, and a machine may have none (the documents need none: dti.documents.fonts)."""
    from dti.documents.fonts import FONT_DIR

    machine = Path(os.environ.get("FONTCONFIG_FILE") or "/etc/fonts/fonts.conf").resolve()
    folder = Path(tempfile.mkdtemp(prefix="dti-browser-fonts-"))
    config = folder / "fonts.conf"
    config.write_text('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n'
                      f'<fontconfig><include ignore_missing="yes">{machine}</include><dir>{FONT_DIR}</dir>'
                      f'<cachedir>{folder / "cache"}</cachedir></fontconfig>\n', encoding="utf-8")
    return config


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("chromium is missing: .ci/run installs it with apt-get")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    # Django's live server runs in a thread; Playwright's sync API must not share the test's event loop rules.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS,
                                             env={**os.environ, "FONTCONFIG_FILE": str(_browser_fonts())})
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1500, "height": 1000}, locale="vi-VN")
    page = context.new_page()
    refused = []
    page.on("console", lambda message: refused.append(message.text)
            if "Content Security Policy" in message.text or "Refused to" in message.text else None)
    yield page
    context.close()
    assert refused == [], f"the Content-Security-Policy blocked: {refused}"


@pytest.fixture
def published(live_server):
    """The demo's database, served; its published period (Bắc Ninh 2023)."""
    from dti.assessments.models import Period
    from dti.assessments.operations.demo import load_demo

    load_demo()
    return Period.objects.get(state=Period.State.PUBLISHED)
