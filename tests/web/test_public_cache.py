"""Public pages are kept whole in the cache: served again without the database's work, per language, renewed by
a new publication, never for a signed-in visitor."""

from django.urls import reverse

from ..conftest import publish


def test_a_page_is_served_again_from_the_cache(client, period, django_assert_max_num_queries):
    publish(period)
    url = reverse("portal:group", args=[period.pk, "huyen"])
    first = client.get(url).content
    # Only the check that nothing new was published, and the read of the cache every server shares.
    with django_assert_max_num_queries(2):
        again = client.get(url)
    assert again.content == first and "Cookie" in again["Vary"]


def test_a_new_publication_shows_at_once(client, period):
    home = client.get(reverse("portal:home")).content.decode()
    assert "table-huyen" not in home
    publish(period)
    assert "table-huyen" in client.get(reverse("portal:home")).content.decode()


def test_each_language_has_its_own_page_and_the_switch_needs_no_form_token(client, period):
    publish(period)
    url = reverse("portal:period", args=[period.pk])
    assert "Điểm sau khi rà soát" in client.get(url).content.decode()
    response = client.get(reverse("choose_language"), {"language": "en", "next": url})
    assert response.status_code == 302 and response["Location"] == url
    assert "Points after review" in client.get(url).content.decode()
    assert client.get(reverse("choose_language"), {"language": "en", "next": "https://elsewhere.example/"}
                      )["Location"] == "/"


def test_a_signed_in_visitor_gets_a_fresh_page(client, period, people):
    publish(period)
    url = reverse("portal:period", args=[period.pk])
    client.get(url)
    client.force_login(people["lan"])
    assert "lan" in client.get(url).content.decode()


def test_the_apis_answers_are_kept_until_the_next_publication(client, period, django_assert_max_num_queries):
    publish(period)
    url = f"/api/v1/periods/{period.pk}/results"
    first = client.get(url)
    assert first.status_code == 200 and first["Content-Type"].startswith("application/json")
    with django_assert_max_num_queries(2):  # the published snapshots' check and the cache's read
        again = client.get(url)
    assert again.content == first.content
    assert client.get("/api/v1/periods/999999/results").status_code == 404  # a refusal is not kept
