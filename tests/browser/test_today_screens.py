"""Every role's screens of the merged province's 2026 demo period, on a phone (390 px) and a desk (1,400 px):
nothing wider than the screen (a wide table scrolls inside its own box) and no serious or critical accessibility
violation (axe-core). The README's tour of today's shape is taken from these pages."""

import pytest

from dti.assessments.models import Participation, Period
from dti.assessments.operations.demo import load_demo
from dti.assessments.operations.demo_today import ASKED_UNIT, DRAFT_UNIT, REVIEWED_UNIT, load_today

from .conftest import SCREENSHOTS
from .test_portal import serious_violations
from .test_year import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

# Elements that reach past the right edge of the screen, other than those inside a box that scrolls sideways.
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const scrolls = e => { for (let p = e.parentElement; p; p = p.parentElement) {
      const x = getComputedStyle(p).overflowX; if (x === 'auto' || x === 'scroll' || x === 'hidden') return true; }
    return false; };
  return [...document.body.querySelectorAll('*')]
    .filter(e => { const r = e.getBoundingClientRect(); return r.width > 0 && r.right > width + 1 && !scrolls(e); })
    .slice(0, 5).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className && e.className.baseVal === undefined ? '.' + e.className : ''));
}"""
# The README's tour: (role's page name, width) → screenshot file.
TOUR = {("leader-dashboard", 1400): "today-1-dashboard.png", ("secretariat-progress", 1400): "today-2-progress.png",
        ("reviewer-queue", 1400): "today-3-queue.png", ("reviewer-review", 1400): "today-4-review.png",
        ("unit-questions", 390): "today-5-phone-questions.png", ("leader-merged", 1400): "today-6-baseline.png",
        ("public-after-mergers", 1400): "today-7-after-mergers.png"}
TOUR_PART = {"public-after-mergers": "#after-mergers", "reviewer-review": "#questions"}  # shown from there


def screens(today: Period) -> dict[str, list[tuple[str, str]]]:
    """Each account's screens of the 2026 period: (name, address)."""
    p = today.pk
    merged = Participation.objects.get(period=today, unit__name=ASKED_UNIT)  # with questions to answer
    reviewed = Participation.objects.get(period=today, unit__name=REVIEWED_UNIT)
    commune = Participation.objects.get(period=today, unit__name=DRAFT_UNIT)
    framework = today.framework_id
    published = Period.objects.get(state=Period.State.PUBLISHED).pk
    return {
        "sotttt": [("secretariat-dashboard", "/quan-ly/"), ("secretariat-period", f"/quan-ly/ky-danh-gia/{p}/"),
                   ("secretariat-progress", f"/quan-ly/ky-danh-gia/{p}/tien-do/"),
                   ("secretariat-units", "/quan-ly/don-vi/"), ("secretariat-accounts", "/quan-ly/tai-khoan/"),
                   ("secretariat-framework", f"/quan-ly/bo-chi-so/{framework}/"),
                   ("secretariat-results", f"/quan-ly/ky-danh-gia/{p}/ket-qua/"),
                   ("secretariat-unit", f"/quan-ly/don-vi/{commune.unit_id}/")],
        "thamdinh": [("reviewer-queue", f"/quan-ly/ky-danh-gia/{p}/tham-dinh/"),
                     ("reviewer-review", f"/quan-ly/tham-dinh/{merged.pk}/"),
                     ("reviewer-appeals", f"/quan-ly/ky-danh-gia/{p}/phuc-khao/")],
        "donvi.kinhbac": [("unit-dashboard", "/quan-ly/"), ("unit-declaration", f"/quan-ly/khai-bao/{commune.pk}/"),
                          ("unit-pillar", f"/quan-ly/khai-bao/{commune.pk}/HTS/"),
                          ("unit-analysis", f"/quan-ly/khai-bao/{commune.pk}/phan-tich/")],
        "donvi.sokhcn": [("unit-questions", f"/quan-ly/khai-bao/{merged.pk}/")],
        "lanhdao": [("leader-dashboard", "/quan-ly/"), ("leader-results", f"/quan-ly/ky-danh-gia/{p}/ket-qua/"),
                    ("leader-merged", f"/quan-ly/khai-bao/{reviewed.pk}/phan-tich/")],
        "": [("public-home", "/"), ("public-after-mergers", f"/ket-qua/{published}/khoi/so-nganh/")],
    }


@pytest.mark.parametrize("width", [390, 1400])
def test_every_roles_screens_fit_the_screen_and_pass_axe(live_server, browser, width):
    load_demo()
    today = load_today()
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="vi-VN")
    page = context.new_page()
    faults = []
    for username, pages in screens(today).items():
        if username:
            sign_in(page, live_server.url, username)
        else:
            page.context.clear_cookies()
        for name, address in pages:
            response = page.goto(live_server.url + address)
            page.wait_for_load_state("networkidle")
            assert response.status == 200, f"{name}: {response.status}"
            wide = page.evaluate(OVERFLOW)
            if wide:
                faults.append(f"{name} at {width} px: wider than the screen: {wide}")
            faults += [f"{name} at {width} px: {v}" for v in serious_violations(page)]
            if (name, width) in TOUR:
                SCREENSHOTS.mkdir(parents=True, exist_ok=True)
                if name in TOUR_PART:
                    page.evaluate(f"document.querySelector('{TOUR_PART[name]}').scrollIntoView()")
                page.screenshot(path=SCREENSHOTS / TOUR[name, width])
    context.close()
    assert faults == [], "\n".join(faults)
