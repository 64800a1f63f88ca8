"""Chromium for the audit's tests: the browser suites' rule (skip with the reason
printed, or fail when ``REQUIRE_BROWSER=1``)."""

import pytest

from tests.browser.conftest import require_chromium


@pytest.fixture
def chromium():
    require_chromium()
