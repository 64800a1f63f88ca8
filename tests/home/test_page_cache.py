"""Anonymous pages come from the page cache with no SQL; publishing purges them."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest


@pytest.mark.django_db
def test_anonymous_page_is_public_and_sets_no_cookie(client, council):
    response = client.get(council["service"].url)
    cache_control = response["Cache-Control"]
    assert "public" in cache_control
    assert "s-maxage=" in cache_control
    assert not response.cookies
    assert "Cookie" not in response.get("Vary", "")


@pytest.mark.django_db
def test_second_anonymous_request_is_served_from_cache_without_queries(client, council):
    url = council["landing"].url
    first = client.get(url)
    assert first["X-Page-Cache"] == "miss"
    with CaptureQueriesContext(connection) as queries:
        second = client.get(url)
    assert second["X-Page-Cache"] == "hit"
    assert len(queries) == 0
    assert second.content == first.content


@pytest.mark.django_db
def test_publishing_purges_the_cached_pages(client, council):
    service = council["service"]
    assert client.get(service.url)["X-Page-Cache"] == "miss"
    assert client.get(service.url)["X-Page-Cache"] == "hit"
    landing_before = client.get(council["landing"].url).content.decode()
    service.title = "Report a missed bin collection"
    service.save_revision().publish()
    response = client.get(service.url)
    assert response["X-Page-Cache"] == "miss"
    assert "Report a missed bin collection" in response.content.decode()
    # Listings that show the page are fresh too.
    landing_after = client.get(council["landing"].url).content.decode()
    assert "Report a missed bin collection" in landing_after
    assert landing_before != landing_after


@pytest.mark.django_db
def test_a_signed_in_editor_never_gets_or_fills_the_shared_cache(
    client, council, editor
):
    url = council["service"].url
    client.get(url)  # cache it anonymously
    client.force_login(editor)
    response = client.get(url)
    assert "X-Page-Cache" not in response
    assert "private" in response["Cache-Control"]
    assert "wagtail-userbar" in response.content.decode()
    client.logout()
    anonymous = client.get(url)
    assert "wagtail-userbar" not in anonymous.content.decode()


@pytest.mark.django_db
def test_page_cache_can_be_switched_off(client, council, settings):
    settings.PAGE_CACHE_SECONDS = 0
    client.get(council["home"].url)
    assert "X-Page-Cache" not in client.get(council["home"].url)


@pytest.mark.django_db
def test_restricting_a_page_takes_effect_at_once_even_when_it_was_cached(
    client, council
):
    from wagtail.models import PageViewRestriction

    service = council["service"]
    assert client.get(service.url)["X-Page-Cache"] == "miss"
    assert client.get(service.url)["X-Page-Cache"] == "hit"
    PageViewRestriction.objects.create(
        page=council["landing"], restriction_type=PageViewRestriction.LOGIN
    )
    response = client.get(service.url)
    assert response.status_code == 302
    assert "/login" in response["Location"] or "login" in response["Location"]
    PageViewRestriction.objects.all().delete()
    assert client.get(service.url).status_code == 200


@pytest.mark.django_db
def test_a_page_rendered_afresh_reads_the_generation_and_segments_in_one_round_trip(
    client, council, settings, monkeypatch
):
    """With the page cache off, a page view still needs the cache generation (its
    fragments) and the segment definitions' version (its variants): one read."""
    from django.core.cache import caches

    settings.PAGE_CACHE_SECONDS = 0
    url = council["landing"].url
    client.get(url)
    backend = type(caches["default"])
    reads, inside = [], []
    for name in ("get", "get_many"):
        original = getattr(backend, name)

        def spy(self, key, *args, _original=original, **kwargs):
            # A read the caller asked for, not one a backend's ``get_many`` makes
            # itself (the in-memory cache of a setup without Redis loops ``get``).
            if not inside:
                reads.append(key)
            inside.append(key)
            try:
                return _original(self, key, *args, **kwargs)
            finally:
                inside.pop()

        monkeypatch.setattr(backend, name, spy)
    assert client.get(url).status_code == 200
    assert not any(
        read in ("pagecache:generation", "personalisation:version") for read in reads
    )
    assert ["pagecache:generation", "personalisation:version"] in reads
