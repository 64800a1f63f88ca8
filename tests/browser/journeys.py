"""Shared by the browser journey tests: a service page served by the live server,
and the steps of walking a journey (fill a form, submit, wait, check with axe)."""

from django.contrib.auth.models import Group

from wagtail.models import Site

from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from services.models import ServiceDefinition
from tests.browser.axe import axe_violations
from tests.factories.services import ServiceLandingPageFactory, ServicePageFactory


def publish_service_page(
    home_page, *, team: str, service: dict, landing: tuple, page: tuple, block
):
    """A guest-allowed service for ``team`` and a published service page under a
    landing page; ``block(service)`` gives the page's (block type, value).
    ``landing`` and ``page`` are (title, slug). Returns (service, page)."""
    definition = ServiceDefinition.objects.create(
        team=Group.objects.create(name=team), guest_allowed=True, **service
    )
    landing_page = ServiceLandingPageFactory(
        parent=home_page, title=landing[0], slug=landing[1]
    )
    service_page = ServicePageFactory(
        parent=landing_page, title=page[0], slug=page[1], body=[]
    )
    service_page.body = [block(definition)]
    service_page.save_revision().publish()
    return definition, service_page


def publish_street_problem_page(home_page):
    """The street-problem service (highways team) at /roads/street/."""
    return publish_service_page(
        home_page,
        team="Highways team",
        service={
            "name": "Street problem",
            "reference_prefix": "STR",
            "case_type": "Street problem",
            "sla_days": 10,
        },
        landing=("Roads", "roads"),
        page=("Report a street problem", "street"),
        block=lambda service: ("street_problem", {"service": service, "heading": ""}),
    )


def serve_default_site(live_server) -> str:
    """Point the default site at the live server; returns its base URL."""
    port = live_server.url.rsplit(":", 1)[1]
    site = Site.objects.get(is_default_site=True)
    site.hostname, site.port = "localhost", int(port)
    site.save()
    Site.clear_site_root_paths_cache()
    return f"http://localhost:{port}"


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


def click_and_follow(browser, element):
    """Click a link or button that loads another page, and wait until the page it
    was on has gone: a look at the page straight after a click may otherwise meet
    the old page while the new one is still on its way."""
    page = browser.find_element(By.TAG_NAME, "html")
    element.click()
    WebDriverWait(browser, 15).until(left_behind(page))


def click_submit(browser):
    form = browser.find_element(By.CSS_SELECTOR, "main form")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    WebDriverWait(browser, 15).until(left_behind(form))


def wait_for_messages_to_settle(browser):
    """Wait until the admin's status message (``.success`` and the like) has
    finished fading in: axe measures colours as drawn, so a half-transparent
    message fails colour contrast that the settled message passes."""
    WebDriverWait(browser, 10).until(
        lambda b: b.execute_script(
            "let el = document.querySelector('.messages li, .success');"
            "if (el && document.getAnimations().some(a => a.playState === 'running'"
            " && a.effect && a.effect.target && a.effect.target.contains(el)))"
            " return false;"
            "for (; el; el = el.parentElement)"
            " if (getComputedStyle(el).opacity !== '1') return false;"
            "return true;"
        )
    )


def check(browser, name, failures):
    wait_for_messages_to_settle(browser)
    problems = axe_violations(browser)
    if len(browser.find_elements(By.TAG_NAME, "h1")) != 1:
        problems.append({"id": "one-h1", "help": "a page has exactly one h1"})
    if problems:
        failures[name] = problems
