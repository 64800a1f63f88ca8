"""Content-Security-Policy with two exceptions (the Wagtail admin and previews),
built once.

Public pages get the strict policy in settings (nonces, ``frame-ancestors 'none'``)
and ``X-Frame-Options: DENY``. The admin uses inline style attributes, so under
``/admin/`` the policy allows same-origin framing and inline styles (a nonce in
``style-src`` would make browsers ignore ``'unsafe-inline'``). A preview of a page
(Wagtail marks its request ``is_preview``) is the public policy except that the
admin on the same origin may frame it (``frame-ancestors 'self'``,
``X-Frame-Options: SAMEORIGIN``): the page editor shows it in its preview panel.
Wagtail builds the preview response through the whole middleware stack as if the
page's own URL were requested, so the admin's exception does not reach it.

django-csp rebuilds the header from the settings dictionaries on every response,
which costs more than the rest of the middleware stack together. The policy only
varies by area (admin or not) and by the nonce, so each variant is built once per
process with a placeholder where the nonce goes; a response with its own
``@csp_update``/``@csp_replace``/``@csp_exempt`` takes django-csp's full path.

A page showing a map sets ``request.csp_map_tiles`` while it renders; only then
does ``img-src`` also allow the tile server's origin (``MAP_TILE_URL``).
"""

import http.client
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.messages.storage import default_storage
from django.contrib.sessions.middleware import SessionMiddleware
from django.utils.functional import SimpleLazyObject, empty

from home.platform.compat import csp
from home.platform.compat.csp import (
    HEADER,
    HEADER_REPORT_ONLY,
    CSPMiddleware,
    PolicyParts,
    build_policy,
)

ADMIN_PREFIX = "/admin/"
ADMIN_POLICY_REPLACE = {
    "frame-ancestors": ["'self'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "script-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "frame-src": ["'self'"],
}
PREVIEW_POLICY_REPLACE = {"frame-ancestors": ["'self'"]}
_NONCE_PLACEHOLDER = "N0NCE-PLACEHOLDER-N0NCE"


def policy_area(request) -> str:
    """Which policy ``request`` gets: ``"admin"``, ``"preview"`` or ``"public"``."""
    if request.path.startswith(ADMIN_PREFIX):
        return "admin"
    if getattr(request, "is_preview", False):
        return "preview"
    return "public"


AREA_REPLACE = {"admin": ADMIN_POLICY_REPLACE, "preview": PREVIEW_POLICY_REPLACE}


def map_tile_origin() -> str:
    """``https://tile.example.org`` from the tile URL template (``{s}`` subdomains
    become a wildcard)."""
    parts = urlsplit(getattr(settings, "MAP_TILE_URL", "") or "")
    if not parts.scheme or not parts.netloc:
        return ""
    return f"{parts.scheme}://{parts.netloc.replace('{s}', '*')}"


class CouncilCSPMiddleware(CSPMiddleware):
    def __init__(self, get_response):
        super().__init__(get_response)
        self._templates: dict[tuple[str, bool, str], tuple[str, str]] = {}

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        replace = AREA_REPLACE.get(policy_area(request))
        if replace:
            parts.replace = {**(parts.replace or {}), **replace}
        return parts

    def _policy_templates(
        self, area: str, with_nonce: bool, origin: str = ""
    ) -> tuple[str, str]:
        key = (area, with_nonce, origin)
        templates = self._templates.get(key)
        if templates is None:
            replace = AREA_REPLACE.get(area)
            nonce = _NONCE_PLACEHOLDER if with_nonce else None
            update = {"img-src": [origin]} if origin else None
            templates = self._templates[key] = (
                build_policy(replace=replace, update=update, nonce=nonce),
                build_policy(
                    replace=replace, update=update, nonce=nonce, report_only=True
                ),
            )
        return templates

    def process_response(self, request, response):
        area = policy_area(request)
        if area == "preview":
            response["X-Frame-Options"] = "SAMEORIGIN"
        if csp.has_own_policy(response) or (
            settings.DEBUG
            and response.status_code
            in (http.client.INTERNAL_SERVER_ERROR, http.client.NOT_FOUND)
        ):
            return super().process_response(request, response)
        nonce = csp.request_nonce(request)
        policy, report_only = self._policy_templates(
            area,
            nonce is not None,
            map_tile_origin() if getattr(request, "csp_map_tiles", False) else "",
        )
        for header, template, setting in (
            (HEADER, policy, "CONTENT_SECURITY_POLICY"),
            (HEADER_REPORT_ONLY, report_only, "CONTENT_SECURITY_POLICY_REPORT_ONLY"),
        ):
            if not template or header in response:
                continue
            prefixes = (getattr(settings, setting, None) or {}).get(
                "EXCLUDE_URL_PREFIXES"
            ) or ()
            if prefixes and request.path_info.startswith(tuple(prefixes)):
                continue
            response[header] = (
                template.replace(_NONCE_PLACEHOLDER, nonce) if nonce else template
            )
        if nonce is None:
            csp.refuse_late_nonce(self, request)
        return response


class LazyMessageMiddleware(MessageMiddleware):
    """Django's message middleware, opening the message store only when used.

    The stock middleware builds the cookie and session stores (and a signer) on
    every request, including the many that never show or add a message; here the
    store is made on first use and only a store that was used is saved.
    """

    def process_request(self, request):
        request._messages = SimpleLazyObject(lambda: default_storage(request))

    def process_response(self, request, response):
        messages = getattr(request, "_messages", None)
        if isinstance(messages, SimpleLazyObject) and messages._wrapped is empty:
            return response
        return super().process_response(request, response)


class LazySessionMiddleware(SessionMiddleware):
    """Django's session middleware, building the session store on first use.

    Most requests never touch the session (anonymous public pages, cache hits,
    health checks), yet the stock middleware builds a store for each of them,
    looking up its cache connection on the way. A store that was never built was
    never accessed nor modified, so the stock response handling would neither save
    it, nor set or delete a cookie, nor add ``Vary: Cookie``: skipping it changes
    nothing a client sees.
    """

    def process_request(self, request):
        session_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
        store = self.SessionStore
        request.session = SimpleLazyObject(lambda: store(session_key))

    def process_response(self, request, response):
        if not session_built(request):
            return response
        return super().process_response(request, response)


def session_built(request) -> bool:
    """Whether this request's session store exists (``LazySessionMiddleware``)."""
    session = getattr(request, "session", None)
    if session is None:
        return False
    return not (isinstance(session, SimpleLazyObject) and session._wrapped is empty)


def session_accessed(request) -> bool:
    """Whether this request read or wrote its session, without building the store
    to find out."""
    return session_built(request) and request.session.accessed
