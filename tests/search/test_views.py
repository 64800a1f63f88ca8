"""The header search box leads to a working, safe results page."""

import pytest


@pytest.mark.django_db
def test_search_finds_a_service_by_its_title(client, council):
    html = client.get("/search/", {"q": "missed bin"}).content.decode()
    assert "Report a missed bin" in html
    assert "result" in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    ["", "x" * 10_000, "bins\x00\x1f\x7f", "' OR 1=1 --", 'title:(bins AND "tax"~2)^3'],
)
def test_odd_queries_get_a_helpful_page_not_an_error(client, council, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    assert "Search" in response.content.decode()


@pytest.mark.django_db
def test_search_results_for_a_signed_in_editor_are_private(client, council, editor):
    client.force_login(editor)
    response = client.get("/search/", {"q": "bins"})
    assert "private" in response["Cache-Control"]
