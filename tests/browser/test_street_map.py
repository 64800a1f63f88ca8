"""In headless Chromium: the street-problem map pin with JavaScript (moved by the
keyboard, filling the hidden fields), the same journey with JavaScript switched off,
the satisfaction question on track-a-request, and the contact-centre banner; every
state passes axe-core WCAG 2.2 A/AA."""

import os

from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.test import Client

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

from home.a11y.browser import CHROMEDRIVER, CHROMIUM, CHROMIUM_ARGS
from personalisation.wards import DEMO_FILE as WARDS_FILE
from personalisation.wards import load_wards
from personalisation.wards import read_csv as read_wards
from services import actions
from services.models import Case, CaseSatisfaction, ServiceDefinition
from services.streets import DEMO_FILE as STREETS_FILE
from services.streets import load_streets
from services.streets import read_csv as read_streets
from tests.browser.conftest import require_chromium
from tests.browser.journeys import (
    check,
    click_submit,
    fill_and_continue,
    left_behind,
    publish_street_problem_page,
    serve_default_site,
)
from tests.myaccount.factories import with_two_factor

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def map_site(live_server, home_page, settings):
    # Tiles from the test server itself (they 404): no request leaves the machine.
    settings.MAP_TILE_URL = live_server.url + "/map-tiles/{z}/{x}/{y}.png"
    load_wards(read_wards(WARDS_FILE))
    load_streets(read_streets(STREETS_FILE))
    service, page = publish_street_problem_page(home_page)
    base = serve_default_site(live_server)
    return {
        "base": base,
        "url": f"{base}/roads/street/start/",
        "page": page,
        "team": service.team,
    }


def test_map_pin_moves_by_keyboard_and_fills_the_fields(browser, map_site):
    failures = {}
    browser.delete_all_cookies()
    browser.get(map_site["url"])
    fill_and_continue(browser, radio_index=1)  # street light
    marker = WebDriverWait(browser, 15).until(
        lambda d: d.find_element(By.CSS_SELECTOR, "[data-map] .leaflet-marker-icon")
    )
    assert browser.find_element(By.CSS_SELECTOR, "[data-map]").is_displayed()
    assert len(browser.find_elements(By.CSS_SELECTOR, "[data-map-alternative]")) == 3
    latitude = browser.find_element(By.NAME, "latitude")
    longitude = browser.find_element(By.NAME, "longitude")
    assert latitude.get_attribute("value") == ""  # no pin until the resident sets one
    check(browser, "location with the map", failures)

    # Tab to the pin, as a keyboard user would, then move it.
    for _ in range(60):
        if browser.switch_to.active_element == marker:
            break
        browser.switch_to.active_element.send_keys(Keys.TAB)
    assert browser.switch_to.active_element == marker, "the pin is not reachable by Tab"
    marker.send_keys(Keys.ARROW_UP)
    first = float(latitude.get_attribute("value"))
    first_lng = float(longitude.get_attribute("value"))
    marker.send_keys(Keys.ARROW_UP, Keys.ARROW_UP, Keys.ARROW_RIGHT)
    assert float(latitude.get_attribute("value")) > first
    assert float(longitude.get_attribute("value")) > first_lng
    status = browser.find_element(By.CSS_SELECTOR, "[data-map-status]").text
    assert status.startswith("Pin set at ")
    check(browser, "location with a pin", failures)

    click_submit(browser)
    assert "Which street is nearest?" in browser.page_source
    check(browser, "nearest streets", failures)
    fill_and_continue(browser, radio_index=0)
    fill_and_continue(browser, {"description": "The light is out"})
    fill_and_continue(browser, {"email": "guest@example.com"})
    assert "Map pin at" in browser.page_source
    click_submit(browser)
    case = Case.objects.get()
    assert case.latitude is not None and case.ward is not None
    assert case.reference in browser.page_source
    assert failures == {}, failures


@pytest.fixture
def browser_without_javascript():
    require_chromium()
    os.environ.setdefault("SE_OFFLINE", "true")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in CHROMIUM_ARGS:
        options.add_argument(arg)
    options.add_experimental_option(
        "prefs", {"profile.managed_default_content_settings.javascript": 2}
    )
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


def test_without_javascript_the_street_list_does_the_job(
    browser_without_javascript, map_site
):
    browser = browser_without_javascript

    def submit_and_wait_for(text):
        form = browser.find_element(By.CSS_SELECTOR, "main form")
        form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        WebDriverWait(browser, 15).until(left_behind(form))
        assert text in browser.page_source

    browser.get(map_site["url"])
    browser.find_elements(By.CSS_SELECTOR, "main form .govuk-radios__label")[0].click()
    submit_and_wait_for("Where is the problem?")
    assert not browser.find_element(By.CSS_SELECTOR, "[data-map]").is_displayed()
    assert not browser.find_elements(By.CSS_SELECTOR, ".leaflet-container")
    Select(browser.find_element(By.NAME, "street")).select_by_visible_text(
        "Market Street (Market)"
    )
    browser.find_element(By.NAME, "landmark").send_keys("By the bus stop")
    submit_and_wait_for("Describe the problem")
    browser.find_element(By.CSS_SELECTOR, "main [name=description]").send_keys(
        "A deep pothole"
    )
    submit_and_wait_for("How can we contact you?")
    browser.find_element(By.CSS_SELECTOR, "main [name=email]").send_keys(
        "guest@example.com"
    )
    submit_and_wait_for("Market Street, By the bus stop")
    submit_and_wait_for("Problem reported")
    case = Case.objects.get()
    assert case.reference in browser.page_source
    assert case.ward.name == "Market" and case.latitude is None


def test_satisfaction_question_on_track_a_request(browser, map_site):
    service = ServiceDefinition.objects.get(reference_prefix="STR")
    case = actions.open_case(
        service=service, answers={}, guest_email="guest@example.com"
    )
    for status in ("in_progress", "resolved"):
        actions.change_status(case=case, to_status=status, actor=None)
    mail.outbox.clear()
    failures = {}
    browser.delete_all_cookies()
    browser.get(map_site["base"] + "/track-a-request/")
    fill_and_continue(
        browser, {"reference": case.reference, "email": "guest@example.com"}
    )
    assert "Were you satisfied with how we dealt with this?" in browser.page_source
    check(browser, "satisfaction question", failures)
    fill_and_continue(browser)  # no answer: the error state
    assert "There is a problem" in browser.page_source
    check(browser, "satisfaction error", failures)
    fill_and_continue(browser, {"comment": "Quick work"}, radio_index=0)
    assert "Thank you for telling us how we did" in browser.page_source
    check(browser, "satisfaction thanks", failures)
    assert CaseSatisfaction.objects.get(case=case).comment == "Quick work"
    assert failures == {}, failures


def test_contact_centre_banner_is_accessible(browser, map_site, django_user_model):
    group, _ = Group.objects.get_or_create(name="Contact centre")
    group.permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="open_case_on_behalf"),
    )
    advisor = django_user_model.objects.create_user("advisor", "a@example.com", "pw")
    advisor.groups.add(group)
    with_two_factor(advisor)
    client = Client()
    client.force_login(advisor)
    client.post(
        "/admin/cases/for-a-caller/",
        {
            "page": map_site["page"].pk,
            "channel": "phone",
            "name": "Sam Caller",
            "phone": "01632 960 001",
        },
    )
    browser.delete_all_cookies()
    browser.get(map_site["base"] + "/track-a-request/")
    for name, morsel in client.cookies.items():
        browser.add_cookie({"name": name, "value": morsel.value, "path": "/"})
    failures = {}
    browser.get(map_site["base"] + "/admin/cases/for-a-caller/")
    assert "Start a case for a caller" in browser.page_source
    check(browser, "start a case for a caller (admin)", failures)
    browser.get(map_site["url"])
    assert "You are making this request for Sam Caller (phone)" in browser.page_source
    check(browser, "working for a caller", failures)
    assert failures == {}, failures
    browser.delete_all_cookies()
