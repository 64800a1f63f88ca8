"""A journey on its own pages in headless Chromium: a guest reports a missed bin by
keyboard alone, focus lands on the error summary after a failed submit and stays
there, and each state (question, its error, check answers with a change link,
confirmation) passes axe-core WCAG 2.2 A/AA."""

import time

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from services.models import Case
from tests.browser.journeys import (
    check,
    left_behind,
    publish_service_page,
    serve_default_site,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def bin_site(live_server, home_page):
    _service, page = publish_service_page(
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
    return f"{serve_default_site(live_server)}/bins/missed/"


def focused(browser):
    return browser.switch_to.active_element


def tab_to(browser, matches, limit=60):
    """Press Tab until ``matches(element)`` holds for the focused element."""
    for _ in range(limit):
        browser.switch_to.active_element.send_keys(Keys.TAB)
        element = focused(browser)
        if matches(element):
            return element
    raise AssertionError("never reached by Tab")


def press_enter_and_wait(browser, element):
    main = browser.find_element(By.TAG_NAME, "main")
    element.send_keys(Keys.ENTER)
    WebDriverWait(browser, 15).until(left_behind(main))


def is_continue(element):
    return element.tag_name == "button" and element.text == "Continue"


def named(name):
    return lambda element: element.get_attribute("name") == name


def test_a_guest_reports_a_missed_bin_by_keyboard_alone(browser, bin_site):
    failures = {}
    browser.delete_all_cookies()
    browser.get(bin_site)
    start = tab_to(browser, lambda e: e.text.startswith("Start now"))
    press_enter_and_wait(browser, start)
    assert browser.title.startswith("What is the postcode? – ")
    assert "Question 1 of 4" in browser.page_source
    check(browser, "question", failures)

    # Nothing entered: the error summary takes focus, and keeps it.
    press_enter_and_wait(browser, tab_to(browser, is_continue))
    assert browser.title.startswith("Error: What is the postcode?")
    summary = browser.find_element(By.CSS_SELECTOR, ".govuk-error-summary")
    WebDriverWait(browser, 5).until(lambda driver: focused(driver) == summary)
    time.sleep(1)
    assert focused(browser) == summary
    check(browser, "question error", failures)

    # From the summary, its link leads to the field.
    link = tab_to(
        browser, lambda e: (e.get_attribute("href") or "").endswith("#id_postcode")
    )
    link.send_keys(Keys.ENTER)
    WebDriverWait(browser, 5).until(
        lambda driver: focused(driver).get_attribute("name") == "postcode"
    )
    focused(browser).send_keys("GU1 4AA")
    press_enter_and_wait(browser, focused(browser))

    assert "Question 2 of 4" in browser.page_source
    radio = tab_to(browser, named("uprn"))
    radio.send_keys(Keys.SPACE)
    press_enter_and_wait(browser, tab_to(browser, is_continue))

    radio = tab_to(browser, named("bin_type"))
    radio.send_keys(Keys.SPACE)
    press_enter_and_wait(browser, tab_to(browser, is_continue))

    email = tab_to(browser, named("email"))
    email.send_keys("guest@example.com")
    press_enter_and_wait(browser, email)

    assert browser.title.startswith("Check your answers before sending your request")
    check(browser, "check answers", failures)

    # Change the bin: straight back to check your answers.
    change = tab_to(browser, lambda e: "step=bin" in (e.get_attribute("href") or ""))
    press_enter_and_wait(browser, change)
    assert "Question 3 of 4" in browser.page_source
    back = browser.find_element(By.CSS_SELECTOR, ".govuk-back-link")
    assert back.get_attribute("href").endswith("?step=check")
    radio = tab_to(browser, named("bin_type"))
    radio.send_keys(Keys.ARROW_DOWN)  # the next bin type
    press_enter_and_wait(browser, tab_to(browser, is_continue))
    assert browser.title.startswith("Check your answers")

    press_enter_and_wait(
        browser, tab_to(browser, lambda e: e.text == "Accept and send")
    )
    case = Case.objects.get()
    assert case.reference in browser.find_element(By.CSS_SELECTOR, ".govuk-panel").text
    assert "What happens next" in browser.page_source
    check(browser, "confirmation", failures)
    assert failures == {}, failures


def test_the_save_for_later_page_and_its_error_are_accessible(browser, bin_site):
    failures = {}
    browser.delete_all_cookies()
    browser.get(bin_site + "start/?step=save")
    assert browser.title.startswith("Save your answers and come back later")
    check(browser, "save for later", failures)
    press_enter_and_wait(browser, tab_to(browser, lambda e: e.text == "Send me a link"))
    summary = browser.find_element(By.CSS_SELECTOR, ".govuk-error-summary")
    WebDriverWait(browser, 5).until(lambda driver: focused(driver) == summary)
    check(browser, "save for later error", failures)
    email = tab_to(browser, named("email"))
    email.send_keys("sam@example.com")
    press_enter_and_wait(browser, email)
    assert "We have sent a link to" in browser.page_source
    check(browser, "saved", failures)
    assert failures == {}, failures
