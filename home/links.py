"""URLs for ``LinkBlock`` values (a page or an external URL)."""


def link_href(link, request=None) -> str:
    """The URL of a ``LinkBlock`` value: site-relative for a page on the current site.

    ``Page.url`` is absolute as soon as there is more than one Site, which would tie
    links to one host name; with the request, Wagtail gives a relative URL when the
    page is on the site being viewed.
    """
    if not link:
        return ""
    page = link.get("page")
    if page:
        return page.get_url(request=request) or ""
    return link.get("url") or ""
