"""The front cache (nginx, shipped in ``cms/deploy/``, or a CDN): what a change
purges, and the purge backend for nginx.

What may be shared is decided by the app alone: ``home.models.base.apply_cache_policy``
marks a response ``public`` (with ``s-maxage``, ``stale-while-revalidate`` and
``stale-if-error``) or ``private``, and ``home.platform.cache.request_is_personal``
names the cookies that keep a request away from any shared cache. nginx stores only
what the app marked public, and its configuration is written from the same cookie
list (``personal_cookie_pattern``), so the two cannot drift apart.

A publish purges the pages it touches, not the whole site:

* the page itself, with every path it serves (``get_cached_paths``);
* its ancestors: the listings, landing pages and home page that show it, and the
  breadcrumbs of its children;
* pages that link to it (Wagtail's reference index: step by steps, related links,
  rich text), and what its own type names (``frontend_cache_dependents``: the A to
  Z for a service);
* every page of its site when a menu or footer (site settings) links to it, or when
  its URL changed.

Changes shown on every page (alert banners, contact details, site settings) and
changes to who may see what (view restrictions, sites, moves) purge every page of
every site. Purges are sent once the transaction commits, so nginx cannot fetch the
old page again in between.
"""

from __future__ import annotations

import http.client
import logging
import re
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from wagtail.contrib.frontend_cache.backends import BaseBackend
from wagtail.contrib.frontend_cache.utils import PurgeBatch, purge_urls_from_cache
from wagtail.models import Page, ReferenceIndex, Site

logger = logging.getLogger(__name__)

# The backend name in ``WAGTAILFRONTENDCACHE`` for the nginx in front of the app.
NGINX = "nginx"


def personal_cookie_pattern() -> str:
    """The cookies that keep a request away from the shared cache, as the
    alternation nginx's configuration uses (``cms/deploy/nginx.conf``)."""
    from home.platform.cache import personal_cookie_names

    return "|".join(re.escape(name) for name in personal_cookie_names())


class NginxPurgeBackend(BaseBackend):
    """PURGE requests to nginx's purge listener (``ngx_cache_purge``).

    Wagtail's own ``HTTPBackend`` opens a connection per URL and waits without a
    time limit; this one sends a batch over one keep-alive connection with a timeout, so
    purging a whole site takes a second, and an unreachable nginx never holds up
    an editor's publish. nginx answers 404 for a URL it had not cached: not an error.
    """

    def __init__(self, params):
        params = dict(params)
        self.timeout = float(params.pop("TIMEOUT", 2.0))
        location = urlsplit(params.pop("LOCATION"))
        self.cache_scheme, self.cache_netloc = location.scheme, location.netloc
        super().__init__(params)

    def _connect(self):
        cls = (
            http.client.HTTPSConnection
            if self.cache_scheme == "https"
            else http.client.HTTPConnection
        )
        return cls(self.cache_netloc, timeout=self.timeout)

    def purge(self, url) -> None:
        self.purge_batch([url])

    def purge_batch(self, urls) -> None:
        connection = self._connect()
        try:
            for url in urls:
                parts = urlsplit(url)
                path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
                host = parts.hostname or ""
                if parts.port:
                    host += f":{parts.port}"
                for attempt in (1, 2):
                    try:
                        connection.request("PURGE", path, headers={"Host": host})
                        response = connection.getresponse()
                        response.read()
                        break
                    except (http.client.RemoteDisconnected, BrokenPipeError):
                        # nginx closed the keep-alive connection: once more on a
                        # new one.
                        connection.close()
                        connection = self._connect()
                        if attempt == 2:
                            raise
                if response.status not in (200, 404):
                    logger.error(
                        "Could not purge %s from nginx: %s %s",
                        url,
                        response.status,
                        response.reason,
                    )
        except OSError as error:
            logger.error(
                "Could not purge from nginx at %s: %s", self.cache_netloc, error
            )
        finally:
            connection.close()


def pages_touched_by(page) -> tuple[list[Page], bool]:
    """The pages whose HTML shows ``page``, and whether every page of its site does
    (a menu or the footer links to it)."""
    page = page.specific_deferred
    pages = [page, *page.get_ancestors().filter(depth__gt=1).specific(defer=True)]
    whole_site = False
    page_ids = set()
    references = ReferenceIndex.get_references_to(page).values_list(
        "base_content_type_id", "object_id"
    )
    for content_type_id, object_id in references:
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is not None and issubclass(model, Page):
            page_ids.add(int(object_id))
        else:
            # Site settings (navigation, footer) or a snippet shown site-wide.
            whole_site = True
    if page_ids:
        pages += list(Page.objects.live().filter(pk__in=page_ids).specific(defer=True))
    dependents = getattr(page, "frontend_cache_dependents", None)
    if dependents is not None:
        pages += list(dependents())
    return pages, whole_site


def _urls_of(pages) -> set[str]:
    batch = PurgeBatch()
    batch.add_pages(pages)
    return batch.urls


def urls_touched_by(page) -> tuple[set[str], bool]:
    pages, whole_site = pages_touched_by(page)
    return _urls_of(pages), whole_site


def site_urls(sites=None) -> set[str]:
    """Every live page's URLs on ``sites`` (all sites by default)."""
    urls: set[str] = set()
    for site in sites if sites is not None else Site.objects.all():
        root = site.root_page
        urls |= _urls_of(
            Page.objects.live().descendant_of(root, inclusive=True).specific(defer=True)
        )
    return urls


def _nginx_configured() -> bool:
    return NGINX in getattr(settings, "WAGTAILFRONTENDCACHE", {})


def purge_on_commit(urls, *, backends=None) -> None:
    urls = sorted(urls)
    if urls:
        transaction.on_commit(lambda: purge_urls_from_cache(urls, backends=backends))


def purge_page(page) -> None:
    """Purge what a publish, unpublish or deletion of ``page`` changed.

    The URLs are worked out now (a deleted page has none once it is gone) and
    purged when the transaction commits."""
    urls, whole_site = urls_touched_by(page)
    if whole_site and _nginx_configured():
        site = page.get_site()
        urls |= site_urls([site] if site else None)
    purge_on_commit(urls)


def purge_every_page() -> None:
    """Purge every page of every site from nginx; other front caches (CDNs, which
    charge per purge and limit their rate) get each site's home page and let the
    rest expire within ``PAGE_CACHE_SECONDS``."""
    names = list(getattr(settings, "WAGTAILFRONTENDCACHE", {}))
    home_pages = {site.root_url + "/" for site in Site.objects.all()}
    others = [name for name in names if name != NGINX]
    if NGINX in names:
        purge_on_commit(site_urls(), backends=[NGINX])
    if others:
        purge_on_commit(home_pages, backends=others)
