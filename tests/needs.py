"""One way for a test to say it needs a real service.

On a fresh machine (SQLite, no Redis, no Chromium, no clamd) a test that needs a
missing service is skipped and pytest prints why (``-ra``). CI sets
``REQUIRE_SERVICES=1`` (and ``REQUIRE_BROWSER=1`` for Chromium), which turns every
such skip into a failure, so a service that silently went missing cannot make the
suite look green.

Call the functions at the start of a test or fixture: ``needs_postgres()``. What
goes through here: PostgreSQL, Redis (and so every test with a real Celery worker:
``tests/conftest.py``), Chromium, clamd, programs such as ``redis-server``, and the
Elasticsearch stand-in (``tests/search/conftest.py``). ``tests/test_needs.py`` fails
on a test that skips any other way.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from django.db import connection

import pytest

from home.a11y.browser import CHROMEDRIVER, CHROMIUM, browser_available

CLAMD = "/usr/sbin/clamd"


def _on(name: str) -> bool:
    return os.environ.get(name, "").lower() in ("1", "true", "yes")


def services_required() -> bool:
    """True when a missing service must fail the run (CI)."""
    return _on("REQUIRE_SERVICES")


def missing(reason: str, *, required: bool | None = None) -> None:
    """Skip with ``reason``, or fail when services are required."""
    if services_required() if required is None else required:
        pytest.fail(f"required service missing: {reason}", pytrace=False)
    pytest.skip(reason)


def needs_postgres(why: str = "") -> None:
    if connection.vendor != "postgresql":
        missing("needs PostgreSQL (DATABASE_URL)" + (f": {why}" if why else ""))


def needs_redis(why: str = "") -> None:
    if not os.environ.get("REDIS_URL"):
        missing("needs Redis (REDIS_URL)" + (f": {why}" if why else ""))


def needs_chromium() -> None:
    if not browser_available():
        missing(
            f"headless Chromium needs {CHROMIUM} and {CHROMEDRIVER} "
            "(apt-get install chromium chromium-driver)",
            required=services_required() or _on("REQUIRE_BROWSER"),
        )


def needs_clamd() -> None:
    if not Path(CLAMD).exists():
        missing(f"{CLAMD} is not installed (apt-get install clamav-daemon)")


def needs_program(name: str, package: str) -> str:
    """The path of a program on PATH, or skip/fail naming the Debian package."""
    path = shutil.which(name) or (
        f"/usr/sbin/{name}" if Path(f"/usr/sbin/{name}").exists() else None
    )
    if not path:
        missing(f"{name} is not installed (apt-get install {package})")
    return path
