"""The cookie banner, the cookies page and a personalised page in headless Chromium:
axe-core WCAG 2.2 A/AA on every state, and the answer works without JavaScript
and hides the banner on cached copies with it."""

from wagtail.models import Site

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser.axe import axe_violations
from tests.personalisation.test_delivery import personalise

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def site_url(live_server, council):
    from personalisation.models import CampaignRule
    from tests.factories.personalisation import SegmentFactory

    port = int(live_server.url.rsplit(":", 1)[1])
    Site.objects.filter(is_default_site=True).update(hostname="localhost", port=port)
    Site.clear_site_root_paths_cache()
    segment = SegmentFactory(name="Bin campaign")
    CampaignRule.objects.create(segment=segment, campaign="bins-2027")
    personalise(council["service"], segment, "Our new bins arrive in March", "Bins")
    return f"http://localhost:{port}", council


def check(browser, failures, name):
    problems = axe_violations(browser)
    if len(browser.find_elements(By.TAG_NAME, "h1")) != 1:
        problems.append({"id": "one-h1", "help": "a page has exactly one h1"})
    if problems:
        failures[name] = problems


def press(browser, text):
    button = browser.find_element(
        By.XPATH,
        f"//button[normalize-space()='{text}'] | //a[normalize-space()='{text}']",
    )
    old = browser.find_element(By.TAG_NAME, "html")
    button.click()
    WebDriverWait(browser, 15).until(
        lambda b: (
            b.execute_script("return document.readyState") == "complete"
            and b.find_element(By.TAG_NAME, "html") != old
        )
    )


def banner_shown(browser) -> bool:
    found = browser.find_elements(By.ID, "cookie-banner")
    return bool(found) and found[0].is_displayed()


def test_cookie_banner_states_and_personalised_pages_are_accessible(browser, site_url):
    base, council = site_url
    browser.delete_all_cookies()
    failures = {}
    page = base + council["standard"].url

    browser.get(page)
    assert banner_shown(browser)
    check(browser, failures, "banner: question")
    browser.get(page)  # the cached copy, still asking
    assert banner_shown(browser)

    press(browser, "Accept personalisation cookies")
    assert browser.current_url == page
    assert "You’ve accepted personalisation cookies" in browser.page_source
    check(browser, failures, "banner: accepted")
    press(browser, "Hide cookie message")
    # The shared copy carries the question; the page's script hides it.
    assert "Accept personalisation cookies" in browser.page_source
    assert not banner_shown(browser)

    browser.get(base + council["service"].url + "?utm_campaign=bins-2027")
    assert "Our new bins arrive in March" in browser.page_source
    check(browser, failures, "personalised page (campaign)")
    browser.get(base + council["service"].url)  # remembered, with consent
    assert "Our new bins arrive in March" in browser.page_source

    browser.get(base + "/cookies/")
    check(browser, failures, "cookies page")
    press(browser, "Save cookie settings")
    assert "There is a problem" not in browser.page_source  # "yes" is chosen
    assert "You’ve set your cookie preferences" in browser.page_source
    check(browser, failures, "cookies page: saved")

    browser.delete_all_cookies()
    browser.get(base + "/cookies/")
    press(browser, "Save cookie settings")
    assert "There is a problem" in browser.page_source
    check(browser, failures, "cookies page: error")

    browser.get(page)
    press(browser, "Reject personalisation cookies")
    assert "You’ve rejected personalisation cookies" in browser.page_source
    check(browser, failures, "banner: rejected")
    assert failures == {}, failures


def test_the_banner_works_without_javascript(browser, site_url):
    base, council = site_url
    browser.delete_all_cookies()
    browser.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": True})
    try:
        page = base + council["standard"].url
        browser.get(page)
        press(browser, "Reject personalisation cookies")
        assert "You’ve rejected personalisation cookies" in browser.page_source
        assert browser.get_cookie("cookies_policy")["value"] == "rejected"
        press(browser, "Hide cookie message")
        assert "You’ve rejected" not in browser.page_source
    finally:
        browser.execute_cdp_cmd(
            "Emulation.setScriptExecutionDisabled", {"value": False}
        )
