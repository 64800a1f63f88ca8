"""The search page residents use: results, filters, pagination, best bets, synonyms,
documents, microsites, odd input, caching and click counting."""

from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.contrib.search_promotions.models import Query, SearchPromotion
from wagtail.documents import get_document_model
from wagtail.models import Page, Site

import pytest
from bs4 import BeautifulSoup

from home.platform.cache import purge_all
from search import querylog
from search.models import QueryWeek, Synonym
from tests.factories.home import HomePageFactory
from tests.factories.services import (
    NewsArticlePageFactory,
    ServiceLandingPageFactory,
    ServicePageFactory,
)


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def result_titles(response) -> list[str]:
    page = soup(response)
    return [
        a.get_text(strip=True)
        for a in page.select(
            ".council-search-results a, .council-search-best-bets a, .council-search-documents h3 a"
        )
    ]


@pytest.mark.django_db
def test_search_finds_a_service_by_its_title(client, council):
    response = client.get("/search/", {"q": "missed bin"})
    assert result_titles(response)[0] == "Report a missed bin"
    summary = soup(response).select_one("#search-summary").get_text(" ", strip=True)
    assert "result" in summary and "missed bin" in summary


@pytest.mark.django_db
def test_each_result_shows_title_summary_type_and_section(client, council):
    response = client.get("/search/", {"q": "missed bin"})
    item = soup(response).select_one(".council-search-results__item")
    text = item.get_text(" ", strip=True)
    assert "Report a missed bin" in text
    assert "Tell us if we did not collect your bin." in text
    assert "Service in Bins and recycling" in text


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        "x" * 10_000,
        "bins\x1f\x7f",  # a NUL is refused before the view (tests/home/test_bad_input.py)
        "' OR 1=1 --",
        'title:(bins AND "tax"~2)^3',
        "*:*",
        "\\",
        "🙂🙂🙂",
        "a" * 199 + " bin",
        "'; DROP TABLE wagtailcore_page; --",
    ],
)
def test_odd_queries_get_a_helpful_page_not_an_error(client, council, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    assert soup(response).select_one("h1").get_text(strip=True).startswith("Search")
    assert Page.objects.filter(slug="missed-bin").exists()


@pytest.mark.django_db
def test_a_very_long_query_is_shortened_and_says_so(client, council):
    response = client.get("/search/", {"q": "bin " * 3000})
    assert "only its first 200 characters were used" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["", "   ", "!!!", "\x01"])
def test_an_empty_search_asks_for_words_with_an_error_summary(client, council, query):
    response = client.get("/search/", {"q": query})
    page = soup(response)
    assert response.status_code == 200
    summary = page.select_one(".govuk-error-summary")
    assert summary is not None
    assert "Enter a word or phrase to search for" in summary.get_text()
    assert summary.select_one("a")["href"] == "#search-q"
    assert page.select_one("#search-q") is not None
    assert page.title.get_text().startswith("Error: ")


@pytest.mark.django_db
def test_the_search_page_without_a_query_shows_just_the_box(client, council):
    response = client.get("/search/")
    page = soup(response)
    assert page.select_one(".govuk-error-summary") is None
    assert page.select_one("input#search-q[type=search]") is not None


@pytest.mark.django_db
def test_a_query_with_no_matches_gets_advice(client, council):
    response = client.get("/search/", {"q": "zzyzx quux"})
    text = soup(response).get_text(" ", strip=True)
    assert "No results for ‘zzyzx quux’" in text
    assert "check your spelling" in text


@pytest.mark.django_db
def test_results_filter_by_type_and_section(client, council):
    other = ServiceLandingPageFactory(
        parent=council["home"], title="Roads", slug="roads"
    )
    ServicePageFactory(parent=other, title="Report a pothole near a bin", slug="p")
    NewsArticlePageFactory(
        parent=council["news_index"], title="Bin news", slug="bin-news"
    )
    everything = client.get("/search/", {"q": "bin"})
    titles = result_titles(everything)
    assert {"Report a missed bin", "Report a pothole near a bin", "Bin news"} <= set(
        titles
    )
    filters = soup(everything).select_one(".council-search-filters").get_text(" ")
    assert "Service" in filters and "News" in filters and "Roads" in filters

    news = client.get("/search/", {"q": "bin", "type": "news"})
    assert result_titles(news) == ["Bin news"]
    roads = client.get("/search/", {"q": "bin", "section": "roads"})
    assert result_titles(roads) == ["Report a pothole near a bin"]
    both = client.get("/search/", {"q": "bin", "section": "bins", "type": "service"})
    assert "Report a missed bin" in result_titles(both)
    assert "Report a pothole near a bin" not in result_titles(both)


@pytest.mark.django_db
def test_bad_filter_values_are_ignored(client, council):
    response = client.get(
        "/search/",
        {"q": "missed bin", "type": "<script>", "section": "../", "page": "x"},
    )
    assert response.status_code == 200
    assert result_titles(response)[0] == "Report a missed bin"


def _add_services(landing, count, start=0):
    for number in range(start, start + count):
        ServicePageFactory(
            parent=landing,
            title=f"Recycling service {number}",
            slug=f"recycling-{number}",
        )


@pytest.mark.django_db
def test_results_are_paginated_in_the_backend_with_constant_queries(client, council):
    _add_services(council["landing"], 12)
    client.get("/search/", {"q": "recycling service"})  # warm the site caches
    with CaptureQueriesContext(connection) as small:
        first = client.get("/search/", {"q": "recycling service", "page": 2})
    _add_services(council["landing"], 108, start=12)
    purge_all()  # as publishing does
    client.get("/search/", {"q": "recycling service"})
    with CaptureQueriesContext(connection) as large:
        second = client.get("/search/", {"q": "recycling service", "page": 2})
    assert len(result_titles(first)) == 2
    assert len(result_titles(second)) == 10
    assert "120 results" in soup(second).select_one("#search-summary").get_text()
    assert len(large) == len(small)
    ranked = [q["sql"] for q in large if "ORDER BY" in q["sql"] and "LIMIT" in q["sql"]]
    assert ranked, "the page of results must be limited in the database"
    nav = soup(second).select_one("nav.govuk-pagination")
    assert nav is not None and nav.select_one("[aria-current=page]").get_text() == "2"


@pytest.mark.django_db
def test_a_search_writes_nothing_to_the_database(client, council):
    client.get("/search/", {"q": "bins"})  # the site's first request makes its settings
    with CaptureQueriesContext(connection) as queries:
        client.get("/search/", {"q": "missed bin"})
    writes = [
        q["sql"]
        for q in queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert writes == []


@pytest.mark.django_db
def test_anonymous_results_are_public_and_cached_and_still_counted(client, council):
    first = client.get("/search/", {"q": "missed bin"})
    assert first["Cache-Control"].startswith("public")
    assert not first.cookies
    assert "Cookie" not in first.get("Vary", "")
    with CaptureQueriesContext(connection) as queries:
        second = client.get("/search/", {"q": "missed bin"})
    assert second["X-Page-Cache"] == "hit"
    assert len(queries) == 0
    querylog.flush()
    row = QueryWeek.objects.get(query="missed bin")
    assert row.searches == 2


@pytest.mark.django_db
def test_search_results_for_a_signed_in_editor_are_private(client, council, editor):
    client.force_login(editor)
    response = client.get("/search/", {"q": "bins"})
    assert "private" in response["Cache-Control"]


@pytest.mark.django_db
def test_best_bets_come_first(client, council):
    query = Query.get("bins")
    SearchPromotion.objects.create(
        query=query, page=council["standard"], description="Our promise on bins."
    )
    response = client.get("/search/", {"q": "Bins"})
    best = soup(response).select_one(".council-search-best-bets")
    assert best is not None
    assert "About us" in best.get_text() and "Our promise on bins." in best.get_text()
    assert result_titles(response)[0] == "About us"


@pytest.mark.django_db
def test_an_editors_synonym_takes_effect_on_the_next_search(client, council):
    assert result_titles(client.get("/search/", {"q": "dump"})) == []
    Synonym.objects.create(terms="dump, tip", means="missed bin")
    # A new URL (the page cache keys on the URL) and the synonyms' cache is fresh.
    response = client.get("/search/", {"q": "dump", "x": "1"})
    assert result_titles(response)[0] == "Report a missed bin"


@pytest.mark.django_db
def test_a_typo_still_finds_the_page(client, council):
    response = client.get("/search/", {"q": "mised bin"})
    assert result_titles(response)[0] == "Report a missed bin"
    assert "Including results for ‘missed bin’" in response.content.decode()


@pytest.mark.django_db
def test_documents_are_found_by_title_and_description(client, council):
    Document = get_document_model()
    document = Document(
        title="Charges leaflet",
        description="Fees for the household waste recycling centres",
    )
    document.file.save("charges.pdf", ContentFile(b"%PDF-1.4 test"), save=False)
    document.save()
    by_description = client.get("/search/", {"q": "recycling centres fees"})
    assert "Charges leaflet" in result_titles(by_description)
    only_documents = client.get(
        "/search/", {"q": "charges leaflet", "type": "document"}
    )
    assert result_titles(only_documents) == ["Charges leaflet"]


@pytest.mark.django_db
def test_a_microsites_search_covers_only_the_microsite(client, council):
    root = Page.get_first_root_node()
    parks_home = HomePageFactory(parent=root, title="Country Parks", slug="parks")
    parks_area = ServiceLandingPageFactory(
        parent=parks_home, title="Visit", slug="visit"
    )
    ServicePageFactory(parent=parks_area, title="Missed bin at a park", slug="p-bin")
    Site.objects.create(hostname="parks.testserver", port=80, root_page=parks_home)
    Site.clear_site_root_paths_cache()
    parks = client.get("/search/", {"q": "missed bin"}, HTTP_HOST="parks.testserver")
    council_site = client.get("/search/", {"q": "missed bin"})
    assert result_titles(parks) == ["Missed bin at a park"]
    assert "Missed bin at a park" not in result_titles(council_site)


@pytest.mark.django_db
def test_result_links_count_the_click_and_redirect_to_the_page(client, council):
    response = client.get("/search/", {"q": "missed bin"})
    link = soup(response).select_one(".council-search-results a")["href"]
    assert link.startswith("/search/go/?")
    followed = client.get(link)
    assert followed.status_code == 302
    assert followed["Location"] == council["service"].url
    assert "no-store" in followed["Cache-Control"]
    querylog.flush()
    row = QueryWeek.objects.get(query="missed bin")
    assert (row.searches, row.clicks) == (1, 1)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params",
    [
        {"p": "https://evil.example/"},
        {"p": "//evil.example"},
        {"next": "https://evil.example/"},
        {"d": "999999"},
        {"p": "999999"},
        {"b": "abc"},
        {},
    ],
)
def test_the_click_link_never_redirects_off_site(client, council, params):
    response = client.get("/search/go/", {"q": "bins", **params})
    assert response.status_code == 404


@pytest.mark.django_db
def test_the_click_link_will_not_reveal_an_unpublished_page(client, council):
    council["service"].unpublish()
    response = client.get("/search/go/", {"q": "bins", "p": council["service"].pk})
    assert response.status_code == 404


@pytest.mark.django_db
def test_suggestions_are_public_json_of_matching_titles(client, council):
    response = client.get("/search/suggest/", {"q": "missed"})
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"].startswith("public")
    data = response.json()
    assert data["suggestions"][0]["title"] == "Report a missed bin"
    assert data["suggestions"][0]["url"] == council["service"].url
    assert client.get("/search/suggest/", {"q": "m"}).json()["suggestions"] == []
    assert client.get("/search/suggest/", {"q": "\x01" * 500}).status_code == 200


@pytest.mark.django_db
def test_the_header_box_offers_suggestions_to_scripts(client, council):
    html = client.get("/search/", {"q": "bins"}).content.decode()
    assert 'data-suggest-url="/search/suggest/"' in html


@pytest.mark.django_db
def test_the_index_follows_publish_unpublish_move_and_delete(client, council):
    page = ServicePageFactory(
        parent=council["landing"], title="Apply for a skip permit", slug="skip"
    )
    page.save_revision().publish()

    def found():
        purge_all()
        return result_titles(client.get("/search/", {"q": "skip permit"}))

    assert found() == ["Apply for a skip permit"]
    page.unpublish()
    assert found() == []
    page.save_revision().publish()
    roads = ServiceLandingPageFactory(
        parent=council["home"], title="Roads", slug="roads"
    )
    page.move(roads, pos="last-child")
    purge_all()
    response = client.get("/search/", {"q": "skip permit"})
    meta = soup(response).select_one(".council-search-results__meta").get_text()
    assert "in Roads" in meta
    page.refresh_from_db()
    page.delete()
    assert found() == []
