"""Queries per page stay constant as content grows (N and 10N children)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from tests.factories.services import (
    NewsArticlePageFactory,
    ServiceLandingPageFactory,
    ServicePageFactory,
)

N = 3
MAX_QUERIES_PER_PAGE = 20


def count_queries(client, url) -> int:
    client.get(url)  # warm per-process caches (site root paths, content types)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    writes = [
        q["sql"]
        for q in queries
        if q["sql"].split()[0].upper() in {"INSERT", "UPDATE", "DELETE"}
    ]
    assert writes == []
    return len(queries)


def grow(council, count):
    for _ in range(count):
        area = ServiceLandingPageFactory(parent=council["home"])
        ServicePageFactory(parent=council["landing"])
        NewsArticlePageFactory(parent=council["news_index"])
        assert area.live


@pytest.mark.django_db
@pytest.mark.parametrize(
    "key", ["home", "landing", "news_index", "a_to_z", "service", "guide"]
)
def test_page_queries_do_not_grow_with_content(client, council, settings, key):
    settings.PAGE_CACHE_SECONDS = 0
    url = council[key].url
    grow(council, N)
    small = count_queries(client, url)
    grow(council, 9 * N)
    large = count_queries(client, url)
    assert small == large
    assert large <= MAX_QUERIES_PER_PAGE


@pytest.mark.django_db
def test_a_to_z_letter_page_queries_do_not_grow(client, council, settings):
    settings.PAGE_CACHE_SECONDS = 0
    url = council["a_to_z"].url + "r/"
    grow(council, N)
    small = count_queries(client, url)
    grow(council, 9 * N)
    assert count_queries(client, url) == small


@pytest.mark.django_db
def test_pages_are_found_through_an_index_on_their_url_path(client, council, settings):
    """Every uncached page view looks pages up by ``url_path``; without an index that
    query reads every page of the site, so it slows as the site grows."""
    settings.PAGE_CACHE_SECONDS = 0
    with CaptureQueriesContext(connection) as queries:
        assert client.get(council["service"].url).status_code == 200
    assert any('"url_path" IN' in q["sql"] for q in queries)
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(
            cursor, "wagtailcore_page"
        )
    assert any(
        c["index"] and c["columns"] == ["url_path"] for c in constraints.values()
    )
