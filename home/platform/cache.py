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

import contextvars
import copy
import functools
import hashlib
import pickle
import re
import secrets
import time

from django.conf import settings
from django.core.cache import caches
from django.middleware.cache import FetchFromCacheMiddleware, UpdateCacheMiddleware
from django.urls import Resolver404, resolve

from wagtail.contrib.frontend_cache.backends import BaseBackend

from personalisation.consent import PERSONAL_COOKIES as CONSENT_PERSONAL_COOKIES
from personalisation.segments import VERSION_KEY as SEGMENTS_VERSION_KEY
from personalisation.segments import evaluate, evaluate_again_if_stale, forget_segments
from personalisation.segments import known_version as known_segments_version

CACHE_ALIAS = "default"
_S_MAXAGE = re.compile(r"s-maxage=(\d+)")


def _cache():
    return caches[CACHE_ALIAS]


GENERATION_KEY = "pagecache:generation"

# The generation as read once per request (by ``FetchPageCacheMiddleware``,
# together with the page entry, or on first use), so fragments cached for the
# generation cost no further round trip to learn it. ``None`` outside a request and
# after a purge: every use then reads the cache.
_UNREAD = object()
_request_generation: contextvars.ContextVar = contextvars.ContextVar(
    "page_cache_generation", default=None
)


# The Wagtail site being served, for code that renders without the request (rich
# text links): set by ``remember_site``.
_request_site_id: contextvars.ContextVar[int | None] = contextvars.ContextVar(
    "request_site_id", default=None
)


def current_site_id() -> int | None:
    return _request_site_id.get()


def current_generation() -> str:
    generation = _request_generation.get()
    if generation is None or generation is _UNREAD:
        read = _cache().get(GENERATION_KEY) or _start_generation()
        if generation is _UNREAD:
            _request_generation.set(read)
        return read
    return generation


def current_key_prefix() -> str:
    return f"pagecache.{current_generation()}"


def begin_request_generation(generation=_UNREAD) -> None:
    """Remember the generation for the rest of this request (read lazily if not
    given); ``end_request_generation`` forgets it."""
    _request_generation.set(generation)


def end_request_generation() -> None:
    _request_generation.set(None)
    _request_site_id.set(None)


def _new_generation() -> str:
    """A generation that no earlier one can equal, even after the cache was
    flushed or restarted (a counter would start again at a value whose fragments
    a worker may still hold in memory)."""
    return f"{time.time_ns():x}{secrets.token_hex(3)}"


def _start_generation() -> str:
    """The generation when none is stored (first use, or the cache was emptied)."""
    cache = _cache()
    cache.add(GENERATION_KEY, _new_generation(), timeout=None)
    return cache.get(GENERATION_KEY) or _new_generation()


def purge_all() -> None:
    """Invalidate every cached page (and every fragment cached per generation)."""
    _request_generation.set(None)
    _local_pages.clear()
    _cache().set(GENERATION_KEY, _new_generation(), timeout=None)


def page_cache_enabled() -> bool:
    return settings.PAGE_CACHE_SECONDS > 0


# Cookies that change what a page shows: requests carrying one are never answered
# from, or stored in, a shared cache.
PERSONAL_COOKIES = ("dismissed_alerts", *CONSENT_PERSONAL_COOKIES)


def personal_cookie_names() -> list[str]:
    """Every cookie that keeps a request away from a shared cache (this one, and
    the nginx in front: ``home.platform.frontcache``)."""
    return [settings.SESSION_COOKIE_NAME, *PERSONAL_COOKIES]


def request_is_personal(request) -> bool:
    """True when the response may depend on who is asking (a session or a cookie
    that changes the page)."""
    cookies = request.COOKIES
    return any(name in cookies for name in personal_cookie_names())


def page_cacheable(view):
    """Mark a view whose public responses may come from the page cache."""
    view.page_cacheable = True
    return view


def _view_is_page_cacheable(request) -> bool:
    """Only views that opt in are looked up, so every other request (health checks,
    the admin, form posts, documents) pays no cache round trip."""
    return _path_is_page_cacheable(settings.ROOT_URLCONF, request.path_info)


@functools.lru_cache(maxsize=4096)
def _path_is_page_cacheable(urlconf: str, path: str) -> bool:
    """Resolving a path costs as much as the rest of this middleware; the answer
    only depends on the URL configuration, so recent paths are remembered."""
    try:
        match = resolve(path, urlconf)
    except Resolver404:
        return False
    return match.url_name == "wagtail_serve" or getattr(
        match.func, "page_cacheable", False
    )


# Stored under a page's URL when the page is personalised: its copies are kept
# per segment (``_segment_key``), never per visitor.
SEGMENTED = "segmented"


# Page-cache keys this worker has found personalised by segment (bounded; a stale
# entry only costs one unused key in a read).
_segmented_urls: dict[str, None] = {}
_SEGMENTED_URLS_MAX = 10_000


def _remember_segmented(key: str) -> None:
    if key not in _segmented_urls:
        if len(_segmented_urls) >= _SEGMENTED_URLS_MAX:
            _segmented_urls.clear()
        _segmented_urls[key] = None


def _segment_key(key: str, segment_ids) -> str:
    return f"{key}:segments:{'.'.join(str(i) for i in sorted(segment_ids)) or 'none'}"


def _page_key(request, method: str) -> str:
    url = request.build_absolute_uri()
    return f"pagecache:page:{method}:{hashlib.md5(url.encode(), usedforsecurity=False).hexdigest()}"


class _LocalPages:
    """This worker's own copies of the pages it serves most, so a hit costs no
    round trip to the cache.

    A copy is served only while this worker has confirmed the generation with the
    shared cache within ``PAGE_CACHE_LOCAL_SECONDS``: a publish by another worker or
    host (a new generation) reaches every worker within that time, and a publish in
    this worker at once (``purge_all``). A failed read of the shared cache starts
    a generation no copy belongs to, so an outage drops them all. A page personalised
    by segment is copied per segment, under the segment definitions' version read
    with the generation (``get_segmented``): a visitor gets the copy of the segments
    they are in, worked out and counted as for any view of the page, and a change to
    the definitions drops those copies like a publish. Off (0) when a shared cache sits in front
    (nginx, Varnish, a CDN: see settings), because that cache asks for a page just
    after purging it and must not get this worker's older copy.
    """

    def __init__(self, max_entries: int = 256):
        self.max_entries = max_entries
        self.generation = None
        self.segments_version = None
        self.confirmed_at = float("-inf")
        self._entries: dict[str, bytes] = {}

    @staticmethod
    def seconds() -> float:
        return settings.PAGE_CACHE_LOCAL_SECONDS

    def get(self, key: str):
        """A fresh response object for ``key``, or ``None`` (not copied here, or
        the generation is due to be confirmed again)."""
        if time.monotonic() - self.confirmed_at >= self.seconds():
            return None
        data = self._entries.get(key)
        # Bytes this process pickled itself (``keep``), never read from outside.
        return None if data is None else pickle.loads(data)  # noqa: S301

    def get_segmented(self, key: str, request):
        """This visitor's segment's copy of a page personalised by segment, or
        ``None``. The visitor's segments are worked out from the definitions this
        worker holds, which must be the version last read with the generation;
        the visit is counted only when the copy is served."""
        version = known_segments_version()
        if version is None or version != self.segments_version:
            return None
        if time.monotonic() - self.confirmed_at >= self.seconds():
            return None
        segment_key = _segment_key(key, evaluate(request, version, record=False))
        response = self.get(segment_key)
        if response is None:
            return None
        evaluate(request, version)  # counts the visit, as a page render would
        request._segments_version_read = version
        return response

    def confirm(self, generation: str, segments_version=None) -> None:
        """The shared cache's generation and segment definitions' version, just
        read: copies made under any other go."""
        if generation != self.generation or segments_version != self.segments_version:
            self._entries.clear()
            self.generation = generation
            self.segments_version = segments_version
        self.confirmed_at = time.monotonic()

    def keep(self, key: str, response) -> None:
        if self.seconds() <= 0:
            return
        if key not in self._entries and len(self._entries) >= self.max_entries:
            # The oldest copy goes (dicts keep insertion order).
            del self._entries[next(iter(self._entries))]
        self._entries[key] = pickle.dumps(response, pickle.HIGHEST_PROTOCOL)

    def drop(self, key: str) -> None:
        self._entries.pop(key, None)

    def clear(self) -> None:
        self._entries.clear()
        self.generation = None
        self.segments_version = None
        self.confirmed_at = float("-inf")


_local_pages = _LocalPages()


class FetchPageCacheMiddleware(FetchFromCacheMiddleware):
    """Answer anonymous GET/HEAD requests for cacheable views from the page cache.

    One cache round trip per request: the generation and the page entry are read
    together, and an entry stored under an older generation counts as a miss. The
    pages this worker serves most are answered from its own copies with no round
    trip at all (``_LocalPages``).
    """

    def process_request(self, request):
        begin_request_generation()
        _request_site_id.set(None)
        request._cache_update_cache = False
        if not _view_is_page_cacheable(request):
            return None
        if request.method not in ("GET", "HEAD"):
            # A form posted to a page (a journey's step) is never cached, but
            # finds its site like a GET.
            remember_site(request)
            return None
        if not page_cache_enabled() or request_is_personal(request):
            _read_generation(request)
            remember_site(request)
            return None
        key = _page_key(request, "GET")
        response = _local_pages.get(key)
        if response is None and key in _segmented_urls:
            response = _local_pages.get_segmented(key, request)
        if response is not None:
            generation = _local_pages.generation
            request._page_cache_generation = generation
            begin_request_generation(generation)
            response["X-Page-Cache"] = "hit"
            return response
        keys = [GENERATION_KEY, key, SEGMENTS_VERSION_KEY]
        # A URL this worker has seen personalised by segment: the visitor's
        # segments are worked out first (from the definitions in memory, no
        # query) so their copy comes in the same round trip.
        likely = None
        if key in _segmented_urls and known_segments_version() is not None:
            likely = _segment_key(
                key, evaluate(request, known_segments_version(), record=False)
            )
            keys.append(likely)
        found = _cache().get_many(keys)
        if found.get(SEGMENTS_VERSION_KEY):
            request._segments_version_read = found[SEGMENTS_VERSION_KEY]
        generation = found.get(GENERATION_KEY) or _start_generation()
        _local_pages.confirm(generation, found.get(SEGMENTS_VERSION_KEY))
        request._page_cache_generation = generation
        begin_request_generation(generation)
        entry = found.get(key)
        segmented = False
        if entry is not None and entry[0] == generation and entry[1] == SEGMENTED:
            # The page is personalised: this visitor's segment's copy.
            segmented = True
            _local_pages.drop(key)
            _remember_segmented(key)
            ids = evaluate_again_if_stale(request, found.get(SEGMENTS_VERSION_KEY))
            wanted = _segment_key(key, ids)
            entry = found.get(wanted) if wanted == likely else _cache().get(wanted)
            if entry is not None and entry[0] == generation:
                _local_pages.keep(wanted, entry[1])
        elif likely is not None:
            # No longer personalised: forget the segments worked out above, so
            # the response does not count as depending on them.
            _segmented_urls.pop(key, None)
            forget_segments(request)
        if entry is None or entry[0] != generation:
            _local_pages.drop(key)
            request._cache_update_cache = True
            remember_site(request)
            return None
        response = entry[1]
        if not segmented:
            _local_pages.keep(key, response)
        response["X-Page-Cache"] = "hit"
        return response


def _read_generation(request) -> None:
    """A page rendered afresh needs the generation (for its fragments) and the
    segment definitions' version (for its variants): both in one round trip."""
    found = _cache().get_many([GENERATION_KEY, SEGMENTS_VERSION_KEY])
    if found.get(SEGMENTS_VERSION_KEY):
        request._segments_version_read = found[SEGMENTS_VERSION_KEY]
    begin_request_generation(found.get(GENERATION_KEY) or _start_generation())


class UpdatePageCacheMiddleware(UpdateCacheMiddleware):
    """Store public responses in the page cache for their ``s-maxage``."""

    def process_response(self, request, response):
        end_request_generation()
        if not getattr(request, "_cache_update_cache", False):
            return response
        if response.streaming or response.status_code != 200:
            return response
        # Entries are keyed by URL (and segment) alone, so a response that varies
        # on anything else (cookies above all) is never stored.
        if response.cookies or response.has_header("Vary"):
            return response
        cache = _cache()
        key = _page_key(request, "GET")
        generation = request._page_cache_generation
        segments = getattr(response, "_page_cache_segments", None)
        if segments is not None:
            # Personalised by segment: one copy per segment, and a marker under the
            # URL saying so. Private for browsers and CDNs, so the s-maxage does
            # not apply: the copy lives for the page cache's own time.
            timeout = settings.PAGE_CACHE_SECONDS
            cache.set(key, (generation, SEGMENTED), timeout)
            _remember_segmented(key)
            key = _segment_key(key, segments)
        else:
            cache_control = response.get("Cache-Control", "")
            if "public" not in cache_control or "private" in cache_control:
                return response
            match = _S_MAXAGE.search(cache_control)
            timeout = int(match.group(1)) if match else settings.PAGE_CACHE_SECONDS
        if timeout <= 0:
            return response
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


class _GenerationMemo:
    """Values cached for one generation, kept in this process as well.

    A value stored under a generation never changes (a publish starts a new
    generation instead), so each worker can keep what it has read until the
    generation moves on: a fragment then costs no cache round trip at all. Bounded,
    and emptied as soon as a newer generation is seen.
    """

    MAX_ENTRIES = 5000

    def __init__(self):
        self.generation = None
        self.values: dict[str, object] = {}

    def for_generation(self, generation) -> dict[str, object]:
        if generation != self.generation or len(self.values) >= self.MAX_ENTRIES:
            self.generation = generation
            self.values = {}
        return self.values


_memo = _GenerationMemo()


def generation_memo(key: str, build):
    """``build()``'s result kept in this process for the current generation only.

    For objects that cannot go through the shared cache (model instances): each
    worker builds them once per generation.
    """
    local = _memo.for_generation(current_generation())
    key = f"memo:{key}"
    if key not in local:
        local[key] = build()
    return local[key]


def remember_site(request) -> None:
    """Find the request's Wagtail ``Site`` without a query on most requests.

    Wagtail looks the site up by host name on every request (one query, then
    ``root_page.specific`` another while routing). The answer only changes when
    sites or pages change, which starts a new generation, so each worker keeps it
    per generation and host; the root page comes already specific. A shallow copy
    per request keeps request-local attributes off the shared instance.
    """
    from home.platform.compat import wagtail_sites

    if wagtail_sites.site_known(request):
        return
    host = wagtail_sites.raw_host(request)

    def build():
        site = wagtail_sites.look_up_site(request)
        if site is not None:
            site.root_page = site.root_page.specific
        return site

    site = generation_memo(f"site:{host}:{request.get_port()}", build)
    wagtail_sites.give_site(request, copy.copy(site) if site is not None else None)
    _request_site_id.set(site.pk if site is not None else None)


def generation_cached(key: str, build, timeout: int = 60 * 60):
    """``build()``'s result cached under ``key`` for the current page-cache generation.

    For page fragments that change only when content is published: every publish
    bumps the generation, so these entries are never stale and need no purging.
    Values must be plain data (no model instances), and callers must not mutate
    them: the same object is handed to every request of the generation.
    """
    generation = current_generation()
    local = _memo.for_generation(generation)
    if key in local:
        return local[key]
    cache = _cache()
    full_key = f"{key}:pagecache.{generation}"
    value = cache.get(full_key)
    if value is None:
        value = build()
        cache.set(full_key, value, timeout)
    local[key] = value
    return value


def generation_cached_many(keys: list[str], build_many, timeout: int = 60 * 60):
    """Like ``generation_cached`` for several keys in one round trip.

    ``build_many(missing_keys)`` returns a dict of the values for those keys; a key
    it leaves out is cached as missing (``None``) too.
    """
    generation = current_generation()
    local = _memo.for_generation(generation)
    result = {k: local[k] for k in keys if k in local}
    missing = [k for k in keys if k not in result]
    if missing:
        cache = _cache()
        suffix = f":pagecache.{generation}"
        found = cache.get_many([k + suffix for k in missing])
        for k in missing:
            if k + suffix in found:
                result[k] = found[k + suffix][0]
        still_missing = [k for k in missing if k not in result]
        if still_missing:
            built = build_many(still_missing)
            cache.set_many(
                {k + suffix: (built.get(k),) for k in still_missing}, timeout
            )
            for k in still_missing:
                result[k] = built.get(k)
        for k in missing:
            local[k] = result[k]
    return result
