"""Headless Chromium for the browser suites (the audit's own launcher).

Without Chromium the suite is skipped with the reason printed, unless
``REQUIRE_BROWSER=1`` or ``REQUIRE_SERVICES=1`` (both set by CI), when a missing
browser is a failure (``tests.needs.needs_chromium``).
"""

import pytest

from home.a11y.browser import start_browser
from tests.needs import needs_chromium

# The audit's tests (tests/a11y) ask for Chromium by this name.
require_chromium = needs_chromium


@pytest.fixture(scope="session")
def browser():
    require_chromium()
    driver = start_browser()
    yield driver
    driver.quit()
