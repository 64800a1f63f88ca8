"""Django's Redis cache backend, kept cheap, and harmless while Redis is down.

One client per connection pool: Django's ``RedisCacheClient`` builds a new
``redis.Redis`` object for every cache operation; building one sets up its table of
~170 response callbacks, which costs more than the round trip to Redis itself. The
client objects are stateless wrappers around the (already shared) connection pool.

Redis down or slow: the site must still serve every page, only slower. So each
operation has short socket timeouts (``CACHE_CONNECT_TIMEOUT_SECONDS``,
``CACHE_TIMEOUT_SECONDS``) and a failure makes it act as a miss: reads return
nothing, writes are dropped, ``add`` reports success and ``incr`` counts from zero
(so rate limits built on the cache fail open unless they ask
``cache_available()`` first; ``docs/runbook.md`` lists each). After a failure a
circuit breaker skips Redis for ``CACHE_RETRY_SECONDS``, so a dead server costs no
timeout per request, and the outage is logged once when it starts and once when
it ends, not per request.

Writes dropped during an outage could leave stale values behind once Redis is back
without having lost its data (a partition rather than a restart): a signed-out
session still cached, a page cache generation that a publish should have moved on.
Each process remembers the keys it failed to write (up to ``_MAX_LOST``) and deletes
them as soon as Redis answers again, or empties the cache if it lost count. Sessions
are written through to the database (``cached_db``), so that costs nobody their
sign-in.
"""

from __future__ import annotations

import logging
import threading
import time

from django.conf import settings
from django.core.cache.backends.redis import RedisCache, RedisCacheClient

from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger("home.platform.cache")

UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)
_MAX_LOST = 10_000


class _Breaker:
    """The health of one Redis server as this process last saw it."""

    def __init__(self, location: str):
        self.location = location
        self.lock = threading.Lock()
        self.down_since: float | None = None
        self.retry_at = 0.0
        self.lost: set[str] = set()
        self.lost_count = False  # more lost keys than we could remember

    def allows(self) -> bool:
        return self.down_since is None or time.monotonic() >= self.retry_at

    def failed(self, error: Exception, *, keys=()) -> None:
        with self.lock:
            now = time.monotonic()
            if self.down_since is None:
                self.down_since = now
                logger.warning(
                    "Cache unavailable (%s: %s); serving without it, retrying every %ss",
                    type(error).__name__,
                    error,
                    settings.CACHE_RETRY_SECONDS,
                )
            self.retry_at = now + settings.CACHE_RETRY_SECONDS
            self.lose(keys)

    def lose(self, keys) -> None:
        for key in keys:
            if len(self.lost) >= _MAX_LOST:
                self.lost_count = True
                break
            self.lost.add(key)

    def recovered(self, client: PooledClientRedisCacheClient) -> None:
        with self.lock:
            if self.down_since is None:
                return
            lost, self.lost = self.lost, set()
            everything, self.lost_count = self.lost_count, False
            outage = time.monotonic() - self.down_since
            self.down_since = None
        try:
            if everything:
                client._raw("clear")
            elif lost:
                client._raw("delete_many", list(lost))
        except UNREACHABLE as error:
            self.failed(error, keys=lost)
            if everything:
                self.lost_count = True
            return
        logger.warning(
            "Cache available again after %.1fs; %s stale keys removed",
            outage,
            "all" if everything else len(lost),
        )


_breakers: dict[str, _Breaker] = {}
_breakers_lock = threading.Lock()


def _breaker_for(location: str) -> _Breaker:
    with _breakers_lock:
        return _breakers.setdefault(location, _Breaker(location))


def cache_available(alias: str = "default") -> bool:
    """False while this process considers the cache's server down (so a caller can
    fail closed instead of counting on a value it cannot read)."""
    from django.core.cache import caches

    backend = caches[alias]
    client = getattr(backend, "_cache", None)
    breaker = getattr(client, "breaker", None)
    return breaker is None or breaker.down_since is None


# What each operation answers while Redis cannot be reached, and whether it writes.
_OFFLINE = {
    "get": (lambda key, default: default, False),
    "get_many": (lambda keys: {}, False),
    "has_key": (lambda key: False, False),
    "add": (lambda key, value, timeout: True, True),
    "set": (lambda key, value, timeout: None, True),
    "set_many": (lambda data, timeout: list(data), True),
    "touch": (lambda key, timeout: False, True),
    "delete": (lambda key: False, True),
    "delete_many": (lambda keys: None, True),
    "incr": (lambda key, delta: delta, True),
    "count_hit": (lambda key, timeout: 0, True),
    "clear": (lambda: None, True),
}


def _written_keys(op: str, args) -> list[str]:
    if op in ("set_many",):
        return list(args[0])
    if op in ("delete_many",):
        return list(args[0])
    if op == "clear":
        return []
    return [args[0]]


class PooledClientRedisCacheClient(RedisCacheClient):
    def __init__(self, servers, **options):
        super().__init__(servers, **options)
        self._clients: dict[int, object] = {}
        self.breaker = _breaker_for(",".join(self._servers))

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            pool = self._get_connection_pool(write)
            client = self._clients[index] = self._client(connection_pool=pool)
        return client

    def _raw(self, op: str, *args):
        if op == "count_hit":
            return self._count_hit(*args)
        return getattr(super(), op)(*args)

    def _count_hit(self, key, timeout) -> int:
        # Create the counter with its expiry unless it exists, then add one: a
        # MULTI/EXEC pipeline, so one round trip and no window left without expiry.
        pipe = self.get_client(key, write=True).pipeline()
        pipe.set(key, 0, ex=timeout, nx=True)
        pipe.incr(key)
        return pipe.execute()[1]

    def _guarded(self, op: str, *args):
        offline, writes = _OFFLINE[op]
        breaker = self.breaker
        if not breaker.allows():
            if writes:
                with breaker.lock:
                    if op == "clear":
                        breaker.lost_count = True
                    breaker.lose(_written_keys(op, args))
            return offline(*args)
        try:
            result = self._raw(op, *args)
        except UNREACHABLE as error:
            breaker.failed(error, keys=_written_keys(op, args) if writes else ())
            if op == "clear":
                breaker.lost_count = True
            return offline(*args)
        if breaker.down_since is not None:
            breaker.recovered(self)
        return result

    def get(self, key, default):
        return self._guarded("get", key, default)

    def get_many(self, keys):
        return self._guarded("get_many", keys)

    def has_key(self, key):
        return self._guarded("has_key", key)

    def add(self, key, value, timeout):
        return self._guarded("add", key, value, timeout)

    def set(self, key, value, timeout):
        return self._guarded("set", key, value, timeout)

    def set_many(self, data, timeout):
        return self._guarded("set_many", data, timeout)

    def touch(self, key, timeout):
        return self._guarded("touch", key, timeout)

    def delete(self, key):
        return self._guarded("delete", key)

    def delete_many(self, keys):
        return self._guarded("delete_many", keys)

    def incr(self, key, delta):
        return self._guarded("incr", key, delta)

    def clear(self):
        return self._guarded("clear")

    def count_hit(self, key, timeout):
        return self._guarded("count_hit", key, timeout)


class CouncilRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = PooledClientRedisCacheClient

    def count_hit(self, key, timeout, version=None) -> int:
        """Add one to a counter that lives ``timeout`` seconds from its first
        hit, and answer the count, in one round trip (``add`` then ``incr`` take
        three: ``incr`` asks whether the key exists first). While Redis cannot
        be reached it answers 0, so a limit built on it fails open."""
        key = self.make_and_validate_key(key, version=version)
        return self._cache.count_hit(key, self.get_backend_timeout(timeout))
