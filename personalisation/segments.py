"""Segments evaluated once per request from rule definitions cached in each worker.

wagtail-personalisation as shipped re-reads every segment's rules, table by table,
on every page view, and keeps the visitor's segments in the session (a write and a
``Set-Cookie`` on every view, so no cache can help). Here the enabled segments and
their rules are loaded once per worker and kept until an editor changes a segment or
a rule (a version in the shared cache moves on), and a visitor's segments are worked
out from the request alone, when a page first asks for them, with no database query
and no session.

Static segments and segments for signed-in residents may need the database (who is
in a static segment); those requests are never served from a shared cache.
"""

from __future__ import annotations

import logging
import secrets
import time
from dataclasses import dataclass

from django.core.cache import cache

logger = logging.getLogger(__name__)

VERSION_KEY = "personalisation:version"


@dataclass(frozen=True)
class SegmentDefinition:
    id: int
    name: str
    match_any: bool
    is_static: bool
    rules: tuple

    @property
    def pk(self) -> int:
        return self.id


@dataclass(frozen=True)
class PageVariants:
    """Live variants by page and segment, and every variant page's id."""

    by_page: dict  # {page id: {segment id: variant page id}}
    variant_ids: frozenset


class _Definitions:
    version: str | None = None
    segments: tuple[SegmentDefinition, ...] = ()
    variants: PageVariants = PageVariants({}, frozenset())


_definitions = _Definitions()


def bump_version() -> None:
    """Editors changed a segment or a rule: every worker reloads on its next use."""
    cache.set(VERSION_KEY, f"{time.time_ns():x}{secrets.token_hex(3)}", timeout=None)


def _current_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, f"{time.time_ns():x}{secrets.token_hex(3)}", None)
        version = cache.get(VERSION_KEY) or "unversioned"
    return version


def _load() -> tuple[SegmentDefinition, ...]:
    from wagtail_personalisation.models import Segment
    from wagtail_personalisation.rules import AbstractBaseRule

    segments = list(Segment.objects.enabled().order_by("pk"))
    rules: dict[int, list] = {segment.pk: [] for segment in segments}
    if segments:
        for model in AbstractBaseRule.get_descendant_models():
            for rule in model.objects.filter(segment_id__in=rules.keys()):
                rules[rule.segment_id].append(rule)
    return tuple(
        SegmentDefinition(
            id=segment.pk,
            name=segment.name,
            match_any=segment.match_any,
            is_static=segment.is_static,
            rules=tuple(rules[segment.pk]),
        )
        for segment in segments
    )


def _load_variants(enabled: set[int]) -> PageVariants:
    from wagtail_personalisation.models import PersonalisablePageMetadata

    by_page: dict[int, dict[int, int]] = {}
    variant_ids = set()
    rows = (
        PersonalisablePageMetadata.objects.filter(segment__isnull=False)
        .exclude(variant_id=None)
        .values_list("canonical_page_id", "segment_id", "variant_id", "variant__live")
    )
    for page_id, segment_id, variant_id, live in rows:
        variant_ids.add(variant_id)
        if live and segment_id in enabled:
            by_page.setdefault(page_id, {})[segment_id] = variant_id
    return PageVariants(by_page, frozenset(variant_ids))


def segment_definitions(version: str | None = None) -> tuple[SegmentDefinition, ...]:
    """The enabled segments and their rules, as of the current version (``version``
    when the caller has already read it, e.g. with the page-cache entry)."""
    version = version or _current_version()
    if version != _definitions.version:
        _definitions.segments = _load()
        _definitions.variants = _load_variants({s.id for s in _definitions.segments})
        _definitions.version = version
    return _definitions.segments


def request_version(request) -> str:
    """The definitions' version, read from the cache once per request (the page
    cache reads it with the page entry and leaves it on the request)."""
    version = getattr(request, "_segments_version_read", None)
    if version is None:
        version = _current_version()
        if request is not None:
            request._segments_version_read = version
    return version


def page_variants(request=None) -> PageVariants:
    """Which pages have live variants for which segments (no query once loaded)."""
    segment_definitions(request_version(request) if request is not None else None)
    return _definitions.variants


def _rule_matches(rule, request) -> bool:
    """A rule's verdict; a rule that fails on an odd request (no User-Agent, a
    malformed header) simply does not match: personalisation never breaks a page."""
    try:
        return bool(rule.test_user(request))
    except Exception:  # noqa: BLE001 - any rule error means "no match"
        logger.debug("segment rule %r failed on %s", rule, request.path, exc_info=True)
        return False


def _segment_matches(segment: SegmentDefinition, request) -> bool:
    if not segment.rules:
        return False
    results = (_rule_matches(rule, request) for rule in segment.rules)
    return any(results) if segment.match_any else all(results)


def known_version() -> str | None:
    """The version of the definitions this worker holds (``None`` before the first
    load): the page cache evaluates segments with them before its one cache read,
    and checks the version that read returns (``evaluate_again_if_stale``)."""
    return _definitions.version


def evaluate(
    request, version: str | None = None, *, record: bool = True
) -> frozenset[int]:
    """Ids of the segments the request belongs to (once per request).

    Dynamic segments are tested from their rules. A static segment holds the
    residents who matched when it was filled, so it needs the signed-in user; an
    anonymous request is in no static segment. ``version``, when the caller has
    already read it from the cache, saves a round trip. ``record=False`` leaves the
    visit uncounted until the segments are used (the page cache works them out
    before it knows whether the page needs them).
    """
    found = getattr(request, "_segment_ids", None)
    if found is not None:
        if getattr(request, "_segments_unrecorded", False):
            request._segments_unrecorded = False
            _record(found)
        return found
    definitions = segment_definitions(version or request_version(request))
    request._segments_version = _definitions.version
    ids = {
        s.id for s in definitions if not s.is_static and _segment_matches(s, request)
    }
    static = [s.id for s in definitions if s.is_static]
    if static and _is_signed_in(request):
        from wagtail_personalisation.models import Segment

        ids.update(
            Segment.static_users.through.objects.filter(
                segment_id__in=static, user_id=request.user.pk
            ).values_list("segment_id", flat=True)
        )
    request._segment_ids = frozenset(ids)
    if record:
        _record(request._segment_ids)
    else:
        request._segments_unrecorded = True
    return request._segment_ids


def _record(segment_ids) -> None:
    from personalisation import visits

    visits.record(segment_ids)


def forget_segments(request) -> None:
    """Undo an evaluation the response turned out not to need."""
    request._segment_ids = None
    request._segments_unrecorded = False


def evaluate_again_if_stale(request, version: str | None) -> frozenset[int]:
    """The request's segments as of ``version`` (the one just read from the cache):
    re-evaluated only if they were worked out from older definitions."""
    if version and getattr(request, "_segments_version", None) != version:
        forget_segments(request)
    return evaluate(request, version)


def segments_used(request) -> frozenset[int] | None:
    """The segments a response depended on, or ``None`` if it used none."""
    return getattr(request, "_segment_ids", None)


def forced_segment(request) -> int | None:
    """Editors preview a page as a segment with ``?segment=<id>`` (signed in only)."""
    raw = request.GET.get("segment")
    if raw is None or not raw.isdigit() or not _is_signed_in(request):
        return None
    if not request.user.has_perm("wagtailadmin.access_admin"):
        return None
    return int(raw)


def _is_signed_in(request) -> bool:
    from django.conf import settings

    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        # No session cookie: anonymous, and the session is never touched.
        return False
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


def in_segment(request, segment_id: int) -> bool:
    forced = forced_segment(request)
    if forced is not None:
        request._segment_ids = frozenset({forced})
        return segment_id == forced
    return segment_id in evaluate(request)
