"""Every signed-in page of a period reads the same number of queries whatever the number of units (25 or 250),
and writes nothing when opened."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dti.assessments.actions import declarations, reviews
from dti.assessments.models import Clarification, Declaration, IndicatorEntry, Unit
from dti.engine.names import name_key

from .test_declaration import fill_everything, open_period  # noqa: F401 - fixtures

PAGES = ["assessments:review_queue", "assessments:period_progress", "assessments:period",
         "assessments:period_results", "assessments:period_appeals"]


def grow(period, people, client, count: int) -> None:
    """``count`` more districts in the period, each declared in full, submitted, half reviewed, one question."""
    start = Unit.objects.count()
    units = [Unit.objects.create(name=f"UBND xã Thử {start + n}", group_code="huyen") for n in range(count)]
    from dti.assessments.actions.periods import add_participants

    add_participants(period, units)
    group = period.framework.parsed.group("huyen")
    leaves = [i for _p, i in group.indicators() if not i.children]
    for participation in period.participations.filter(unit__in=units):
        for indicator in leaves:
            inputs = {s.name: "1" for s in indicator.rule.inputs(indicator.max_points)}
            declarations.save_declared_indicator(participation, indicator, inputs=inputs, not_applicable=False,
                                                 comment="", expected_version=None, by=None)
        declarations.submit_declaration(participation, by=None)
        for indicator in leaves[: len(leaves) // 2]:
            reviews.accept(participation, indicator, by=people["binh"])
        reviews.write_question(participation, leaves[-1], "Gửi biên bản", by=people["binh"])
        reviews.send_questions(participation, by=people["binh"])


def queries(client, name, period) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse(name, args=[period.pk])).status_code == 200
    writes = [q["sql"] for q in captured.captured_queries
              if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
              and "django_session" not in q["sql"] and "dti_cache" not in q["sql"]]  # sessions and the cache: no data
    assert writes == [], name
    # The cache's own queries are left out, with the savepoints its writes take: how many depends on whether a
    # value was kept and on how long it took to compute (``queries.kept``), never on the number of units.
    return sum("dti_cache" not in q["sql"] and not q["sql"].lstrip().upper().startswith(
        ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")) for q in captured.captured_queries)


def grow_in_bulk(period, people, count: int) -> None:
    """``count`` more districts as ``grow`` leaves them, written in bulk: what 250 units' pages read is measured,
    not how long 7,500 saves take (``grow`` writes its districts through the actions)."""
    start = Unit.objects.count()
    names = [f"UBND xã Lớn {start + n}" for n in range(count)]
    units = Unit.objects.bulk_create([Unit(name=name, key=name_key(name), group_code="huyen") for name in names])
    from dti.assessments.actions.periods import add_participants

    participations = add_participants(period, units)
    leaves = [i for _p, i in period.framework.parsed.group("huyen").indicators() if not i.children]
    entries, declared = [], []
    for participation in participations:
        for position, indicator in enumerate(leaves):
            inputs = {s.name: "1" for s in indicator.rule.inputs(indicator.max_points)}
            entries.append(IndicatorEntry(participation=participation, indicator_code=indicator.code,
                                          stage="declared", inputs=inputs))
            if position < len(leaves) // 2:
                entries.append(IndicatorEntry(participation=participation, indicator_code=indicator.code,
                                              stage="reviewed", inputs=inputs, declared_version=1))
        declared.append(Declaration(participation=participation, state=Declaration.State.SUBMITTED))
    IndicatorEntry.objects.bulk_create(entries)
    Declaration.objects.bulk_create(declared)
    Clarification.objects.bulk_create([Clarification(participation=p, indicator_code=leaves[-1].code,
                                                     question="Gửi biên bản", asked_by=people["binh"])
                                       for p in participations])


@pytest.mark.parametrize("name", PAGES)
def test_the_page_reads_as_many_queries_for_25_units_as_for_250(as_user, people, open_period, name):  # noqa: F811
    client = as_user("an")
    open_period.refresh_from_db()
    grow(open_period, people, client, 1)  # one district through the actions, so every kind of row is there
    grow_in_bulk(open_period, people, 25 - open_period.participations.count())
    few = queries(client, name, open_period)
    grow_in_bulk(open_period, people, 225)
    many = queries(client, name, open_period)
    assert open_period.participations.count() == 250
    assert many == few


def test_opening_the_queue_creates_no_declaration(as_user, people, open_period):  # noqa: F811
    Declaration.objects.filter(participation__period=open_period).delete()
    queries(as_user("an"), "assessments:review_queue", open_period)
    queries(as_user("an"), "assessments:period_progress", open_period)
    assert not Declaration.objects.filter(participation__period=open_period).exists()


def test_the_progress_board_the_period_and_the_units_come_a_page_at_a_time(as_user, people, open_period):  # noqa: F811
    grow_in_bulk(open_period, people, 58)  # 60 units
    client = as_user("an")
    pages = {"assessments:period_progress": ("progress-pages", 'id="progress"'),
             "assessments:period": ("unit-pages", 'id="units"')}
    for name, (nav, table) in pages.items():
        url = reverse(name, args=[open_period.pk])
        first = client.get(url).content.decode()
        second = client.get(url + "?trang=2").content.decode()
        shown = [page[page.index(table):].split("</table>", 1)[0].count("<tr><td>") for page in (first, second)]
        assert shown == [50, 10], name
        assert f'id="{nav}"' in first and "Trang 1/2" in first and "?trang=2" in first
    # A filter is kept on the next page's link.
    late = client.get(reverse("assessments:period_progress", args=[open_period.pk]) + "?trang-thai=submitted")
    assert "?trang-thai=submitted&amp;trang=2" in late.content.decode()
    units = client.get(reverse("assessments:units")).content.decode()
    assert 'id="unit-pages"' in units and "Trang 1/2" in units


def test_the_results_table_comes_a_page_at_a_time_and_searches(as_user, people, open_period):  # noqa: F811
    grow_in_bulk(open_period, people, 58)  # 58 units sent their declaration, half reviewed: provisional results
    client = as_user("an")
    url = reverse("assessments:period_results", args=[open_period.pk])
    pages = [client.get(url + query).content.decode() for query in ("", "?trang=2", "?q=lon+33")]
    shown = [page[page.index('id="provisional"'):].count('<td class="unit">') for page in pages]
    assert shown == [50, 8, 1]
    assert 'id="results-pages"' in pages[0] and "Trang 1/2" in pages[0]
    assert "UBND xã Lớn 33" in pages[2] and "và 38 đơn vị khác" in pages[0]  # 58 not reviewed in full, 20 named
