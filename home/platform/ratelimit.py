"""A small fixed-window rate limit kept only in the cache.

Clients are identified by a keyed hash of their address (``clients.client_address``:
behind a proxy, the one the trusted proxy saw), so no address is ever stored in the
database or recoverable from the cache.
"""

import hashlib
import hmac

from django.conf import settings
from django.core.cache import cache

from home.platform.clients import client_address


def client_fingerprint(request) -> str:
    address = client_address(request)
    return hmac.new(
        settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256
    ).hexdigest()[:32]


def allow(request, *, scope: str, limit: int, window: int) -> bool:
    """Count one hit for this client; False once it has made ``limit`` in ``window``."""
    key = f"ratelimit:{scope}:{client_fingerprint(request)}"
    if cache.add(key, 1, timeout=window):
        return True
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=window)
        return True
    return count <= limit
