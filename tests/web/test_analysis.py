"""The analysis screens: the secretariat's group analysis and a unit's own, from the period's results."""

import re

import pytest
import yaml
from django.urls import reverse

from dti.assessments.actions import declarations, reviews
from dti.assessments.actions.frameworks import import_framework
from dti.assessments.actions.periods import add_participants, advance_period, create_period
from dti.assessments.models import Period, ReviewerAssignment, Unit
from dti.assessments.operations.demo import load_demo

from ..builders import framework_data, indicator


def table_rows(html: str, table_id: str) -> list[list[str]]:
    """The text of every cell of the body rows of the table with ``table_id``."""
    body = re.search(rf'<table id="{table_id}">.*?<tbody>(.*?)</tbody>', html, re.S).group(1)
    return [[re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)]
            for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)]


def test_the_secretariat_sees_ranks_9_and_10_as_fragile_and_every_units_interval(as_user, period):
    url = reverse("assessments:period_analysis", args=[period.pk])
    html = as_user("an").get(url, {"khoi": "so-nganh", "mau": 2000, "hatgiong": 2023}).content.decode()
    fragile = {row[0]: row for row in table_rows(html, "fragile")}
    assert fragile["Sở Khoa học và Công nghệ"][1:5] == ["9", "Khá", "Trung bình", "2,18"]
    assert fragile["Sở Công thương"][1:5] == ["10", "Trung bình", "Khá", "2,18"]
    assert "Sở Thông tin và truyền thông" not in fragile
    intervals = table_rows(html, "intervals")
    assert len(intervals) == 17 and intervals[0][:2] == ["1", "Sở Thông tin và truyền thông"]
    assert intervals[0][5] == "1–1"
    accuracy = table_rows(html, "accuracy")
    assert accuracy[0][:2] == ["1", "Sở Thông tin và truyền thông"] and accuracy[0][4] == "30,96"
    knowledge = next(row for row in accuracy if row[1] == "Sở Khoa học và Công nghệ")
    assert knowledge[4] == "241,24"
    sensitivity = {row[1]: row for row in table_rows(html, "sensitivity-table")}
    assert sensitivity["Sở Khoa học và Công nghệ"][2].startswith("+5")  # NTS dropped: 30 of 100 no longer counts
    assert "2000" in re.search(r'id="settings-sentence">(.*?)</p>', html, re.S).group(1)


def test_the_same_seed_gives_the_same_page_and_bad_settings_fall_back_with_a_message(as_user, period):
    client = as_user("lan")
    url = reverse("assessments:period_analysis", args=[period.pk])
    query = {"khoi": "huyen", "mau": 500, "hatgiong": 7, "dungsai": "5", "trongso": "20"}
    first = table_rows(client.get(url, query).content.decode(), "intervals")
    assert first == table_rows(client.get(url, query).content.decode(), "intervals")
    assert len(first) == 8
    response = client.get(url, {"khoi": "huyen", "mau": 5})
    html = response.content.decode()
    assert response.status_code == 200 and 'class="error"' in html
    assert "10000" in re.search(r'id="settings-sentence">(.*?)</p>', html, re.S).group(1)


def test_a_unit_sees_its_interval_gaps_and_declaration_against_review(as_user, period):
    participation = period.participations.get(unit__name="UBND TP. Bắc Ninh")  # 658.32, rank 3 of 8, Tốt
    html = as_user("chi").get(reverse("assessments:participation_analysis", args=[participation.pk])).content.decode()
    assert 'id="provisional"' in html  # the period is not finalized
    assert "145,93" in re.search(r'id="grade-gap">(.*?)</li>', html, re.S).group(1)  # 804.25 for Xuất sắc
    assert "85,19" in re.search(r'id="rank-gap">(.*?)</li>', html, re.S).group(1)  # 743.51 for rank 2
    assert re.search(r'id="rank-interval">(.*?)</p>', html, re.S)
    pillars = {row[0]: row for row in table_rows(html, "sensitivity")}
    assert pillars["Nhận thức số"][1] == "6,34"  # declared 86.34, reviewed 80
    link = reverse("assessments:participation_analysis", args=[participation.pk])
    declaration = as_user("chi").get(reverse("assessments:declaration", args=[participation.pk])).content.decode()
    assert link in declaration


@pytest.fixture
def reviewed_here(db, people):
    """A group of two units reviewed in the application by Bình: one indicator lowered, three accepted."""
    items = [indicator({"kind": "direct"}, "1.1", 50), indicator({"kind": "direct"}, "1.2", 50)]
    data = framework_data(items, max_points=100)
    version, _ = import_framework(yaml.safe_dump(data, allow_unicode=True), "t.yaml")
    period = create_period(year=2025, name="Kỳ thử", framework=version)
    units = [Unit.objects.create(name=name, group_code="g") for name in ("UBND xã A", "UBND xã B")]
    add_participants(period, units)
    period = advance_period(period, "declaring")
    group = period.framework.parsed.group("g")
    first, second = group.pillars[0].indicators
    for participation, points in zip(period.participations.order_by("unit__name"), ("40", "30"), strict=True):
        for item in (first, second):
            declarations.save_declared_indicator(participation, item, inputs={"points": points},
                                                 not_applicable=False, comment="", expected_version=None, by=None)
        declarations.submit_declaration(participation, by=None)
    ReviewerAssignment.objects.create(period=period, reviewer=people["binh"], group=period.framework.groups.get())
    a, b = period.participations.order_by("unit__name")
    reviews.adjust(a, first, inputs={"points": "30"}, not_applicable=False, reason="Thiếu minh chứng",
                   by=people["binh"])
    for participation, item in ((a, second), (b, first), (b, second)):
        reviews.accept(participation, item, by=people["binh"])
    return period


def test_the_reviewers_table_counts_each_reviewers_adjustments(as_user, reviewed_here, people):
    url = reverse("assessments:period_analysis", args=[reviewed_here.pk])
    rows = table_rows(as_user("an").get(url).content.decode(), "reviewers")
    assert [row[:5] for row in rows] == [["binh", "4", "1 (25,0%)", "0", "1"]]
    assert rows[0][7] == "-10,00"


def test_the_public_pages_show_how_solid_each_rank_is(client, db):
    load_demo()
    period = Period.objects.get(state=Period.State.PUBLISHED, year=2023)
    html = client.get(reverse("portal:group", args=[period.pk, "so-nganh"])).content.decode()
    rows = {row[1]: row for row in table_rows(html, "robustness")}
    assert rows["Sở Thông tin và truyền thông"][2] == "1–1"
    assert "fragile" in rows["Sở Khoa học và Công nghệ"][3] or "dễ thay đổi" in rows["Sở Khoa học và Công nghệ"][3]
    assert 'data-chart="intervals"' in html
    knowledge = period.participations.get(unit__name="Sở Khoa học và Công nghệ")
    html = client.get(reverse("portal:unit", args=[period.pk, knowledge.pk])).content.decode()
    assert "13,01" in re.search(r'id="grade-gap">(.*?)</li>', html, re.S).group(1)
    assert "1,00" in re.search(r'id="rank-gap">(.*?)</li>', html, re.S).group(1)  # 735.82 shares rank 8
    assert "2,18" in re.search(r'id="fragile">(.*?)</li>', html, re.S).group(1)
    assert "241,24" in re.search(r'id="accuracy-sentence">(.*?)</p>', html, re.S).group(1)
    methodology = client.get(reverse("portal:methodology", args=[period.pk])).content.decode()
    assert 'id="analyses"' in methodology
