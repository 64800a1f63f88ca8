"""The full-page cache for anonymous visitors, and its purge backend.

Django's cache middleware, narrowed to what is safe for a council site:

* only responses the page itself marked ``Cache-Control: public`` are stored (see
  ``home.models.base.apply_cache_policy``), never one that sets a cookie;
* requests that carry a session cookie are never answered from the cache, so signed-in
  residents and editors always get a fresh, private page;
* entries live for the response's ``s-maxage`` (``PAGE_CACHE_SECONDS``), while
  browsers get the shorter ``max-age``;
* the cache key carries a generation number. Publishing, unpublishing or changing a
  snippet or setting purges through ``wagtail.contrib.frontend_cache``;
  ``PageCacheBackend`` bumps the generation, which drops every cached page at once.
  Listings, menus, the A to Z and alert banners change with any publish, so purging
  single URLs would serve stale pages; a site can also be reached under several host
  names (the default site answers any host), so the generation is not per host.
  Publishing is rare next to reading, so the cost is a few cache misses.

A cache hit runs no SQL query: ``FetchPageCacheMiddleware`` sits last in the
middleware list and returns before sessions, users or Wagtail are consulted.
"""

import hashlib
import re

from django.conf import settings
from django.core.cache import caches
from django.middleware.cache import FetchFromCacheMiddleware, UpdateCacheMiddleware
from django.urls import Resolver404, resolve

from wagtail.contrib.frontend_cache.backends import BaseBackend

CACHE_ALIAS = "default"
_S_MAXAGE = re.compile(r"s-maxage=(\d+)")


def _cache():
    return caches[CACHE_ALIAS]


GENERATION_KEY = "pagecache:generation"


def current_key_prefix() -> str:
    return f"pagecache.{_cache().get(GENERATION_KEY, 0)}"


def purge_all() -> None:
    """Invalidate every cached page."""
    key = GENERATION_KEY
    cache = _cache()
    if not cache.add(key, 1, timeout=None):
        try:
            cache.incr(key)
        except ValueError:  # expired between add() and incr()
            cache.set(key, 1, timeout=None)


def page_cache_enabled() -> bool:
    return settings.PAGE_CACHE_SECONDS > 0


# Cookies that change what a page shows: requests carrying one are never answered
# from, or stored in, a shared cache.
PERSONAL_COOKIES = ("dismissed_alerts",)


def request_is_personal(request) -> bool:
    """True when the response may depend on who is asking (a session or a cookie
    that changes the page)."""
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME in cookies or any(
        c in cookies for c in PERSONAL_COOKIES
    )


def page_cacheable(view):
    """Mark a view whose public responses may come from the page cache."""
    view.page_cacheable = True
    return view


def _view_is_page_cacheable(request) -> bool:
    """Only views that opt in are looked up, so every other request (health checks,
    the admin, form posts, documents) pays no cache round trip."""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    return match.url_name == "wagtail_serve" or getattr(
        match.func, "page_cacheable", False
    )


def _page_key(request, method: str) -> str:
    url = request.build_absolute_uri()
    return f"pagecache:page:{method}:{hashlib.md5(url.encode(), usedforsecurity=False).hexdigest()}"


class FetchPageCacheMiddleware(FetchFromCacheMiddleware):
    """Answer anonymous GET/HEAD requests for cacheable views from the page cache.

    One cache round trip per request: the generation and the page entry are read
    together, and an entry stored under an older generation counts as a miss.
    """

    def process_request(self, request):
        if (
            not page_cache_enabled()
            or request.method not in ("GET", "HEAD")
            or request_is_personal(request)
            or not _view_is_page_cacheable(request)
        ):
            request._cache_update_cache = False
            return None
        key = _page_key(request, "GET")
        found = _cache().get_many([GENERATION_KEY, key])
        generation = found.get(GENERATION_KEY, 0)
        request._page_cache_generation = generation
        entry = found.get(key)
        if entry is None or entry[0] != generation:
            request._cache_update_cache = True
            return None
        request._cache_update_cache = False
        response = entry[1]
        response["X-Page-Cache"] = "hit"
        return response


class UpdatePageCacheMiddleware(UpdateCacheMiddleware):
    """Store public responses in the page cache for their ``s-maxage``."""

    def process_response(self, request, response):
        if not getattr(request, "_cache_update_cache", False):
            return response
        if response.streaming or response.status_code != 200:
            return response
        cache_control = response.get("Cache-Control", "")
        if "public" not in cache_control or "private" in cache_control:
            return response
        # Entries are keyed by URL alone, so a response that varies on anything
        # (cookies above all) is never stored.
        if response.cookies or response.has_header("Vary"):
            return response
        match = _S_MAXAGE.search(cache_control)
        timeout = int(match.group(1)) if match else settings.PAGE_CACHE_SECONDS
        if timeout <= 0:
            return response
        cache = _cache()
        key = _page_key(request, "GET")
        generation = request._page_cache_generation
        response["X-Page-Cache"] = "miss"
        if hasattr(response, "render") and callable(response.render):
            response.add_post_render_callback(
                lambda r: cache.set(key, (generation, r), timeout)
            )
        else:
            cache.set(key, (generation, response), timeout)
        return response


class PageCacheBackend(BaseBackend):
    """``wagtail.contrib.frontend_cache`` backend for the page cache above."""

    def purge(self, url) -> None:
        purge_all()

    def purge_batch(self, urls) -> None:
        if urls:
            purge_all()


def generation_cached(key: str, build, timeout: int = 60 * 60):
    """``build()``'s result cached under ``key`` for the current page-cache generation.

    For page fragments that change only when content is published: every publish
    bumps the generation, so these entries are never stale and need no purging.
    Values must be plain data (no model instances).
    """
    cache = _cache()
    full_key = f"{key}:{current_key_prefix()}"
    value = cache.get(full_key)
    if value is None:
        value = build()
        cache.set(full_key, value, timeout)
    return value
