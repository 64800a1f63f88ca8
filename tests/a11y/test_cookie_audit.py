"""The audit walks the cookie banner and cookies page states (registered for every
site) and finds nothing wrong with them: axe WCAG 2.2 A/AA, keyboard, HTML, focus."""

from wagtail.models import Site

import pytest

from home.a11y.audit import Audit
from home.a11y.browser import start_browser
from home.a11y.cookies import cookie_journeys
from home.a11y.journeys import registered_journeys

pytestmark = [pytest.mark.browser]


@pytest.fixture
def audit_browser(chromium):
    driver = start_browser({"testserver": "127.0.0.1"})
    yield driver
    driver.quit()


@pytest.mark.django_db
def test_the_cookie_journeys_are_registered_for_the_audit():
    names = {journey.name for journey in registered_journeys()}
    assert {"Cookie banner", "Cookie banner, rejected", "Cookie settings"} <= names


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_every_cookie_banner_and_settings_state_passes_the_audit(
    live_server, council, audit_browser, tmp_path
):
    port = int(live_server.url.rsplit(":", 1)[1])
    site = Site.objects.get(is_default_site=True)
    audit = Audit(
        sites=[site],
        url_for=lambda site, path: f"http://testserver:{port}{path}",
        output=tmp_path,
        journeys_to_walk=cookie_journeys(),
        account_pages=[],
        log=lambda *args: None,
    )
    report = audit.run(audit_browser)
    states = {
        page["name"]: page
        for page in report["pages"]
        if page["kind"] == "journey state"
    }
    assert set(states) >= {
        "Cookie banner: start",
        "Cookie banner: accepted (confirmation)",
        "Cookie banner, rejected: rejected (confirmation)",
        "Cookie settings: start",
        "Cookie settings: nothing chosen (error)",
        "Cookie settings: saved",
    }
    problems = {
        name: page["violations"] for name, page in states.items() if page["violations"]
    }
    assert problems == {}
