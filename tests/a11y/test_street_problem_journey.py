"""The audit walks the street-problem journey it is given by ``services.a11y``, by
keyboard alone (the map is there, the street comes from a postcode and the
nearest-street radios), with no WCAG 2.2 A/AA violation in any state."""

from wagtail.models import Site

import pytest

from home.a11y.audit import Audit
from home.a11y.browser import start_browser
from personalisation.wards import DEMO_FILE as WARDS_FILE
from personalisation.wards import load_wards
from personalisation.wards import read_csv as read_wards
from services.a11y import street_problem_journey
from services.models import Case, ServiceDefinition
from services.streets import DEMO_FILE as STREETS_FILE
from services.streets import load_streets
from services.streets import read_csv as read_streets
from tests.factories.home import AccessibilityStatementPageFactory
from tests.factories.services import ServiceLandingPageFactory, ServicePageFactory


def test_without_a_gazetteer_the_journey_is_not_registered(db):
    assert street_problem_journey() is None


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_audit_walks_the_street_problem_journey(
    live_server, council, chromium, tmp_path, settings, django_user_model
):
    settings.MAP_TILE_URL = live_server.url + "/map-tiles/{z}/{x}/{y}.png"
    load_wards(read_wards(WARDS_FILE))
    load_streets(read_streets(STREETS_FILE))
    from django.contrib.auth.models import Group

    service = ServiceDefinition.objects.create(
        name="Street problem",
        reference_prefix="STR",
        case_type="Street problem",
        team=Group.objects.create(name="Highways team"),
        guest_allowed=True,
    )
    AccessibilityStatementPageFactory(parent=council["home"])
    landing = ServiceLandingPageFactory(
        parent=council["home"], title="Roads", slug="roads"
    )
    page = ServicePageFactory(
        parent=landing, title="Report a pothole", slug="report-a-pothole", body=[]
    )
    page.body = [("street_problem", {"service": service, "heading": ""})]
    page.save_revision().publish()
    port = int(live_server.url.rsplit(":", 1)[1])
    journey = street_problem_journey()
    driver = start_browser({"testserver": "127.0.0.1"})
    try:
        report = Audit(
            sites=[Site.objects.get(is_default_site=True)],
            url_for=lambda site, path: f"http://{site.hostname}:{port}{path}",
            output=tmp_path,
            journeys_to_walk=[journey],
            account_pages=[],
            log=lambda *args: None,
        ).run(driver)
    finally:
        driver.quit()
    states = [p for p in report["pages"] if p["kind"] == "journey state"]
    assert len(states) == 1 + len(journey.steps)
    problems = {s["name"]: s["violations"] for s in states if s["violations"]}
    assert problems == {}
    assert states[-1]["name"].endswith("check your answers")
    assert not Case.objects.exists()  # the walk stops before sending
