"""Chromium for the audit's tests: skipped with the reason printed when absent, a
failure when ``REQUIRE_BROWSER=1`` (CI)."""

import os

import pytest

from home.a11y.browser import CHROMEDRIVER, CHROMIUM, browser_available


@pytest.fixture
def chromium():
    if not browser_available():
        message = f"the audit needs {CHROMIUM} and {CHROMEDRIVER} (apt-get install chromium chromium-driver)"
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
