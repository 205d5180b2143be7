"""A reader who meets an error meets it in the site's own pages, in their language: what happened, in words, and
the way back — never Django's bare English pages."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.usefixtures("world")


def test_an_unknown_address_is_a_page_of_the_site_in_vietnamese(client):
    response = client.get("/khong-co-trang-nay/")
    page = response.content.decode()
    assert response.status_code == 404
    assert '<nav class="site" ' in page and "Không tìm thấy trang" in page
    assert f'href="{reverse("portal:home")}">Về trang chủ của cổng' in page
    assert "Not Found" not in page


def test_the_error_page_follows_the_language_chosen(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/khong-co-trang-nay/").content.decode()
    assert "Page not found" in page and "Không tìm thấy trang" not in page


def test_a_page_the_account_may_not_open_says_so(as_user, people):
    from dti.assessments.models import Participation

    other = Participation.objects.exclude(unit=people["chi"].membership.unit).first()
    response = as_user("chi").get(reverse("assessments:declaration", args=[other.pk]))
    page = response.content.decode()
    assert response.status_code == 403
    assert "Không có quyền truy cập" in page and "Về trang công việc" in page  # signed in: the way back to work
    assert "Đăng xuất (chi)" in page  # the header knows who is signed in


def test_a_form_sent_from_a_stale_page_is_refused_in_words(people):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("accounts:login"), {"username": "chi", "password": "x"})
    page = response.content.decode()
    assert response.status_code == 403
    assert "Trang đã cũ" in page and "Chưa có gì được lưu" in page


def test_a_server_error_is_a_page_of_the_site(monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("a fault inside a page")

    monkeypatch.setattr("dti.web.views.url_has_allowed_host_and_scheme", broken)
    client = Client(raise_request_exception=False)
    response = client.get(reverse("choose_language"), {"language": "vi", "next": "/"})
    page = response.content.decode()
    assert response.status_code == 500
    assert '<nav class="site" ' in page and "Đã có lỗi" in page and "tải lại trang" in page
    assert "Server Error" not in page


def test_the_site_has_an_icon(client):
    page = client.get(reverse("portal:home")).content.decode()
    assert 'rel="icon" href="/static/dti/favicon.svg"' in page
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"] == "/static/dti/favicon.svg"
    assert client.get("/static/dti/favicon.svg").status_code == 200


@pytest.mark.parametrize("query", ["?ky=abc", "?ky=1e9", "?ky=-1&don-vi=x", "?don-vi=%00"])
def test_a_comparison_asked_with_nonsense_is_answered_not_failed(client, query):
    response = Client(raise_request_exception=False).get(reverse("portal:compare") + query)
    assert response.status_code in (200, 404), response.status_code
