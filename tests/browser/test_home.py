"""The demo's home page in a real browser: both 2023 tables with the published numbers."""


import pytest

from dti.assessments.operations.demo import load_demo

from ..numbers import on_page
from ..published import published_tables
from .conftest import SCREENSHOTS

pytestmark = pytest.mark.django_db(transaction=True)


def test_home_page_shows_both_published_tables(live_server, page):
    load_demo()
    page.goto(live_server.url + "/")
    for table, code in zip(published_tables(), ("so-nganh", "huyen"), strict=True):
        rows = page.locator(f"#table-{code} tbody tr")
        assert rows.count() == len(table.rows) + 2  # group label row and average row
        first = rows.nth(1).locator("td").all_inner_texts()
        assert first[1] == table.rows[0].unit
        assert first[-2:] == [str(table.rows[0].rank), table.rows[0].grade]
        average = rows.nth(len(table.rows) + 1).locator("td").all_inner_texts()
        assert average[-3] == on_page(table.average_reviewed[-1])
    assert page.locator("#table-huyen tbody tr").last.locator("td").nth(2 + 8).inner_text() == "619,82"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "home.png", full_page=True)


def test_the_language_switch_shows_english(live_server, page):
    load_demo()
    page.goto(live_server.url + "/")
    page.select_option("select[name=language]", "en")
    page.wait_for_load_state()
    page.get_by_role("columnheader", name="Points after review").first.wait_for()
    assert "Average" in page.locator("#table-huyen").inner_text()
