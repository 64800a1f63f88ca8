"""The missed-bin journey in headless Chromium, as a guest, without JavaScript help:
every step, the "check your answers" page, the confirmation, an error state, the
"round not finished" stop, and guest tracking pass axe-core WCAG 2.2 A/AA."""

from django.contrib.auth.models import Group

from wagtail.models import Site

import pytest
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from services.models import Case, ServiceDefinition
from tests.browser.axe import axe_violations
from tests.factories.services import ServiceLandingPageFactory, ServicePageFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def journey_site(live_server, home_page):
    team = Group.objects.create(name="Waste team")
    service = ServiceDefinition.objects.create(
        name="Missed bin collection",
        reference_prefix="BIN",
        case_type="Missed bin",
        team=team,
        sla_days=2,
        guest_allowed=True,
    )
    landing = ServiceLandingPageFactory(parent=home_page, title="Bins", slug="bins")
    page = ServicePageFactory(
        parent=landing, title="Report a missed bin collection", slug="missed", body=[]
    )
    page.body = [("missed_bin", {"service": service, "heading": ""})]
    page.save_revision().publish()
    port = live_server.url.rsplit(":", 1)[1]
    site = Site.objects.get(is_default_site=True)
    site.hostname, site.port = "localhost", int(port)
    site.save()
    Site.clear_site_root_paths_cache()
    return f"http://localhost:{port}", f"http://localhost:{port}/bins/missed/"


def fill_and_continue(browser, values=None, radio_index=None):
    form = browser.find_element(By.CSS_SELECTOR, "main form")
    for name, value in (values or {}).items():
        field = form.find_element(By.NAME, name)
        field.clear()
        field.send_keys(value)
    if radio_index is not None:
        radios = form.find_elements(By.CSS_SELECTOR, "input[type=radio]")
        browser.execute_script("arguments[0].click()", radios[radio_index])
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    # Wait for the next page (POST, redirect, GET) before looking at it.
    WebDriverWait(browser, 15).until(left_behind(form))


def left_behind(element):
    """Like ``staleness_of``, for a page that has moved on. Mid-navigation, Chromium
    may answer "node does not belong to the document" instead of "stale element"."""

    def check(_driver):
        try:
            element.is_enabled()
        except WebDriverException:  # stale, or no longer in the document
            return True
        return False

    return check


def click_submit(browser):
    form = browser.find_element(By.CSS_SELECTOR, "main form")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    WebDriverWait(browser, 15).until(left_behind(form))


def check(browser, name, failures):
    problems = axe_violations(browser)
    if len(browser.find_elements(By.TAG_NAME, "h1")) != 1:
        problems.append({"id": "one-h1", "help": "a page has exactly one h1"})
    if problems:
        failures[name] = problems


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
    browser.get(url + "?step=start")
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
    team = Group.objects.create(name="Highways team")
    service = ServiceDefinition.objects.create(
        name="Street problem",
        reference_prefix="STR",
        case_type="Street problem",
        team=team,
        sla_days=10,
        guest_allowed=True,
    )
    landing = ServiceLandingPageFactory(parent=home_page, title="Roads", slug="roads")
    page = ServicePageFactory(
        parent=landing, title="Report a street problem", slug="street", body=[]
    )
    page.body = [("street_problem", {"service": service, "heading": ""})]
    page.save_revision().publish()
    port = live_server.url.rsplit(":", 1)[1]
    site = Site.objects.get(is_default_site=True)
    site.hostname, site.port = "localhost", int(port)
    site.save()
    Site.clear_site_root_paths_cache()
    return f"http://localhost:{port}/roads/street/"


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
