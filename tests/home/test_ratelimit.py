"""The rate limits' counter on Redis: one round trip a hit, the same limits."""

import os
import uuid

from django.core.cache import cache

import pytest
import redis.connection

from home.platform import redis_cache
from home.platform.ratelimit import allow_for, fingerprint
from tests.needs import needs_redis


@pytest.fixture
def redis_cache_at(settings):
    def point_at(location: str) -> None:
        redis_cache._breakers.clear()
        settings.CACHES = {
            "default": {
                "BACKEND": "home.platform.redis_cache.CouncilRedisCache",
                "LOCATION": location,
                "KEY_PREFIX": f"ratelimit-{uuid.uuid4().hex}",
                "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.5},
            }
        }
        settings.CACHE_RETRY_SECONDS = 30

    yield point_at
    redis_cache._breakers.clear()


@pytest.fixture
def round_trips(monkeypatch):
    sent = []
    send = redis.connection.Connection.send_packed_command

    def counting(self, *args, **kwargs):
        sent.append(args)
        return send(self, *args, **kwargs)

    monkeypatch.setattr(redis.connection.Connection, "send_packed_command", counting)
    return sent


def test_on_redis_each_hit_is_one_round_trip_and_the_limit_holds(
    redis_cache_at, round_trips
):
    needs_redis("the counter's single round trip is Redis's")
    redis_cache_at(os.environ["REDIS_URL"].rstrip("/") + "/13")
    allow_for("warm-up", scope="t", limit=3, window=60)  # connects
    round_trips.clear()
    hits = [allow_for("client:1", scope="t", limit=3, window=60) for _ in range(4)]
    assert hits == [True, True, True, False]
    # A busy client's every call waits for Redis once, not three times.
    assert len(round_trips) == 4
    assert allow_for("client:2", scope="t", limit=3, window=60)
    # The window runs from the first hit: the counter expires within it.
    key = cache.make_key(f"ratelimit:t:{fingerprint('client:1')}")
    ttl = cache._cache.get_client(key).ttl(key)
    assert 0 < ttl <= 60


def test_with_redis_unreachable_the_limit_fails_open(redis_cache_at):
    redis_cache_at("redis://127.0.0.1:9/0")  # nothing listens on the discard port
    assert all(allow_for("client:1", scope="t", limit=1, window=60) for _ in range(3))
