"""Readiness: can this instance serve, and what is it serving without?

``/healthz/`` says the process is alive. ``/readyz/`` checks each dependency with
short timeouts and answers JSON, never cached and naming no hosts or secrets:

* ``database``: required. Without it nothing can be served, so the answer is 503
  and the load balancer should stop sending traffic to this instance.
* ``cache``, ``broker``, ``search``: the site degrades without them (pages are
  rendered uncached, emails and index updates wait for their sweeps, search uses
  the database), so a failure there makes the status ``degraded`` with a 200:
  taking every instance out of rotation because Redis is down would turn a slower
  site into no site. Alert on ``degraded`` instead (see ``docs/runbook.md``).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import caches
from django.db import connection

CHECK_TIMEOUT_SECONDS = 1.0


def _database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return "up"


def _cache() -> str:
    backend = caches["default"]
    client = getattr(backend, "_cache", None)
    if client is None or not hasattr(client, "_raw"):
        return "local memory"
    # Straight to Redis, past the circuit breaker, with the cache's own timeouts.
    client.get_client(write=True).ping()
    return "up"


def _broker() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER or not settings.CELERY_BROKER_URL:
        return "tasks run inline"
    from kombu import Connection

    with Connection(
        settings.CELERY_BROKER_URL,
        connect_timeout=CHECK_TIMEOUT_SECONDS,
        transport_options={"socket_connect_timeout": CHECK_TIMEOUT_SECONDS},
    ) as conn:
        conn.ensure_connection(
            max_retries=1, interval_start=0, timeout=CHECK_TIMEOUT_SECONDS
        )
    return "up"


CHECKS: dict[str, tuple[Callable[[], str], bool]] = {
    "database": (_database, True),
    "cache": (_cache, False),
    "broker": (_broker, False),
}


def register(name: str, check: Callable[[], str], *, required: bool = False) -> None:
    """Add a dependency to ``/readyz/``: ``check`` returns its state in a word or
    raises; a later app registers its own (search registers ``search``), so this
    module imports none of them."""
    CHECKS[name] = (check, required)


def check_all() -> tuple[int, dict]:
    """(HTTP status, report)."""
    report = {}
    failed_required = degraded = False
    for name, (check, required) in CHECKS.items():
        started = time.monotonic()
        try:
            state, ok = check(), True
        except Exception as error:  # any failure of a dependency is a "down"
            state, ok = f"down ({type(error).__name__})", False
        report[name] = {
            "ok": ok,
            "state": state,
            "ms": round((time.monotonic() - started) * 1000, 1),
        }
        if not ok:
            failed_required |= required
            degraded = True
    status = "unavailable" if failed_required else "degraded" if degraded else "ok"
    return (503 if failed_required else 200), {"status": status, "checks": report}
