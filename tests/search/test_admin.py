"""Editors manage best bets and synonyms and read the query report in the admin."""

from django.urls import reverse

import pytest

from search import querylog
from search.models import Synonym


@pytest.mark.django_db
def test_an_editor_reads_the_weekly_query_report(client, council, editor):
    client.get("/search/", {"q": "missed bin"})
    client.get("/search/", {"q": "zzyzx"})
    client.get("/search/", {"q": "council tax for jo@example.com"})
    client.force_login(editor)
    response = client.get(reverse("search_query_report"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Top queries" in html and "missed bin" in html
    assert "Queries with no results" in html and "zzyzx" in html
    assert "Queries whose results nobody clicked" in html
    assert "jo@example.com" not in html and "[email]" in html


@pytest.mark.django_db
def test_the_report_is_in_the_reports_menu(client, council, editor):
    client.force_login(editor)
    html = client.get("/admin/").content.decode()
    assert reverse("search_query_report") in html


@pytest.mark.django_db
def test_someone_without_admin_access_cannot_read_the_report(client, council):
    response = client.get(reverse("search_query_report"))
    assert response.status_code == 302
    assert querylog.flush() == 0


@pytest.mark.django_db
def test_an_editor_adds_a_synonym_in_the_admin(client, council, editor):
    client.force_login(editor)
    url = reverse("wagtailsnippets_search_synonym:add")
    response = client.post(url, {"terms": "dump, tip", "means": "missed bin"})
    assert response.status_code == 302
    assert Synonym.objects.get().term_list == ["dump", "tip"]
    client.logout()
    result = client.get("/search/", {"q": "tip"}).content.decode()
    assert "Report a missed bin" in result


@pytest.mark.django_db
def test_an_editor_can_manage_best_bets(client, council, editor):
    client.force_login(editor)
    response = client.get(reverse("wagtailsearchpromotions:index"))
    assert response.status_code == 200
    add = client.get(reverse("wagtailsearchpromotions:add"))
    assert add.status_code == 200
