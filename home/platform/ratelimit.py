"""A small fixed-window rate limit kept only in the cache.

Clients are identified by a keyed hash of their address (``clients.client_address``:
behind a proxy, the one the trusted proxy saw), so no address is ever stored in the
database or recoverable from the cache. ``allow`` counts per client;
``allow_for`` counts per anything else (an account, a reference), hashed the same
way, whoever and wherever the request comes from.

While the cache is down every limit here fails open (``add`` reports success while
Redis cannot be reached, ``home.platform.redis_cache``): refusing would lock every
resident out for as long as the outage lasts. On Redis a hit is one round trip
(``CouncilRedisCache.count_hit``); other caches count with ``add`` and ``incr``. A
caller that must fail closed asks ``cache_available()`` first. See docs/runbook.md.
"""

import hashlib
import hmac

from django.conf import settings
from django.core.cache import cache

from home.platform.clients import client_address


def fingerprint(identity: str) -> str:
    return hmac.new(
        settings.SECRET_KEY.encode(), identity.encode(), hashlib.sha256
    ).hexdigest()[:32]


def client_fingerprint(request) -> str:
    return fingerprint(client_address(request))


def allow(request, *, scope: str, limit: int, window: int) -> bool:
    """Count one hit for this client; False once it has made ``limit`` in ``window``."""
    return _hit(f"ratelimit:{scope}:{client_fingerprint(request)}", limit, window)


def allow_for(identity: str, *, scope: str, limit: int, window: int) -> bool:
    """Count one hit for ``identity`` (an account id, a reference), from any
    client; False once it has had ``limit`` in ``window``."""
    return _hit(f"ratelimit:{scope}:{fingerprint(identity)}", limit, window)


def _hit(key: str, limit: int, window: int) -> bool:
    count_hit = getattr(cache, "count_hit", None)
    if count_hit is not None:  # Redis (home.platform.redis_cache): one round trip
        return count_hit(key, window) <= limit
    if cache.add(key, 1, timeout=window):
        return True
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=window)
        return True
    return count <= limit
