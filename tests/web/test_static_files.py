"""The vendored libraries reach a reader once: kept by the browser for good (their names carry their versions)
and sent compressed; the project's own stylesheet and script, which change without changing name, are asked
for again after a minute."""

import gzip
from pathlib import Path

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
