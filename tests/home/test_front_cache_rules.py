"""What a change purges from the front cache, and the nginx configuration's rule of
who may be served from it (``home.platform.frontcache``)."""

from django.core.management import call_command

from wagtail.models import ReferenceIndex, Site

import pytest

from home.models import SiteSettings
from home.platform.cache import personal_cookie_names
from home.platform.frontcache import urls_touched_by


def paths(urls) -> set[str]:
    return {url.split("://testserver", 1)[-1].removeprefix(":80") for url in urls}


@pytest.mark.django_db
def test_publishing_a_service_purges_its_listings_links_and_the_a_to_z_only(council):
    service = council["service"]
    # The step by step links to the service (the reference index records it).
    ReferenceIndex.create_or_update_for_object(council["step_by_step"])
    urls, whole_site = urls_touched_by(service)
    touched = paths(urls)
    assert not whole_site
    assert {
        service.url,
        council["landing"].url,  # its listing
        council["home"].url,
        council["step_by_step"].url,  # links to it
        council["a_to_z"].url,
        council["a_to_z"].url + "r/",  # its letter
    } <= touched
    # Pages that do not show it are left in the cache.
    assert council["news_index"].url not in touched
    assert council["standard"].url not in touched
    assert council["guide"].url not in touched


@pytest.mark.django_db
def test_a_page_in_the_sites_menu_purges_the_whole_site(council):
    standard = council["standard"]
    assert not urls_touched_by(standard)[1]
    site_settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    site_settings.navigation = [
        ("link", {"link_text": "About", "page": standard, "url": ""})
    ]
    site_settings.save()
    ReferenceIndex.create_or_update_for_object(site_settings)
    assert urls_touched_by(standard)[1]


@pytest.mark.django_db
def test_a_guides_parts_are_purged_with_it(council):
    guide = council["guide"]
    parts = guide.all_parts
    assert len(parts) == 3
    urls, _ = urls_touched_by(guide)
    for part in parts[1:]:
        assert f"{guide.url}{part.slug}/" in paths(urls)


@pytest.mark.parametrize("session_cookie", ["sessionid", "council_session"])
def test_nginx_keeps_every_personal_cookie_away_from_the_shared_cache(
    tmp_path, settings, session_cookie
):
    settings.SESSION_COOKIE_NAME = session_cookie
    call_command(
        "front_cache_config", output=str(tmp_path), stdout=open("/dev/null", "w")
    )
    conf = (tmp_path / "nginx.conf").read_text()
    cookie_map = conf[conf.index("map $http_cookie") :].split("}", 1)[0]
    assert session_cookie in personal_cookie_names()
    for name in personal_cookie_names():
        assert name in cookie_map
    assert "{{" not in conf
    page = (tmp_path / "errors" / "503.html").read_text()
    assert "Sorry, the service is unavailable" in page
