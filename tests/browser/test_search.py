"""Site search in a real browser: the header box, suggestions, filters, pagination and
the error state, each checked with axe-core (WCAG 2.2 A/AA) and one h1."""

from urllib.parse import urlencode

from django.core.management import call_command

from wagtail.models import Site

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser.axe import axe_violations
from tests.browser.journeys import click_and_follow
from tests.factories.services import ServicePageFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def demo_site(live_server):
    call_command("load_demo", verbosity=0)
    port = live_server.url.rsplit(":", 1)[1]
    council = Site.objects.get(is_default_site=True)
    council.hostname, council.port = "localhost", int(port)
    council.save()
    microsite = Site.objects.exclude(pk=council.pk).get()
    microsite.hostname, microsite.port = "parks.localhost", int(port)
    microsite.save()
    Site.clear_site_root_paths_cache()
    # Enough pages for a second page of results.
    from services.models import ServiceLandingPage

    area = ServiceLandingPage.objects.get(title="Bins, recycling and waste")
    for number in range(12):
        ServicePageFactory(
            parent=area, title=f"Recycling sack {number}", slug=f"sack-{number}"
        )
    return f"http://localhost:{port}", f"http://parks.localhost:{port}", area.slug


def check(browser, failures, name):
    problems = axe_violations(browser)
    if len(browser.find_elements(By.TAG_NAME, "h1")) != 1:
        problems.append({"id": "one-h1", "help": "a page has exactly one h1"})
    if problems:
        failures[name] = problems


def result_titles(browser) -> list[str]:
    """The titles on the page of results, best bets first. Where a page ranks
    depends on the database (measured per database in tests/search/
    test_relevance.py); here the resident must find it on the first page."""
    links = browser.find_elements(
        By.CSS_SELECTOR, ".council-search-best-bets a, .council-search-results a"
    )
    assert links, browser.find_element(By.TAG_NAME, "main").text
    return [link.text for link in links]


def test_a_resident_searches_from_the_header_and_every_state_is_accessible(
    browser, demo_site
):
    base, microsite_base, bins_slug = demo_site
    failures = {}

    # From the header of any page, with the everyday words.
    browser.get(base + "/")
    box = browser.find_element(By.ID, "site-search")
    box.send_keys("missed bin")
    box.send_keys(Keys.ENTER)
    WebDriverWait(browser, 10).until(EC.url_contains("/search/"))
    assert "Report a missed bin collection" in result_titles(browser)
    check(browser, failures, "results")

    # An abbreviation, a split word and a synonym find the page they mean.
    for query, expected in [
        ("ctax", "Council tax"),
        ("pot hole", "Report a pothole"),
        ("tip", "Household waste recycling centres"),
    ]:
        browser.get(f"{base}/search/?{urlencode({'q': query})}")
        titles = result_titles(browser)
        assert expected in titles, (query, titles)

    # Filters, a second page, documents, no results and the error state.
    states = {
        "filtered by type": {"q": "bin", "type": "service"},
        "filtered by section": {"q": "bin", "section": bins_slug},
        "page 2": {"q": "recycling", "page": "2"},
        "documents": {"q": "leaflet", "type": "document"},
        "with documents": {"q": "local plan"},
        "best bet": {"q": "council tax"},
        "no results": {"q": "zzzzqqq"},
        "empty query": {"q": ""},
    }
    for name, params in states.items():
        browser.get(f"{base}/search/?{urlencode(params)}")
        assert "main-content" in browser.page_source, name
        check(browser, failures, name)
    browser.get(f"{base}/search/?q=")
    assert browser.title.startswith("Error: ")
    browser.find_element(By.CSS_SELECTOR, ".govuk-error-summary a").click()
    assert browser.switch_to.active_element.get_attribute("id") == "search-q"

    # Filters are links: choosing one narrows the results.
    browser.get(f"{base}/search/?q=bin")
    click_and_follow(browser, browser.find_element(By.PARTIAL_LINK_TEXT, "News"))
    kinds = browser.find_elements(By.CSS_SELECTOR, ".council-search-results__meta")
    assert kinds and all(k.text.startswith("News") for k in kinds)

    # Clicking a result goes to the page (through the click counter).
    browser.get(f"{base}/search/?q=pothole")
    browser.find_element(By.LINK_TEXT, "Report a pothole").click()
    WebDriverWait(browser, 10).until(EC.title_contains("Report a pothole"))
    assert "/search/" not in browser.current_url

    # The microsite's search covers the microsite.
    browser.get(f"{microsite_base}/search/?q=park")
    check(browser, failures, "microsite results")

    assert failures == {}, failures


def test_suggestions_appear_as_a_listbox_and_open_the_chosen_page(browser, demo_site):
    base, _microsite, _slug = demo_site
    browser.get(base + "/")
    box = browser.find_element(By.ID, "site-search")
    box.send_keys("pothol")
    listbox = WebDriverWait(browser, 10).until(
        EC.visibility_of_element_located((By.CSS_SELECTOR, "[role=listbox]"))
    )
    assert box.get_attribute("aria-expanded") == "true"
    options = listbox.find_elements(By.CSS_SELECTOR, "[role=option]")
    names = [o.text.splitlines()[0] for o in options]
    assert "Report a pothole" in names
    status = browser.find_element(
        By.CSS_SELECTOR, ".council-header__search [role=status]"
    )
    assert "suggestion" in status.get_attribute("textContent")
    violations = axe_violations(browser)
    assert violations == [], violations

    index = names.index("Report a pothole")
    for _ in range(index + 1):
        box.send_keys(Keys.ARROW_DOWN)
    assert box.get_attribute("aria-activedescendant") == options[index].get_attribute(
        "id"
    )
    box.send_keys(Keys.ENTER)
    WebDriverWait(browser, 10).until(EC.title_contains("Report a pothole"))

    # Escape closes the list; Enter without a choice searches as usual.
    browser.get(base + "/")
    box = browser.find_element(By.ID, "site-search")
    box.send_keys("council")
    WebDriverWait(browser, 10).until(
        EC.visibility_of_element_located((By.CSS_SELECTOR, "[role=listbox]"))
    )
    box.send_keys(Keys.ESCAPE)
    assert box.get_attribute("aria-expanded") == "false"
    box.send_keys(Keys.ENTER)
    WebDriverWait(browser, 10).until(EC.url_contains("/search/?q=council"))
