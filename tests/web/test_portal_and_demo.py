"""The demo database and the public home page: both 2023 tables with the published numbers."""

import html as html_lib
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from dti.accounts.models import Membership
from dti.assessments.models import Period
from dti.assessments.operations.demo import DEMO_ACCOUNTS, load_demo
from dti.engine.points import format_number

from ..published import published_tables


@pytest.fixture
def demo(db):
    load_demo()


def cells(html: str, table_id: str) -> list[list[str]]:
    table = html.split(f'id="table-{table_id}"', 1)[1].split("</table>", 1)[0]
    body = table.split("<tbody>", 1)[1]
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    return [[html_lib.unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)] for row in rows]


def test_the_demo_has_2023_published_2024_declaring_and_one_account_per_role(demo):
    assert list(Period.objects.order_by("year").values_list("year", "state")) == [(2023, "published"),
                                                                                 (2024, "declaring")]
    roles = set(Membership.objects.values_list("role", flat=True))
    assert roles == {"secretariat", "reviewer", "unit_officer", "leader"}
    assert {u for u, *_ in DEMO_ACCOUNTS} <= set(Membership.objects.values_list("user__username", flat=True))


@pytest.mark.parametrize(("index", "code"), [(0, "so-nganh"), (1, "huyen")])
def test_the_home_page_shows_every_published_number(client, demo, index, code):
    html = client.get(reverse("portal:home")).content.decode()
    published = published_tables()[index]
    rows = cells(html, code)
    assert rows[0] == [published.label]
    for row, shown in zip(published.rows, rows[1:-1], strict=True):
        expected = [str(row.stt), row.unit, *(format_number(Decimal(v), 2, "vi") for v in
                                               (*row.declared, *row.reviewed)), str(row.rank), row.grade]
        assert shown == expected
    average = rows[-1]
    assert average[1] == "Điểm trung bình"
    assert average[2:-2] == [format_number(Decimal(v), 2, "vi")
                             for v in (*published.average_declared, *published.average_reviewed)]


def test_the_home_page_switches_to_english(client, demo):
    response = client.get(reverse("choose_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    html = client.get(reverse("portal:home")).content.decode()
    assert "Points after review" in html and "Average" in html
    assert "Điểm sau khi rà soát" not in html


def test_the_secretariat_imports_a_framework_file_through_the_page(client, db):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from dti.accounts.services import create_account

    from ..conftest import NATIONAL_FRAMEWORK

    client.force_login(create_account(username="an", password="x" * 12, role="secretariat"))
    upload = SimpleUploadedFile("national.yaml", NATIONAL_FRAMEWORK.read_bytes())
    response = client.post(reverse("assessments:frameworks"), {"file": upload}, follow=True)
    html = response.content.decode()
    assert "Hoạt động chính quyền số" in html and "22 chỉ số thành phần" in html
    bad = SimpleUploadedFile("bad.yaml", b"code: x\nname: x\nsource: x\ngroups: 3\n")
    response = client.post(reverse("assessments:frameworks"), {"file": bad})
    assert "bad.yaml, gốc tệp: &#x27;groups&#x27; phải là một danh sách" in response.content.decode()


def test_an_english_browser_still_gets_vietnamese_until_it_chooses(client, demo):
    html = client.get(reverse("portal:home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "Điểm sau khi rà soát" in html


def test_every_results_page_names_the_results_decision_and_links_it(client, demo):
    period = Period.objects.get(year=2023)
    decision = reverse("portal:download", args=[period.pk, "quyet-dinh.pdf"])
    line = "Kết quả được phê duyệt tại Quyết định số 2405/QĐ-UBND ngày 26/12/2023 của Chủ tịch UBND tỉnh"
    for url in (reverse("portal:home"), reverse("portal:period", args=[period.pk]),
                reverse("portal:group", args=[period.pk, "huyen"])):
        page = client.get(url).content.decode()
        assert line in page, url
        assert f'<a href="{decision}">xem quyết định (PDF)</a>' in page, url
    # the framework's own decision is named as the framework's, not as the results'
    assert "bộ chỉ số: " in client.get(reverse("portal:home")).content.decode()
    assert client.get(decision).status_code == 200


def test_every_results_page_gives_the_day_the_results_were_published_in_vietnam(client, demo):
    import datetime

    from dti.assessments.models import PublishedSnapshot

    period = Period.objects.get(year=2023)
    # 05:16 on 27/12 in Vietnam is still 26/12 in UTC.
    PublishedSnapshot.objects.filter(period=period).update(
        created_at=datetime.datetime(2023, 12, 26, 22, 16, tzinfo=datetime.UTC))
    for url in (reverse("portal:home"), reverse("portal:group", args=[period.pk, "huyen"])):
        assert '<span id="published-on">công bố trên cổng ngày 27/12/2023</span>' in client.get(url).content.decode()


def test_the_about_page_says_who_publishes_where_and_under_which_licence(client, demo, settings):
    settings.DTI_PORTAL_PUBLISHER = "Sở Khoa học và Công nghệ tỉnh Bắc Ninh"
    settings.DTI_PORTAL_CONTACT = "sokhcn@bacninh.gov.vn"
    page = client.get(reverse("portal:about")).content.decode()
    assert "Sở Khoa học và Công nghệ tỉnh Bắc Ninh" in page and "Liên hệ: sokhcn@bacninh.gov.vn" in page
    # the site decision 2405 names for the results, read from its own article
    assert '<a href="http://chuyendoiso.bacninh.gov.vn" rel="external">' in page
    period = Period.objects.get(year=2023)
    row = page.split(reverse("portal:period", args=[period.pk]), 1)[1].split("</tr>", 1)[0]
    assert "2405/QĐ-UBND</a> (26/12/2023)" in row and reverse("portal:methodology", args=[period.pk]) in row
    assert "Creative Commons Attribution 4.0 International (CC-BY-4.0)" in page
    assert f'href="{reverse("portal:about")}"' in client.get(reverse("portal:home")).content.decode()  # in the menu


def test_a_shared_link_shows_a_title_a_summary_and_an_image_and_a_keyboard_skips_the_menu(client, demo, settings):
    settings.DTI_SITE_URL = "https://dti.example.vn"
    page = client.get(reverse("portal:home")).content.decode()
    assert '<meta property="og:url" content="https://dti.example.vn/">' in page
    assert '<meta property="og:image" content="https://dti.example.vn/static/dti/og.png">' in page
    assert '<meta property="og:locale" content="vi_VN">' in page
    assert re.search(r'<meta property="og:description" content="[^"]*chuyển đổi số', page)
    body = page.split("<body>", 1)[1]
    assert body.lstrip().startswith('<a class="skip-link" href="#content">') and 'id="content"' in body


def test_units_of_two_groups_are_compared_by_shares_of_their_own_maxima_with_a_word(client, demo):
    period = Period.objects.get(year=2023)
    knowledge = period.participations.get(unit__name="Sở Khoa học và Công nghệ")  # 734.82 out of 1,000
    que_vo = period.participations.get(unit__name="UBND Thị xã Quế Võ")  # 804.25 out of 1,000, other pillars
    health = period.participations.get(unit__name="Sở Y tế")
    url = reverse("portal:compare")
    page = client.get(url, {"ky": period.pk, "don-vi": [knowledge.pk, que_vo.pk]}).content.decode()
    assert 'id="cross-group-note"' in page and "thuộc các khối khác nhau" in page
    total = page.split("Tổng điểm sau rà soát</th>", 1)[1].split("</tr>", 1)[0]
    assert "<strong>73,5%</strong>" in total and "(734,82)" in total
    same = client.get(url, {"ky": period.pk, "don-vi": [knowledge.pk, health.pk]}).content.decode()
    assert 'id="cross-group-note"' not in same  # one group: points compare one for one


def test_a_units_page_writes_its_sentences_and_numbers_in_the_readers_language(client, demo):
    period = Period.objects.get(year=2023)
    knowledge = period.participations.get(unit__name="Sở Khoa học và Công nghệ")
    url = reverse("portal:unit", args=[period.pk, knowledge.pk])
    vietnamese = client.get(url).content.decode()
    assert "Để đạt loại Tốt, đơn vị cần thêm 13,01 điểm sau rà soát" in vietnamese
    assert "An toàn thông tin mạng: 80,00/100,00 điểm (80,0%), trung bình khối 57,2%" in vietnamese
    client.get(reverse("choose_language"), {"language": "en", "next": "/"})
    english = client.get(url).content.decode()
    # the framework's own English names the grade and the pillar (its `english` glossary)
    assert "To reach Good, the unit needs 13.01 further points after review" in english
    assert "Cybersecurity: 80.00/100.00 points (80.0%), group average 57.2%" in english
    assert "Để đạt loại" not in english and "trung bình khối" not in english
