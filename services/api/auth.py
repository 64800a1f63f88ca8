"""Who is calling the API, what they may do, and how often.

A client sends ``Authorization: Bearer <token>``. The token is looked up by its
SHA-256 hash (``ApiClient.token_hash``): one indexed query, no password hasher
(a token is 32 random bytes, so a fast hash is as safe as a slow one, and a slow
one would cost every call tens of milliseconds). A revoked client, an unknown
token or a malformed header is refused with 401. Reads need any active token; changes need
a client allowed to write. Each client has its own rate limit
(``API_RATE_LIMIT`` calls per ``API_RATE_WINDOW_SECONDS``, counted in the cache
by ``home.platform.ratelimit``), answered with 429 and ``Retry-After``.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions, permissions, throttling

from home.platform import ratelimit
from services.models import ApiClient
from services.models.integrations import hash_token

LAST_USED_PRECISION = datetime.timedelta(minutes=1)


class ApiPrincipal:
    """The calling system, in the place DRF keeps ``request.user``."""

    is_authenticated = True
    is_anonymous = False

    def __init__(self, client: ApiClient):
        self.client = client

    @property
    def pk(self):
        return self.client.pk


class BearerTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Send one token after Bearer.")
        try:
            token = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed("The token is not valid.") from None
        # A read fetched what the cache holds for its token first
        # (``services.api.read_cache``): the client may be remembered from an
        # earlier call while no client has changed since.
        read = getattr(request, "api_read", None)
        client = read.client() if read is not None else None
        if client is None:
            client = (
                ApiClient.objects.active()
                .filter(token_hash=hash_token(token))
                .only("pk", "name", "can_write", "last_used_at")
                .first()
            )
            if client is None:
                raise exceptions.AuthenticationFailed("The token is not valid.")
            if read is not None:
                read.remember_client(client)
        # "Last used" is shown to the minute: written at most once a minute, so
        # a busy client's reads cost no write (and no commit) of their own. A
        # plain queryset: the time a token was last used changes nothing the
        # API shows, so it must not move the cached reads' version.
        now = timezone.now()
        since = now - LAST_USED_PRECISION
        if client.last_used_at is None or client.last_used_at <= since:
            QuerySet(ApiClient).filter(pk=client.pk).exclude(
                last_used_at__gt=since
            ).update(last_used_at=now)
            client.last_used_at = now
        return ApiPrincipal(client), token

    def authenticate_header(self, request):
        return self.keyword


def token_hash_of(request) -> str | None:
    """The hash of a well-formed bearer token the request carries, or None
    (``authenticate`` refuses a malformed one with its own message)."""
    header = authentication.get_authorization_header(request).split()
    if len(header) != 2 or header[0].lower() != b"bearer":
        return None
    try:
        return hash_token(header[1].decode("ascii"))
    except UnicodeDecodeError:
        return None


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = BearerTokenAuthentication
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer"}


class ReadOrWrite(permissions.BasePermission):
    """Any client reads; only a client allowed to write changes cases."""

    message = "This token may only read."

    def has_permission(self, request, view):
        user = request.user
        if not isinstance(user, ApiPrincipal):
            return False
        return request.method in permissions.SAFE_METHODS or user.client.can_write


class PerClientRateThrottle(throttling.BaseThrottle):
    def allow_request(self, request, view):
        user = request.user
        if not isinstance(user, ApiPrincipal):
            return True
        return ratelimit.allow_for(
            f"api-client:{user.pk}",
            scope="api",
            limit=settings.API_RATE_LIMIT,
            window=settings.API_RATE_WINDOW_SECONDS,
        )

    def wait(self):
        return settings.API_RATE_WINDOW_SECONDS
