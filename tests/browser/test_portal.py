"""The public portal in a real browser: charts drawn, a unit's profile with the engine's numbers, the
methodology, and no serious or critical accessibility violation (axe-core, vendored)."""

from decimal import Decimal
from io import BytesIO
from pathlib import Path

import pytest

from dti.assessments.models import Participation
from dti.assessments.queries.scores import period_results
from dti.documents.unit_report import unit_report

from ..numbers import from_page, on_page
from .conftest import SCREENSHOTS

pytestmark = pytest.mark.django_db(transaction=True)
AXE = Path(__file__).parent / "vendor" / "axe-core-4.14.1.min.js"


def serious_violations(page) -> list[str]:
    page.evaluate(AXE.read_text(encoding="utf-8"))  # through the debugger: the page's CSP forbids inline script
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
            for v in result["violations"] if v["impact"] in ("serious", "critical")]


def test_the_period_page_draws_a_chart_per_group_and_links_each_unit(live_server, page, published):
    page.goto(f"{live_server.url}/ket-qua/{published.pk}/")
    for code in ("so-nganh", "huyen"):
        page.locator(f"#stacked-{code} svg").first.wait_for()
    page.get_by_role("link", name="Sở Khoa học và Công nghệ").click()
    page.locator("#unit-name").wait_for()
    assert page.locator("#unit-name").inner_text() == "Sở Khoa học và Công nghệ"
    assert serious_violations(page) == []


def test_a_unit_profile_shows_the_engines_numbers(live_server, page, published):
    participation = Participation.objects.get(period=published, unit__name="Sở Khoa học và Công nghệ")
    result = next(g for g in period_results(published).groups if g.group.code == "so-nganh")
    index = [u.name for u in result.units].index(participation.unit.name)
    report = unit_report(result, index, period=published.name)
    page.goto(f"{live_server.url}/ket-qua/{published.pk}/don-vi/{participation.pk}/")
    assert page.locator("#reviewed-total").inner_text() == on_page(report.reviewed_total) == "734,82"
    assert page.locator("#rank").inner_text() == "9/17" and page.locator("#grade").inner_text() == "Khá"
    assert "13,01" in page.locator("#next-grade").inner_text()
    rows = page.locator("#pillar-table tbody tr")
    for k, line in enumerate(report.pillars):
        cells = rows.nth(k).locator("th, td").all_inner_texts()
        assert cells[:4] == [line.name, on_page(line.max_points), on_page(line.declared),
                             on_page(line.reviewed)]
    page.locator("#radar-chart svg").wait_for()
    assert page.locator("#history tbody tr").count() == 1
    assert serious_violations(page) == []
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "unit-profile.png", full_page=True)


def test_the_methodology_lists_every_pillar_with_its_maximum_and_rules(live_server, page, published):
    page.goto(f"{live_server.url}/ket-qua/{published.pk}/phuong-phap/")
    framework = published.framework.parsed
    for group in framework.groups:
        section = page.locator(f"#group-{group.code}")
        text = section.inner_text()
        for pillar in group.pillars:
            assert pillar.name in text
        assert on_page(group.max_points) in text
    assert serious_violations(page) == []


def test_the_home_page_and_the_departments_ranking_have_no_serious_accessibility_violation(live_server, page,
                                                                                          published):
    page.goto(live_server.url + "/")
    page.locator("#stacked-huyen svg").first.wait_for()
    assert serious_violations(page) == []
    page.locator("a.group-link").first.click()
    page.locator("#ranking").wait_for()
    assert page.locator("#ranking tbody tr td.unit").count() == 17
    assert serious_violations(page) == []


def test_the_group_ranking_sorts_filters_searches_and_keeps_the_view_in_its_address(live_server, page, published):
    from ..published import published_tables

    districts = published_tables()[1]
    page.goto(f"{live_server.url}/ket-qua/{published.pk}/khoi/huyen/")
    names = page.locator("#ranking tbody tr td.unit a")
    assert names.all_inner_texts() == [row.unit for row in districts.rows]  # by rank
    page.locator("#ranking a[data-sort=declared]").click()
    page.wait_for_url("**chieu=giam**")
    declared = [from_page(t) for t in page.locator("#ranking tbody tr:not(.average) td:nth-child(13)").all_inner_texts()]
    assert declared == sorted(declared, reverse=True) and len(declared) == 8
    page.select_option("#grade-filter", "Khá")
    page.locator("#filters button[type=submit]").click()
    page.wait_for_url("**loai=**")
    assert names.all_inner_texts() == [r.unit for r in districts.rows if r.grade == "Khá"]
    shared = page.url
    other = page.context.new_page()
    other.goto(shared)  # the address alone gives the same view
    assert other.locator("#ranking tbody tr td.unit a").all_inner_texts() == names.all_inner_texts()
    other.close()
    page.goto(f"{live_server.url}/ket-qua/{published.pk}/khoi/huyen/?q=thuận")
    assert names.all_inner_texts() == ["UBND Thị xã Thuận Thành"]
    page.goto(f"{live_server.url}/ket-qua/{published.pk}/khoi/huyen/?q=THUAN+thanh")  # no diacritics, any case
    assert names.all_inner_texts() == ["UBND Thị xã Thuận Thành"]
    page.goto(f"{live_server.url}/ket-qua/{published.pk}/khoi/huyen/")
    for chart in ("#stacked-chart", "#distribution-chart", "#scatter-chart"):
        page.locator(f"{chart} svg").first.wait_for()
    assert page.locator("#group-history tbody tr").count() == 1
    assert serious_violations(page) == []
    page.screenshot(path=SCREENSHOTS / "group-ranking.png", full_page=True)


def test_two_units_compared_side_by_side(live_server, page, published):
    page.goto(f"{live_server.url}/so-sanh/?ky={published.pk}")
    page.get_by_label("Sở Khoa học và Công nghệ").check()
    page.get_by_label("Sở Công thương").check()
    page.get_by_role("button", name="So sánh").click()
    page.locator("#comparison").wait_for()
    header = page.locator("#comparison thead th").all_inner_texts()
    assert header[1:] == ["Sở Khoa học và Công nghệ", "Sở Công thương"]
    totals = page.locator("#comparison tbody tr.average td").all_inner_texts()
    assert totals == ["734,82", "732,64"]
    page.locator("#compare-chart svg").first.wait_for()
    assert serious_violations(page) == []
    page.screenshot(path=SCREENSHOTS / "compare.png", full_page=True)
    page.goto(f"{live_server.url}/so-sanh/?ky={published.pk}&don-vi={page.url.split('don-vi=')[1].split('&')[0]}")
    assert "hai đến năm" in page.locator("#compare-message").inner_text()


def test_every_download_of_the_portal_arrives(live_server, page, published):
    page.goto(f"{live_server.url}/ket-qua/{published.pk}/")
    links = page.locator("#downloads > ul a")
    names = [href.rsplit("/", 1)[1] for href in (links.nth(i).get_attribute("href") for i in range(links.count()))]
    assert len(names) == 11 and links.first.inner_text() == "Quyết định kèm phụ lục (PDF)"
    starts = {".pdf": b"%PDF", ".docx": b"PK", ".xlsx": b"PK", ".zip": b"PK", ".csv": "\ufeff".encode(),
              ".json": b"{"}
    for index, name in enumerate(names):
        with page.expect_download() as info:
            links.nth(index).click()
        content = Path(info.value.path()).read_bytes()
        assert content.startswith(starts[Path(name).suffix]), name


def test_on_a_phone_pages_fit_the_screen_and_tables_scroll_inside(live_server, browser, published):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN", is_mobile=True)
    phone = context.new_page()
    participation = Participation.objects.get(period=published, unit__name="Sở Khoa học và Công nghệ")
    for path in ("/gioi-thieu/", f"/ket-qua/{published.pk}/khoi/huyen/", f"/ket-qua/{published.pk}/",
                 f"/ket-qua/{published.pk}/don-vi/{participation.pk}/"):  # the unit's page last: its chart below
        phone.goto(live_server.url + path)
        overflow = phone.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 1, (path, overflow)
    phone.locator("#bars-chart svg").first.wait_for()
    phone.screenshot(path=SCREENSHOTS / "phone-unit.png", full_page=False)
    for path, table in ((f"/ket-qua/{published.pk}/khoi/huyen/", "#ranking"), (f"/ket-qua/{published.pk}/",
                                                                                 "#compact-huyen")):
        phone.goto(live_server.url + path)  # every row's rank, unit, total and grade on the screen
        assert "{#" not in phone.content() and "{%" not in phone.content()  # no template text shows
        for row in phone.locator(f"{table} tbody tr:not(.average)").all():
            cells = [c for c in row.locator("td").all() if c.is_visible()]
            assert len(cells) == 4, path
            assert all(c.bounding_box()["x"] + c.bounding_box()["width"] <= 391 for c in cells), path
    context.close()


def test_the_print_stylesheet_leaves_out_navigation_and_downloads(live_server, page, published):
    page.goto(f"{live_server.url}/ket-qua/{published.pk}/")
    page.emulate_media(media="print")
    assert page.locator("header").is_hidden() and page.locator("#downloads").is_hidden()
    assert page.locator("#table-huyen").is_visible()


def test_a_printed_page_holds_every_column_and_grade_of_every_table_within_the_paper(live_server, page, published):
    """Printed (Chrome's own print to PDF, A4 landscape as the stylesheet asks), each table keeps its last
    columns on the paper and its grade badges keep their colours instead of white on white."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTTextContainer

    from ..published import published_tables

    page.goto(f"{live_server.url}/ket-qua/{published.pk}/")
    page.locator("#stacked-huyen svg").first.wait_for()
    page.emulate_media(media="print")
    adjust = page.locator("#table-huyen .grade").first.evaluate("b => getComputedStyle(b).printColorAdjust")
    assert adjust == "exact"
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    lines = []
    for sheet in extract_pages(BytesIO(pdf)):
        width = sheet.width
        lines += [(line.get_text().strip(), line.x1, width) for box in sheet if isinstance(box, LTTextContainer)
                  for line in box]
    assert all(x1 <= width + 0.5 for _, x1, width in lines)  # nothing printed off the paper's edge
    texts = [t for t, _, _ in lines]
    for table in published_tables():
        for row in table.rows:
            assert row.unit in " ".join(texts), row.unit
        assert sum(t == "Kém" for t in texts) >= sum(r.grade == "Kém" for t in published_tables() for r in t.rows)


def test_the_api_docs_page_renders_in_the_browser_from_the_sites_own_files(live_server, page, published):
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(f"{live_server.url}/api/v1/docs")
    page.get_by_text("/api/v1/periods/{period_id}/results", exact=True).first.wait_for()
    assert requested and all(url.startswith(live_server.url) for url in requested), requested


def test_the_ranking_in_english(live_server, page, published):
    page.goto(f"{live_server.url}/ket-qua/{published.pk}/khoi/huyen/")
    page.select_option("select[name=language]", "en")
    page.get_by_role("columnheader", name="Total after review").wait_for()
    assert "Distribution and grade boundaries" in page.content()
    assert serious_violations(page) == []


def test_tables_and_chart_axes_write_numbers_as_the_pages_language_does(live_server, page, published):
    """A Vietnamese reader takes "1,000" for one: on a Vietnamese page one thousand is 1.000 and a decimal has
    a comma; the English page writes 1,000 and 804.54."""
    page.goto(f"{live_server.url}/ket-qua/{published.pk}/khoi/huyen/")
    page.locator("#distribution-chart svg").first.wait_for()
    axis = page.locator("#distribution-chart svg text").evaluate_all("nodes => nodes.map(n => n.textContent)")
    assert "1.000" in axis and "1,000" not in axis, axis
    totals = page.locator("#ranking tbody td.num strong").all_inner_texts()
    assert totals and all("," in t and "." not in t for t in totals), totals
    page.select_option("select[name=language]", "en")
    page.get_by_role("columnheader", name="Total after review").wait_for()
    page.locator("#distribution-chart svg").first.wait_for()
    axis = page.locator("#distribution-chart svg text").evaluate_all("nodes => nodes.map(n => n.textContent)")
    assert "1,000" in axis and "1.000" not in axis, axis
    totals = page.locator("#ranking tbody td.num strong").all_inner_texts()
    assert totals and all("." in t and "," not in t for t in totals), totals


OVERLAPS = """selector => {
  const boxes = Array.from(document.querySelectorAll(selector + " svg text"))
    .filter(t => t.textContent.trim()).map(t => ({text: t.textContent, box: t.getBoundingClientRect()}))
    .filter(t => t.box.width > 0);
  const pairs = [];
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const a = boxes[i].box, b = boxes[j].box;
    // the lines of one wrapped label touch by a pixel or two; labels over each other share most of their height
    const shared = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
    if (a.left < b.right - 1 && b.left < a.right - 1 && shared > 0.4 * Math.min(a.height, b.height))
      pairs.push([boxes[i].text, boxes[j].text]);
  }
  return pairs;
}"""


@pytest.mark.parametrize("width", [1400, 390])
def test_the_group_charts_labels_never_overlap_and_name_their_axes_in_full(live_server, browser, published, width):
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="vi-VN")
    page = context.new_page()
    page.goto(f"{live_server.url}/ket-qua/{published.pk}/khoi/so-nganh/")
    for chart in ("#distribution-chart", "#scatter-chart"):
        page.locator(f"{chart} svg").first.wait_for()
        assert page.evaluate(OVERLAPS, chart) == [], (width, chart)
    scatter = page.locator("#scatter-chart svg text").evaluate_all("nodes => nodes.map(n => n.textContent)")
    assert "Tổng điểm khai báo" in scatter and "Tổng điểm sau rà soát" in scatter
    axis = [t for t in page.locator("#distribution-chart svg text").evaluate_all(
        "nodes => nodes.map(n => n.textContent)") if t.replace(".", "").isdigit()]
    assert axis and int(axis[0].replace(".", "")) > 0, axis  # starts near the totals, not at 0
    context.close()


def test_a_keyboard_reaches_the_content_first_and_sees_where_it_is(live_server, page, published):
    page.goto(f"{live_server.url}/gioi-thieu/")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert skip.evaluate("a => a === document.activeElement") and skip.is_visible()
    assert skip.evaluate("a => getComputedStyle(a).outlineStyle") != "none"  # the focus shows
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#content"
    assert serious_violations(page) == []


def test_every_chart_downloads_as_a_picture_and_as_its_figures(live_server, page, published):
    from ..published import published_tables

    page.goto(f"{live_server.url}/ket-qua/{published.pk}/khoi/so-nganh/")
    page.locator("#distribution-chart svg").first.wait_for()
    charts = page.locator(".chart").count()
    assert page.locator(".chart-downloads").count() == charts == 4  # stacked, distribution, scatter, intervals
    with page.expect_download() as arrived:
        page.locator("#distribution-chart + .chart-downloads [data-download=csv]").click()
    assert arrived.value.suggested_filename == "dti-distribution-chart.csv"
    text = Path(arrived.value.path()).read_bytes().decode("utf-8")
    lines = text.removeprefix("\ufeff").splitlines()
    assert text.startswith("\ufeff") and lines[0] == "Đơn vị,Tổng điểm sau rà soát,Xếp loại"
    published_rows = {row.unit: row for row in published_tables()[0].rows}  # Phụ lục I: the departments
    assert len(lines) == 1 + len(published_rows)
    for line in lines[1:]:  # every unit's total and grade as the decision gives them
        unit, total, grade = line.rsplit(",", 2)
        assert Decimal(total) == Decimal(published_rows[unit].reviewed[-1]) and grade == published_rows[unit].grade
    with page.expect_download() as arrived:
        page.locator("#scatter-chart + .chart-downloads [data-download=png]").click()
    picture = Path(arrived.value.path()).read_bytes()
    assert arrived.value.suggested_filename == "dti-scatter-chart.png" and picture[:8] == b"\x89PNG\r\n\x1a\n"
    from PIL import Image

    width = page.locator("#scatter-chart").evaluate("e => e.clientWidth")
    assert Image.open(BytesIO(picture)).size[0] == 2 * width  # twice the screen's resolution


def test_a_unit_and_its_group_across_the_years_are_drawn_and_downloadable(live_server, page, published, tmp_path):
    from dti.assessments.actions.imports import import_results
    from dti.assessments.actions.periods import create_period

    from ..conftest import BACNINH_DATA, publish

    earlier = create_period(year=2022, name="Kỳ 2022", name_en="Period 2022", framework=published.framework)
    import_results(earlier, BACNINH_DATA)
    publish(earlier)
    department = Participation.objects.get(period=published, unit__name="Sở Khoa học và Công nghệ")
    for path in (f"/ket-qua/{published.pk}/don-vi/{department.pk}/", f"/ket-qua/{published.pk}/khoi/so-nganh/"):
        page.goto(live_server.url + path)
        page.locator("#trend-chart svg").first.wait_for()
        labels = page.locator("#trend-chart svg text").evaluate_all("nodes => nodes.map(n => n.textContent)")
        assert "2022" in labels and "2023" in labels and "80%" in labels, labels
        assert page.evaluate(OVERLAPS, "#trend-chart") == []
        with page.expect_download() as arrived:
            page.locator("#trend-chart + .chart-downloads [data-download=csv]").click()
        lines = Path(arrived.value.path()).read_text(encoding="utf-8-sig").splitlines()
        assert [line.split(",")[0] for line in lines[1:]] == ["2022", "2023"]
    assert lines[0].startswith("Năm,Tổng điểm (%),Nhận thức số (%)")  # the group's: total, then each pillar
    assert lines[1].split(",")[1] == lines[2].split(",")[1] == "74.7"  # 747.01 of 1,000 both years


def test_the_districts_are_on_the_map_named_and_coloured_by_grade(live_server, page, published):
    page.goto(f"{live_server.url}/ket-qua/{published.pk}/khoi/huyen/")
    page.locator("#map-chart svg").first.wait_for()
    page.locator("#map-chart").scroll_into_view_if_needed()
    labels = page.locator("#map-chart svg text").evaluate_all("nodes => nodes.map(n => n.textContent)")
    assert {"UBND Thị xã Quế Võ", "UBND huyện Lương Tài", "Kinh độ", "Vĩ độ", "Xuất sắc"} <= set(labels)
    assert page.evaluate(OVERLAPS, "#map-chart") == []
    page.locator("#map-chart").locator("xpath=..").screenshot(path=SCREENSHOTS / "group-map.png")
