"""The site chrome (branding, navigation, footer) as plain data, cached per site.

Header and footer appear on every page and need the site's settings plus the pages
their links point at: several queries per view. They change only when an editor
saves the settings or publishes a page, and both purge the page cache, which bumps
its generation (``home.platform.cache``). Keying this cache on that generation means it is
never stale and needs no invalidation of its own.
"""

from wagtail.models import Site

from home.links import link_href
from home.models import SiteSettings
from home.platform.cache import generation_cached

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
        "accessibility_statement_url": _statement_url(site, settings.footer_links),
    }


def _statement_url(site, footer_links) -> str:
    """The site's accessibility statement, linked from every page's footer (the
    accessibility regulations require it) unless the footer links it already."""
    from home.models import AccessibilityStatementPage

    statement = (
        AccessibilityStatementPage.objects.live()
        .descendant_of(site.root_page)
        .only("id", "url_path", "path", "depth")
        .first()
    )
    if statement is None:
        return ""
    linked = {
        item.value.get("page").pk for item in footer_links if item.value.get("page")
    }
    if statement.pk in linked:
        return ""
    parts = statement.get_url_parts()
    return parts[2] if parts and parts[0] == site.pk else ""


def site_chrome(request) -> dict:
    site = Site.find_for_request(request)
    if site is None:
        return {}
    return generation_cached(
        f"site-chrome:{site.pk}",
        lambda: build_site_chrome(site, request),
        CHROME_SECONDS,
    )
