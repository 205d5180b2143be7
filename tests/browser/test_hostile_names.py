"""A unit named with markup, hovered in every chart of the public pages: its tooltip shows the name as typed."""

import pytest

from dti.assessments.actions.frameworks import import_framework
from dti.assessments.models import Participation

from ..conftest import BACNINH_FRAMEWORK, published_with_unit_named

pytestmark = pytest.mark.django_db(transaction=True)
HOSTILE = 'Sở Y tế <b id="injected">!</b>'
CHARTS = {"so-nganh": ["stacked-chart", "distribution-chart", "scatter-chart", "intervals-chart"]}


@pytest.fixture
def hostile_period(live_server):
    framework, _ = import_framework(BACNINH_FRAMEWORK.read_text(encoding="utf-8"), BACNINH_FRAMEWORK.name)
    return published_with_unit_named(framework, HOSTILE)


def tooltips(page, chart_id: str, count: int) -> list[str]:
    """The tooltip of every data item of the chart's first series, as the visitor hovering it would see it."""
    page.locator(f"#{chart_id} svg").first.wait_for()
    shown = []
    for index in range(count):
        page.evaluate("([id, i]) => echarts.getInstanceByDom(document.getElementById(id))"
                      ".dispatchAction({type: 'showTip', seriesIndex: 0, dataIndex: i})", [chart_id, index])
        page.wait_for_timeout(30)
        shown.append(page.evaluate("() => Array.from(document.querySelectorAll('div')).filter(d => "
                                   "d.style.position === 'absolute' && d.style.zIndex === '9999999')"
                                   ".map(d => d.innerText).join(' ')"))
    return shown


def test_a_hostile_unit_name_is_shown_as_text_in_every_charts_tooltip(live_server, page, hostile_period):
    period, participation = hostile_period
    count = Participation.objects.filter(period=period, group__code="so-nganh").count()
    page.goto(f"{live_server.url}/ket-qua/{period.pk}/khoi/so-nganh/")
    for chart_id in CHARTS["so-nganh"]:
        texts = tooltips(page, chart_id, count)
        assert page.evaluate("() => document.getElementById('injected')") is None, chart_id
        assert any(HOSTILE in text for text in texts), (chart_id, texts[:3])
    page.goto(f"{live_server.url}/ket-qua/{period.pk}/don-vi/{participation.pk}/")
    for chart_id in ("radar-chart", "bars-chart"):
        tooltips(page, chart_id, 1)
        assert page.evaluate("() => document.getElementById('injected')") is None, chart_id
