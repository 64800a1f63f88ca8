"""Microsites on their own hostnames, per-site settings, sitemaps, robots and redirects."""

from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page, Site

import pytest

from home.models import SiteSettings
from tests.factories.home import (
    AlertBannerFactory,
    HomePageFactory,
    StandardPageFactory,
)


@pytest.fixture
def microsite(council):
    root = Page.get_first_root_node()
    parks_home = HomePageFactory(parent=root, title="Country Parks", slug="parks-home")
    StandardPageFactory(parent=parks_home, title="Visit Ravensmoor", slug="ravensmoor")
    site = Site.objects.create(
        hostname="parks.example.gov.uk",
        port=80,
        root_page=parks_home,
        site_name="Parks",
    )
    SiteSettings.objects.update_or_create(
        site=site,
        defaults={
            "organisation_name": "Guildhall Country Parks",
            "brand_colour": "#2d5016",
        },
    )
    Site.clear_site_root_paths_cache()
    return site


@pytest.mark.django_db
def test_microsite_is_routed_by_hostname_with_its_own_branding(client, microsite):
    response = client.get("/ravensmoor/", HTTP_HOST="parks.example.gov.uk")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Visit Ravensmoor" in html
    assert "Guildhall Country Parks" in html
    assert "--council-brand:#2d5016" in html
    # The council site does not serve the microsite's pages, and keeps its own brand.
    assert client.get("/ravensmoor/").status_code == 404
    council_home = client.get("/").content.decode()
    assert "--council-brand:#00594f" in council_home


@pytest.mark.django_db
def test_each_site_has_its_own_sitemap(client, microsite, council):
    council_map = client.get("/sitemap.xml").content.decode()
    parks_map = client.get(
        "/sitemap.xml", HTTP_HOST="parks.example.gov.uk"
    ).content.decode()
    assert "http://testserver/bins/missed-bin/" in council_map
    assert "ravensmoor" not in council_map
    assert "http://parks.example.gov.uk/ravensmoor/" in parks_map
    assert "missed-bin" not in parks_map
    # Guide parts are listed as pages of their own.
    assert "http://testserver/bins/ctax-guide/how-to-pay/" in council_map


@pytest.mark.django_db
def test_robots_txt_points_at_the_sites_own_sitemap(client, microsite):
    text = client.get("/robots.txt", HTTP_HOST="parks.example.gov.uk").content.decode()
    assert "Sitemap: http://parks.example.gov.uk/sitemap.xml" in text
    assert "Disallow: /admin/" in text


@pytest.mark.django_db
def test_alert_banners_show_on_their_own_site_only(client, microsite, council):
    AlertBannerFactory(title="Car park closed", site=microsite)
    AlertBannerFactory(title="Everywhere notice", site=None)
    parks = client.get(
        "/ravensmoor/", HTTP_HOST="parks.example.gov.uk"
    ).content.decode()
    council_html = client.get("/").content.decode()
    assert "Car park closed" in parks and "Everywhere notice" in parks
    assert "Car park closed" not in council_html and "Everywhere notice" in council_html


@pytest.mark.django_db
def test_a_redirect_sends_an_old_url_to_its_new_page(client, council):
    Redirect.objects.create(old_path="/bins-old", redirect_page=council["service"])
    response = client.get("/bins-old/")
    assert response.status_code in (301, 302)
    assert response["Location"].endswith(council["service"].url)


@pytest.mark.django_db
def test_brand_colour_that_white_text_cannot_be_read_on_is_refused():
    from django.core.exceptions import ValidationError

    from home.models.settings import validate_brand_colour

    validate_brand_colour("#00594f")
    with pytest.raises(ValidationError, match="contrast ratio of 1.3:1"):
        validate_brand_colour("#ffdd00")
    with pytest.raises(ValidationError, match="hex code"):
        validate_brand_colour("teal")


@pytest.mark.django_db
def test_links_stay_on_the_site_being_viewed_when_there_are_several_sites(
    client, microsite, council
):
    home = council["home"]
    home.top_tasks = [
        ("task", {"link_text": "Missed bin", "page": council["service"], "url": ""})
    ]
    home.save_revision().publish()
    html = client.get("/").content.decode()
    assert 'href="/bins/missed-bin/">Missed bin</a>' in html


@pytest.mark.django_db
def test_changing_site_settings_shows_at_once_on_every_page(
    client, council, django_capture_on_commit_callbacks
):
    assert (
        "Guildhall Borough Council"
        in client.get(council["service"].url).content.decode()
    )
    site_settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    site_settings.organisation_name = "Guildhall City Council"
    with django_capture_on_commit_callbacks(execute=True):
        site_settings.save()
    html = client.get(council["service"].url).content.decode()
    assert "Guildhall City Council" in html
    assert "Guildhall Borough Council" not in html


@pytest.mark.django_db
def test_pages_are_found_in_one_lookup_whatever_their_depth(client, council):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    deep = StandardPageFactory(
        parent=council["service"], title="Deep page", slug="deep"
    )
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/bins/missed-bin/deep/")
    assert response.status_code == 200 and deep.title in response.content.decode()
    route_queries = [q for q in queries if '"url_path" IN' in q["sql"]]
    assert len(route_queries) == 1
    assert client.get("/bins/missed-bin/deep/missing/").status_code == 404


@pytest.mark.django_db
def test_rich_text_page_links_are_relative_on_their_own_site_and_absolute_across(
    client, microsite, council
):
    home = council["home"]
    service = council["service"]
    ravensmoor = Page.objects.get(slug="ravensmoor")
    home.body = [
        (
            "paragraph",
            f'<p><a linktype="page" id="{service.pk}">Missed bins</a> and '
            f'<a linktype="page" id="{ravensmoor.pk}">Ravensmoor</a></p>',
        )
    ]
    home.save_revision().publish()
    html = client.get("/").content.decode()
    assert f'href="{service.get_url_parts()[2]}"' in html
    assert 'href="http://parks.example.gov.uk/ravensmoor/"' in html


@pytest.mark.django_db
def test_a_changed_site_hostname_routes_at_once(client, microsite):
    assert (
        client.get("/ravensmoor/", HTTP_HOST="parks.example.gov.uk").status_code == 200
    )
    microsite.hostname = "countryparks.example.gov.uk"
    microsite.save()
    response = client.get("/ravensmoor/", HTTP_HOST="countryparks.example.gov.uk")
    assert response.status_code == 200
    assert "Visit Ravensmoor" in response.content.decode()
