"""The site chrome (branding, navigation, footer) as plain data, cached per site.

Header and footer appear on every page and need the site's settings plus the pages
their links point at: several queries per view. They change only when an editor
saves the settings or publishes a page, and both purge the page cache, which bumps
its generation (``home.cache``). Keying this cache on that generation means it is
never stale and needs no invalidation of its own.
"""

from wagtail.models import Site

from home.cache import generation_cached
from home.links import link_href
from home.models import SiteSettings

CHROME_SECONDS = 60 * 60


def _links(stream, request) -> list[dict]:
    links = []
    for item in stream:
        href = link_href(item.value, request)
        if href:
            page = item.value.get("page")
            links.append(
                {
                    "text": item.value.text,
                    "href": href,
                    "page_id": page.pk if page else None,
                }
            )
    return links


def build_site_chrome(site, request) -> dict:
    settings = SiteSettings.for_site(site)
    logo = None
    if settings.logo_id:
        rendition = settings.logo.get_rendition("height-80")
        logo = {
            "url": rendition.url,
            "width": rendition.width,
            "height": rendition.height,
        }
    return {
        "organisation_name": settings.organisation_name,
        "brand_colour": settings.brand_colour,
        "logo": logo,
        "show_search": settings.show_search,
        "navigation": _links(settings.navigation, request),
        "footer_links": _links(settings.footer_links, request),
        "footer_text": settings.footer_text,
    }


def site_chrome(request) -> dict:
    site = Site.find_for_request(request)
    if site is None:
        return {}
    return generation_cached(
        f"site-chrome:{site.pk}",
        lambda: build_site_chrome(site, request),
        CHROME_SECONDS,
    )
