"""Wagtail's pages API at /api/v2/pages/: public live pages of the requested
site only, the same for everyone."""

from wagtail.models import Page, PageViewRestriction, Site

import pytest

from tests.factories.home import HomePageFactory, StandardPageFactory


def titles(client, **extra):
    response = client.get("/api/v2/pages/", **extra)
    assert response.status_code == 200
    return {item["title"] for item in response.json()["items"]}


@pytest.mark.django_db
def test_only_public_live_pages_of_the_site_are_listed(
    client, home_page, django_user_model
):
    resident = django_user_model.objects.create_user(
        "resident", "resident@example.com", "pw-resident-123"
    )
    StandardPageFactory(parent=home_page, title="Council tax bands")
    draft = StandardPageFactory(parent=home_page, title="Draft budget")
    draft.unpublish()
    private = StandardPageFactory(parent=home_page, title="Staff handbook")
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.LOGIN
    )
    StandardPageFactory(parent=private, title="Staff rota")
    parks = HomePageFactory(parent=Page.get_first_root_node(), title="Country parks")
    Site.objects.create(hostname="parks.example.com", root_page=parks)
    StandardPageFactory(parent=parks, title="Opening times")

    council = titles(client)
    assert "Council tax bands" in council
    assert not council & {"Draft budget", "Staff handbook", "Staff rota"}
    assert not council & {"Country parks", "Opening times"}
    # A signed-in resident (who could read the login-only page) sees no more.
    client.force_login(resident)
    assert titles(client) == council
    client.logout()
    parks_titles = titles(client, HTTP_HOST="parks.example.com")
    assert parks_titles == {"Country parks", "Opening times"}

    detail = client.get(f"/api/v2/pages/{private.pk}/")
    assert detail.status_code == 404


@pytest.mark.django_db
def test_the_pages_api_is_read_only(client, home_page):
    response = client.post("/api/v2/pages/", {"title": "x"})
    assert response.status_code == 405
