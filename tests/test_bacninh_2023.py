"""Decision 2405/QĐ-UBND, both appendices, number for number, from the shipped framework and data.

The expected numbers are read from the decision's text (tests/fixtures), never from data/.
"""

import contextlib
import io
import json
from decimal import Decimal

import pytest

from dti.cli import main
from dti.engine import format_points

from .conftest import BACNINH_DATA, BACNINH_FRAMEWORK
from .published import published_tables

GROUPS = ("so-nganh", "huyen")


@pytest.fixture(scope="module")
def scored():
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["score", "--framework", str(BACNINH_FRAMEWORK), "--data", str(BACNINH_DATA),
                     "--format", "json"]) == 0
    return json.loads(out.getvalue())


def printed(value: str) -> str:
    """The decision prints 2 decimals but drops trailing zeros in the unit rows (100, 499.1, 974)."""
    return format_points(Decimal(value))


def shown(values) -> list[str]:
    return [format_points(Decimal(v)) for v in values]


@pytest.mark.parametrize("index", [0, 1], ids=GROUPS)
def test_every_unit_row_matches_the_published_appendix(scored, index):
    table = published_tables()[index]
    group = scored["groups"][index]
    assert group["code"] == GROUPS[index]
    assert group["name"] == table.label
    assert [p["name"] for p in group["pillars"]] == list(table.pillars)
    assert [u["name"] for u in group["units"]] == [r.unit for r in table.rows]
    for row, unit in zip(table.rows, group["units"], strict=True):
        for stage, published in (("declared", row.declared), ("reviewed", row.reviewed)):
            ours = [*unit[stage]["pillars"].values(), unit[stage]["total"]]
            assert shown(ours) == [printed(p) for p in published], (row.unit, stage)
        assert unit["rank"] == row.rank, row.unit
        assert unit["grade"] == row.grade, row.unit


@pytest.mark.parametrize("index", [0, 1], ids=GROUPS)
def test_the_average_rows_match_the_published_appendix(scored, index):
    table = published_tables()[index]
    average = scored["groups"][index]["average"]
    for stage, published in (("declared", table.average_declared), ("reviewed", table.average_reviewed)):
        ours = [*average[stage]["pillars"].values(), average[stage]["total"]]
        assert shown(ours) == [printed(p) for p in published]


def test_the_district_declared_average_is_619_815_and_prints_619_82(scored):
    average = scored["groups"][1]["average"]["declared"]["total"]
    assert average == "619.815"
    assert format_points(Decimal(average)) == "619.82"


def test_ranks_use_unrounded_totals_and_published_totals_are_kept(scored):
    finance = next(u for u in scored["groups"][0]["units"] if u["name"] == "Sở Tài chính")
    # Its printed pillars add up to 880.31; the decision's total, summed before rounding, is 880.32.
    assert finance["declared"]["total"] == "880.32"


def test_no_total_lies_outside_the_rounding_tolerance(scored):
    assert scored["warnings"] == []
