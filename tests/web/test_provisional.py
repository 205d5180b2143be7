"""While review goes on the results table is not blank: the units that have sent their declaration are scored
provisionally (reviewed values where reviewed, declared ones elsewhere), and the page says which are which."""

import pytest
from django.urls import reverse

from dti.assessments.queries.presentation import provisional_tables

from .test_declaration import chi_participation, fill_everything, open_period  # noqa: F401 - fixtures
from .test_review import act, submitted  # noqa: F401 - fixtures

# The period and its people are written once for the module (conftest's ``world``).
pytestmark = pytest.mark.usefixtures("world")


def test_nothing_sent_nothing_provisional(open_period):  # noqa: F811
    assert provisional_tables(open_period) is None


def test_a_sent_declaration_is_scored_on_declared_values_until_reviewed(as_user, submitted):  # noqa: F811
    provisional = provisional_tables(submitted.period)
    leaves = len(submitted.framework_group.leaves())
    assert provisional.waiting == 1  # Sở Y tế has not sent its declaration
    assert provisional.unreviewed == {"UBND TP. Bắc Ninh": leaves}
    (table,) = provisional.tables
    (row,) = table.rows
    assert row.unit == "UBND TP. Bắc Ninh" and row.rank == 1 and row.reviewed == row.declared
    binh = as_user("binh")
    act(binh, submitted, "1.1", action="adjust", **{"1.1-input_value": "2"}, reason="Hai biên bản")
    provisional = provisional_tables(submitted.period)
    assert provisional.unreviewed == {"UBND TP. Bắc Ninh": leaves - 1}
    (row,) = provisional.tables[0].rows
    assert row.reviewed[-1] < row.declared[-1]  # the adjustment counts at once


def test_the_results_page_shows_the_provisional_table_with_its_notice(as_user, submitted):  # noqa: F811
    page = as_user("an").get(reverse("assessments:period_results", args=[submitted.period.pk])).content.decode()
    assert "Kết quả tạm tính" in page and 'id="provisional"' in page
    assert "1 đơn vị chưa nộp bản khai báo nên chưa được tính." in page
    assert "Chưa rà soát đầy đủ: UBND TP. Bắc Ninh (11 chỉ tiêu theo số liệu tự khai báo)" in page
    assert "None" not in page


def test_a_unit_officer_sees_only_its_own_provisional_row(as_user, submitted, chi_participation):  # noqa: F811
    page = as_user("dung").get(reverse("assessments:period_results", args=[submitted.period.pk])).content.decode()
    assert "UBND TP. Bắc Ninh" not in page  # neither its row nor its review progress


def test_the_leaders_dashboard_shows_the_year_at_work(as_user, submitted):  # noqa: F811
    page = as_user("lan").get(reverse("assessments:dashboard")).content.decode()
    overview = page[page.index(f'id="overview-{submitted.period.pk}"'):]
    overview = overview[:overview.index("</section>")]
    assert "<strong>1</strong><br>Đã nộp" in overview and "<strong>1</strong><br>Chưa bắt đầu" in overview
    assert "Đơn vị UBND huyện/thị xã/thành phố <small" in overview  # the group with a sent declaration
    assert "<li>UBND TP. Bắc Ninh — " in overview
    assert "1 đơn vị chưa nộp bản khai báo nên chưa được tính." in overview


def test_units_and_reviewers_get_no_overview(as_user, submitted):  # noqa: F811
    for name in ("chi", "binh"):
        assert 'class="overview"' not in as_user(name).get(reverse("assessments:dashboard")).content.decode()


def test_the_dashboard_compares_the_provisional_average_with_last_year_and_charts_it(as_user, submitted):  # noqa: F811
    import json
    import re
    from decimal import Decimal

    from dti.assessments.actions.imports import import_results
    from dti.assessments.actions.periods import create_period
    from dti.engine.numbers import read_number
    from dti.web.numbers import number, signed

    from ..conftest import BACNINH_DATA, publish

    before = create_period(year=2023, name="Kỳ 2023", framework=submitted.period.framework)
    import_results(before, BACNINH_DATA)
    before = publish(before)
    last_year = next(Decimal(g["average"]["reviewed"]["total"]) for g in before.snapshot.results
                     if g["code"] == "huyen")
    page = as_user("lan").get(reverse("assessments:dashboard")).content.decode()
    overview = page[page.index(f'id="overview-{submitted.period.pk}"'):]
    overview = overview[:overview.index("</section>")]
    average = read_number(re.search(r'<strong class="average">([0-9.,]+)</strong>', overview).group(1))
    assert (f'{signed(average - last_year)} so với năm 2023 (trung bình {number(last_year)})'
            in overview)
    states = json.loads(re.search(rf'id="states-data-{submitted.period.pk}"[^>]*>(.*?)</script>', overview).group(1))
    assert dict(zip(states["labels"], states["values"], strict=True))["Đã nộp"] == 1
    assert f'data-source="grades-data-{submitted.period.pk}-huyen"' in overview
