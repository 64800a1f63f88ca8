"""The missed-bin journey in headless Chromium, as a guest, without JavaScript help:
every step, the "check your answers" page, the confirmation, an error state, the
"round not finished" stop, and guest tracking pass axe-core WCAG 2.2 A/AA."""

import pytest
from selenium.webdriver.common.by import By

from services.models import Case
from tests.browser.journeys import (
    check,
    click_submit,
    fill_and_continue,
    publish_service_page,
    publish_street_problem_page,
    serve_default_site,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def journey_site(live_server, home_page):
    publish_service_page(
        home_page,
        team="Waste team",
        service={
            "name": "Missed bin collection",
            "reference_prefix": "BIN",
            "case_type": "Missed bin",
            "sla_days": 2,
        },
        landing=("Bins", "bins"),
        page=("Report a missed bin collection", "missed"),
        block=lambda service: ("missed_bin", {"service": service, "heading": ""}),
    )
    base = serve_default_site(live_server)
    return base, f"{base}/bins/missed/"


def test_missed_bin_journey_is_accessible_at_every_step(browser, journey_site):
    base, url = journey_site
    failures = {}
    browser.delete_all_cookies()
    browser.get(url)
    check(browser, "start", failures)
    assert not browser.get_cookies()  # reading the page starts no session
    browser.find_element(By.LINK_TEXT, "Start now").click()
    check(browser, "postcode", failures)

    fill_and_continue(browser, {"postcode": "nonsense"})
    assert "There is a problem" in browser.page_source
    assert browser.title.startswith("Error: ")
    assert (
        browser.find_element(By.NAME, "postcode").get_attribute("value") == "nonsense"
    )
    check(browser, "postcode error", failures)

    fill_and_continue(browser, {"postcode": "GU1 4AA"})
    assert "Select the address" in browser.page_source, browser.find_element(
        By.TAG_NAME, "main"
    ).text
    check(browser, "address", failures)
    fill_and_continue(browser)  # nothing chosen: the radios' error state
    assert "There is a problem" in browser.page_source
    check(browser, "address error", failures)
    fill_and_continue(browser, radio_index=0)

    assert "Which bin was not collected?" in browser.page_source
    check(browser, "bin", failures)
    fill_and_continue(browser, radio_index=1)

    assert "How can we contact you?" in browser.page_source
    check(browser, "contact", failures)
    fill_and_continue(browser, {"email": "guest@example.com"})

    assert "Check your answers" in browser.page_source
    check(browser, "check answers", failures)
    click_submit(browser)

    assert "govuk-panel--confirmation" in browser.page_source
    case = Case.objects.get()
    assert case.reference in browser.page_source
    check(browser, "confirmation", failures)

    # The round-not-finished stop (house number 5 in the demo provider).
    browser.delete_all_cookies()
    browser.get(url + "start/")
    fill_and_continue(browser, {"postcode": "GU1 4AA"})
    fill_and_continue(browser, radio_index=4)
    fill_and_continue(browser, radio_index=0)
    assert "You cannot report this bin as missed yet" in browser.page_source
    check(browser, "round not finished", failures)
    assert Case.objects.count() == 1

    # Tracking as a guest, its error state and the result.
    browser.get(base + "/track-a-request/")
    check(browser, "track", failures)
    fill_and_continue(browser, {"reference": "", "email": "nope"})
    assert "There is a problem" in browser.page_source
    check(browser, "track error", failures)
    fill_and_continue(
        browser, {"reference": case.reference, "email": "guest@example.com"}
    )
    assert "Updates" in browser.page_source
    check(browser, "tracked case", failures)

    assert failures == {}, failures


@pytest.fixture
def street_site(live_server, home_page):
    publish_street_problem_page(home_page)
    return serve_default_site(live_server) + "/roads/street/"


def test_street_problem_journey_without_a_map_is_accessible(
    browser, street_site, tmp_path
):
    from PIL import Image

    picture = tmp_path / "pothole.jpg"
    Image.new("RGB", (60, 40), (90, 90, 90)).save(picture, format="JPEG")
    failures = {}
    browser.delete_all_cookies()
    browser.get(street_site)
    browser.find_element(By.LINK_TEXT, "Start now").click()
    check(browser, "category", failures)
    fill_and_continue(browser, radio_index=0)

    assert "Where is the problem?" in browser.page_source
    assert len(browser.find_elements(By.CSS_SELECTOR, "[data-map-alternative]")) == 3
    check(browser, "location", failures)
    fill_and_continue(browser)  # nothing given: the error state
    assert "Enter the street name" in browser.page_source
    check(browser, "location error", failures)
    fill_and_continue(
        browser, {"street": "Market Street", "landmark": "By the bus stop"}
    )

    assert "Describe the problem" in browser.page_source
    check(browser, "description", failures)
    browser.find_element(By.NAME, "photos").send_keys(str(picture))
    fill_and_continue(browser, {"description": "A deep pothole"})

    fill_and_continue(browser, {"email": "guest@example.com"})
    assert "Check your answers" in browser.page_source
    assert "1 photo" in browser.page_source
    check(browser, "street check answers", failures)
    click_submit(browser)
    assert "Problem reported" in browser.page_source
    assert Case.objects.get().reference in browser.page_source
    check(browser, "street confirmation", failures)
    assert failures == {}, failures
