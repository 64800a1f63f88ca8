"""Headless Chromium for the browser suites (the audit's own launcher).

Without Chromium the suite is skipped with the reason printed, unless
``REQUIRE_BROWSER=1`` (set by CI), when a missing browser is a failure.
"""

import os

import pytest

from home.a11y.browser import CHROMEDRIVER, CHROMIUM, browser_available, start_browser


def require_chromium() -> None:
    """Skip (reason printed) or, under ``REQUIRE_BROWSER=1``, fail without Chromium."""
    if browser_available():
        return
    message = f"headless Chromium needs {CHROMIUM} and {CHROMEDRIVER} (apt-get install chromium chromium-driver)"
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def browser():
    require_chromium()
    driver = start_browser()
    yield driver
    driver.quit()
