"""The read-only API: published periods, results as published, units across years, frameworks; and a
schemathesis run over the whole OpenAPI schema with no server error."""

from decimal import Decimal

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings

from dti.assessments.models import Period, Unit
from dti.assessments.operations.demo import load_demo
from dti.engine import format_points

from ..published import published_tables


@pytest.fixture
def demo(db):
    load_demo()


def test_only_published_periods_are_listed(client, demo):
    periods = client.get("/api/v1/periods").json()
    assert [p["year"] for p in periods] == [2023]
    assert len(periods[0]["snapshot_sha256"]) == 64 and periods[0]["framework"]["code"] == "bacninh-2023"
    declaring = Period.objects.get(state=Period.State.DECLARING)
    assert client.get(f"/api/v1/periods/{declaring.pk}").status_code == 404
    assert client.get(f"/api/v1/periods/{declaring.pk}/results").status_code == 404


def test_the_results_are_the_published_numbers(client, demo):
    period = Period.objects.get(state=Period.State.PUBLISHED)
    detail = client.get(f"/api/v1/periods/{period.pk}").json()
    assert [(g["code"], g["units"]) for g in detail["groups"]] == [("so-nganh", 17), ("huyen", 8)]
    assert detail["downloads"]["quyet-dinh.pdf"].endswith(f"/ket-qua/{period.pk}/tai-ve/quyet-dinh.pdf")
    groups = client.get(f"/api/v1/periods/{period.pk}/results").json()
    for group, published in zip(groups, published_tables(), strict=True):
        for unit, row in zip(group["units"], published.rows, strict=True):
            assert unit["name"] == row.unit and (unit["rank"], unit["grade"]) == (row.rank, row.grade)
            assert format_points(Decimal(unit["reviewed"]["total"])) == format_points(Decimal(row.reviewed[-1]))
            assert unit["unit_id"] == Unit.objects.get(name=row.unit).pk
    one = client.get(f"/api/v1/periods/{period.pk}/results/huyen").json()
    assert one["average"]["declared"]["total"].startswith("619.81")  # 619.815 exactly, shown 619.82
    assert client.get(f"/api/v1/periods/{period.pk}/results/xa").status_code == 404


def test_a_unit_has_its_results_across_published_years_and_its_report(client, demo):
    unit = Unit.objects.get(name="Sở Khoa học và Công nghệ")
    assert {"id": unit.pk, "name": unit.name, "group_code": "so-nganh"} in client.get("/api/v1/units").json()
    detail = client.get(f"/api/v1/units/{unit.pk}").json()
    assert [(r["year"], r["reviewed_total"], r["rank"], r["ranked_units"], r["grade"]) for r in detail["results"]] == [
        (2023, "734.82", 9, 17, "Khá")]
    report = detail["results"][0]["report_pdf"]
    assert client.get(report.removeprefix("http://testserver")).content.startswith(b"%PDF")
    assert client.get("/api/v1/units/999999").status_code == 404


def test_a_framework_in_words(client, demo):
    frameworks = client.get("/api/v1/frameworks").json()
    assert [f["code"] for f in frameworks] == ["bacninh-2023"]
    detail = client.get(f"/api/v1/frameworks/{frameworks[0]['id']}").json()
    districts = next(g for g in detail["groups"] if g["code"] == "huyen")
    assert districts["max_points"] == "1000" and "15%" in districts["grading"]
    first = districts["pillars"][0]["indicators"][0]
    assert first["code"] == "1.1" and first["rule"]


def test_the_openapi_schema_describes_every_endpoint(client, demo):
    schema = client.get("/api/v1/openapi.json").json()
    assert {"/api/v1/periods", "/api/v1/periods/{period_id}", "/api/v1/periods/{period_id}/results",
            "/api/v1/periods/{period_id}/results/{group_code}", "/api/v1/units", "/api/v1/units/{unit_id}",
            "/api/v1/frameworks", "/api/v1/frameworks/{framework_id}"} == set(schema["paths"])


@pytest.fixture
def wsgi_application():
    """Django's WSGI application for an in-process client. As Django's own test client does, the handler must
    not close the database connection after each request: the test's transaction lives on it (PostgreSQL)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def test_no_request_the_schema_allows_makes_the_server_fail(demo, wsgi_application):
    # Schemathesis drives the WSGI application in process; its pytest plugin does not run under pytest 9, so
    # each operation's Hypothesis strategy is run here directly.
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", wsgi_application)
    checked = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def check(case):
            case.call_and_validate()

        check()
        checked.append(operation.label)
    assert len(checked) == 8


def test_the_interactive_docs_load_nothing_from_another_host(client, db):
    html = client.get("/api/v1/docs").content.decode()
    assert "swagger" in html.lower()
    sources = [part.split('"', 1)[0] for part in html.split('src="')[1:] + html.split('href="')[1:]]
    assert sources and all(not s.startswith(("http://", "https://", "//")) for s in sources), sources


def test_the_interactive_docs_lead_back_to_the_portal(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    assert "[← Về cổng kết quả](/)" in schema["info"]["description"]  # Swagger UI shows it as a link
