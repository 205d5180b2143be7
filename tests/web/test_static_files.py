"""The vendored libraries reach a reader once: kept by the browser for good (their names carry their versions)
and sent compressed; the project's own stylesheet and script, which change without changing name, are asked
for again after a minute."""

import gzip
from pathlib import Path

import pytest

import dti.web

VENDOR = Path(dti.web.__file__).parent / "static" / "vendor"


def test_a_vendored_library_is_kept_by_the_browser_for_good(client):
    response = client.get("/static/vendor/echarts-6.1.0.min.js")
    assert response.status_code == 200
    assert response["Cache-Control"] == "max-age=315360000, public, immutable"


def test_the_projects_own_files_are_asked_for_again(client):
    for name in ("dti/dti.css", "dti/dti.js"):
        assert client.get(f"/static/{name}")["Cache-Control"] == "max-age=60, public"


def test_a_vendored_library_is_sent_compressed_to_a_browser_that_accepts_it(client):
    assert (VENDOR / "echarts-6.1.0.min.js.gz").is_file(), "`make` compresses the vendored files; run it first"
    response = client.get("/static/vendor/echarts-6.1.0.min.js", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    body = b"".join(response.streaming_content)
    assert response["Content-Encoding"] == "gzip" and len(body) < 400_000  # 1.1 MB as it is
    assert gzip.decompress(body) == (VENDOR / "echarts-6.1.0.min.js").read_bytes()
    plain = client.get("/static/vendor/echarts-6.1.0.min.js")  # a client that does not accept gzip
    assert "Content-Encoding" not in plain and int(plain["Content-Length"]) == 1_121_883


@pytest.mark.django_db
def test_collected_files_are_named_by_their_content_kept_for_good_and_sent_compressed(tmp_path, settings):
    """After `dti manage collectstatic`, pages name every static file by a hash of its content: a changed
    stylesheet is a new name, so browsers may keep each one for good."""
    import re

    from django.core.management import call_command
    from django.test import Client

    settings.STATIC_ROOT = tmp_path / "static"
    call_command("collectstatic", interactive=False, verbosity=0)
    page = Client().get("/gioi-thieu/").content.decode()
    stylesheet = re.search(r'href="(/static/dti/dti\.([0-9a-f]{12})\.css)"', page)
    script = re.search(r'src="(/static/dti/dti\.[0-9a-f]{12}\.js)"', page)
    assert stylesheet and script, "pages name the collected, hashed files"
    import hashlib

    own = (Path(dti.web.__file__).parent / "static" / "dti" / "dti.css").read_bytes()
    assert hashlib.md5(own, usedforsecurity=False).hexdigest()[:12] == stylesheet[2]  # the name is the content
    client = Client()  # a new server: WhiteNoise indexes the collected folder when it starts
    response = client.get(stylesheet[1], HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200 and response["Content-Encoding"] == "gzip"
    assert response["Cache-Control"] == "max-age=315360000, public, immutable"
    assert gzip.decompress(b"".join(response.streaming_content)) == own


@pytest.mark.django_db
def test_before_collectstatic_pages_name_the_packages_files_and_the_deploy_check_says_so(client, settings,
                                                                                        tmp_path):
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    settings.STATIC_ROOT = tmp_path / "never-collected"
    page = client.get("/gioi-thieu/").content.decode()
    assert 'href="/static/dti/dti.css"' in page
    try:
        call_command("check", deploy=True, fail_level="WARNING", tags=["staticfiles"])
    except SystemCheckError as error:
        assert "dti.W001" in str(error) and "dti manage collectstatic" in str(error)
    else:
        raise AssertionError("the deploy check did not warn")
