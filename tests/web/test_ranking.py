"""A group's ranking against the previous published year: rank and points changes, sorted by them."""

import re

from django.urls import reverse

from dti.assessments.actions.imports import import_results
from dti.assessments.actions.periods import create_period

from ..conftest import BACNINH_DATA, publish


def ranking_rows(html: str) -> dict[str, list[str]]:
    body = html.split('id="ranking"', 1)[1].split("</tbody>", 1)[0]
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        if len(cells) > 2:
            rows[cells[1]] = cells
    return rows


def test_changes_against_the_previous_year_and_sorting_by_them(client, framework, period, tmp_path):
    # 2022: the same results with Quế Võ and Từ Sơn swapped, so in 2023 Quế Võ went up one place and Từ Sơn down.
    text = BACNINH_DATA.read_text(encoding="utf-8")
    swapped = text.replace("UBND Thị xã Quế Võ", "@").replace("UBND TP. Từ Sơn", "UBND Thị xã Quế Võ").replace(
        "@", "UBND TP. Từ Sơn")
    earlier_file = tmp_path / "2022.csv"
    earlier_file.write_text(swapped, encoding="utf-8")
    earlier = create_period(year=2022, name="Kỳ 2022", framework=framework)
    import_results(earlier, earlier_file)
    publish(earlier)
    publish(period)
    url = reverse("portal:group", args=[period.pk, "huyen"])
    html = client.get(url).content.decode()
    assert "thay đổi so với Kỳ 2022" in html
    rows = ranking_rows(html)
    assert rows["UBND Thị xã Quế Võ"][-2:] == ["▲ 1", "+60,74"]  # 804.25 against 743.51
    assert rows["UBND TP. Từ Sơn"][-2:] == ["▼ 1", "−60,74"]
    assert rows["UBND TP. Bắc Ninh"][-2:] == ["=", "0,00"]
    rise = html.split("UBND Thị xã Quế Võ</a>", 1)[1].split("</tr>", 1)[0]  # a rise in green, a fall in red
    assert '<td class="num detail change up">▲ 1</td>' in rise and '<td class="num detail change up">+60,74</td>' in rise
    fall = html.split("UBND TP. Từ Sơn</a>", 1)[1].split("</tr>", 1)[0]
    assert '<td class="num detail change down">▼ 1</td>' in fall
    sorted_page = client.get(url, {"sap-xep": "points_change", "chieu": "giam"}).content.decode()
    header = sorted_page.split('aria-sort="descending"', 1)[1].split("</th>", 1)[0]  # the sorted column's arrow
    assert 'data-sort="points_change"' in header and "▼</span>" in header
    by_change = list(ranking_rows(sorted_page))
    assert by_change[0] == "UBND Thị xã Quế Võ" and by_change[-1] == "UBND TP. Từ Sơn"
    history = html.split('id="group-history"', 1)[1].split("</table>", 1)[0]
    assert history.count("<tr>") == 3  # header, 2022, 2023


def test_a_large_groups_ranking_is_shown_page_by_page(client, period, monkeypatch):
    """A nation's 3,321 communes on one public page were 3 MB: a group of more units than a page holds is shown
    in pages, in the order and with the filters asked for, and the period's pages show its best ranked."""
    monkeypatch.setattr("dti.portal.views.PUBLIC_ROWS", 3)  # the district group has 8 units
    publish(period)
    url = reverse("portal:group", args=[period.pk, "huyen"])
    first = client.get(url).content.decode()
    assert [int(cells[0]) for cells in ranking_rows(first).values()] == [1, 2, 3]
    assert 'id="ranking-pages"' in first and "8 trên 8 đơn vị" in first  # the count is of every unit found
    third = ranking_rows(client.get(url, {"trang": 3}).content.decode())
    assert [int(cells[0]) for cells in third.values()] == [7, 8]
    # Sorted the other way, the first page holds the last ranked: the pages follow the sort.
    reverse_sorted = ranking_rows(client.get(url, {"sap-xep": "rank", "chieu": "giam"}).content.decode())
    assert [int(cells[0]) for cells in reverse_sorted.values()] == [8, 7, 6]
    period_page = client.get(reverse("portal:period", args=[period.pk])).content.decode()
    table = period_page.split('id="table-huyen"', 1)[1].split("</table>", 1)[0]
    assert table.count('<td class="unit">') == 3  # its best ranked, the rest on the group's pages
    assert "3 đơn vị xếp hạng cao nhất trong số 8" in period_page
    assert "/bao-cao/" not in period_page  # each unit's report is on its own page, not 3,321 links here
    robustness = first.split('id="robustness"', 1)[1].split("</table>", 1)[0]
    assert robustness.count("<tr><td") == 3  # the rank intervals of the units on the page shown


def test_a_count_is_written_with_the_thousands_of_the_pages_language():
    from django.utils import translation

    from dti.web.templatetags.dti_format import whole

    with translation.override("vi"):
        assert whole(3321) == "3.321" and whole(99) == "99"  # "3,321" would read as three and a bit
    with translation.override("en"):
        assert whole(3321) == "3,321"


def test_a_unit_and_its_group_are_drawn_across_the_published_years(client, framework, period, tmp_path):
    import json

    earlier_file = tmp_path / "2022.csv"  # 2022: Quế Võ with the results Từ Sơn has in 2023
    earlier_file.write_text(BACNINH_DATA.read_text(encoding="utf-8").replace("UBND Thị xã Quế Võ", "@").replace(
        "UBND TP. Từ Sơn", "UBND Thị xã Quế Võ").replace("@", "UBND TP. Từ Sơn"), encoding="utf-8")
    publish(period)
    que_vo = period.participations.get(unit__name="UBND Thị xã Quế Võ")
    unit_page = reverse("portal:unit", args=[period.pk, que_vo.pk])
    assert 'id="trend-data"' not in client.get(unit_page).content.decode()  # one year: no line to draw
    earlier = create_period(year=2022, name="Kỳ 2022", framework=framework)
    import_results(earlier, earlier_file)
    publish(earlier)

    def island(html: str) -> dict:
        return json.loads(html.split('<script id="trend-data" type="application/json">', 1)[1].split("</script>")[0])

    unit = island(client.get(unit_page).content.decode())
    assert unit["years"] == ["2022", "2023"]
    assert unit["lines"][0] == {"name": "UBND Thị xã Quế Võ", "values": [74.35, 80.43]}  # 743.51, 804.25 of 1,000
    assert unit["lines"][1] == {"name": "Trung bình khối", "values": [60.18, 60.18]}  # the same eight totals
    group = island(client.get(reverse("portal:group", args=[period.pk, "huyen"])).content.decode())
    assert group["lines"][0]["name"] == "Tổng điểm" and group["lines"][0]["values"] == [60.18, 60.18]
    assert group["lines"][1] == {"name": "Nhận thức số", "values": [77.5, 77.5]}  # 77.50 of 100
