"""The analysis screens in a real browser: the secretariat recomputes with other settings and reads the fragile
grades; the public profile draws a unit's grade probabilities. No serious accessibility violation."""

import pytest

from dti.assessments.models import Participation
from dti.assessments.operations.demo import DEMO_PASSWORD

from .conftest import SCREENSHOTS
from .test_portal import serious_violations

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_secretariat_reads_fragile_grades_and_recomputes_with_another_seed(live_server, page, published):
    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
    page.fill("input[name=username]", "sotttt")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{live_server.url}/quan-ly/ky-danh-gia/{published.pk}/")
    page.locator("#analysis-link").click()
    page.locator("#intervals-chart svg").wait_for()
    fragile = page.locator("#fragile tbody tr")
    first, second = fragile.nth(0).locator("td").all_inner_texts(), fragile.nth(1).locator("td").all_inner_texts()
    assert first[:5] == ["Sở Khoa học và Công nghệ", "9", "Khá", "Trung bình", "2,18"]
    assert second[:5] == ["Sở Công thương", "10", "Trung bình", "Khá", "2,18"]
    assert page.locator("#intervals tbody tr").first.locator("td").nth(5).inner_text() == "1–1"
    page.locator("summary").click()
    page.fill("input[name=mau]", "1000")
    page.fill("input[name=hatgiong]", "42")
    page.get_by_role("button", name="Tính lại").click()
    page.locator("#intervals-chart svg").wait_for()
    assert "mau=1000" in page.url and "hatgiong=42" in page.url
    assert "1000 lần mô phỏng (hạt giống 42)" in page.locator("#settings-sentence").inner_text()
    assert serious_violations(page) == []
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("#fragile-heading").scroll_into_view_if_needed()
    page.screenshot(path=SCREENSHOTS / "analysis.png", full_page=False)


def test_the_public_profile_draws_the_grade_probabilities_and_lists_the_cheapest_points(live_server, page,
                                                                                         published):
    participation = Participation.objects.get(period=published, unit__name="Sở Công thương")
    page.goto(f"{live_server.url}/ket-qua/{published.pk}/don-vi/{participation.pk}/")
    page.locator("#probability-chart svg").wait_for()
    assert "2,18" in page.locator("#grade-gap").inner_text() or "2.18" in page.locator("#grade-gap").inner_text()
    assert page.locator("#shortfalls tbody tr").count() >= 1
    assert "Sở Khoa học và Công nghệ" in page.locator("#rank-interval").inner_text()  # statistically tied
    assert serious_violations(page) == []
