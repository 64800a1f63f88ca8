"""axe-core reports no WCAG 2.2 A/AA violation on any page type of the demo council,
on the microsite, or on the feedback form's error state."""

from django.core.management import call_command

from wagtail.models import Site

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser.axe import axe_violations

# Each transactional test flushes the database afterwards; serialized rollback
# restores what migrations create (root page, groups, workflow) for the next one.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def demo_urls(base: str, microsite_base: str) -> dict[str, str]:
    from home.models import HomePage, StandardPage
    from services.models import (
        AToZPage,
        GuidePage,
        NewsArticlePage,
        NewsIndexPage,
        ServiceLandingPage,
        ServicePage,
        StepByStepPage,
    )

    council_root = Site.objects.get(is_default_site=True).root_page
    urls = {"home": base + "/"}
    for name, model in [
        ("service landing", ServiceLandingPage),
        ("service", ServicePage),
        ("guide", GuidePage),
        ("step by step", StepByStepPage),
        ("news index", NewsIndexPage),
        ("news article", NewsArticlePage),
        ("a to z", AToZPage),
        ("standard", StandardPage),
    ]:
        page = model.objects.live().descendant_of(council_root).first()
        assert page is not None, f"the demo has no {name} page"
        urls[name] = base + page.url_path[len(council_root.url_path) - 1 :]
    guide = GuidePage.objects.live().first()
    urls["guide part 2"] = urls["guide"] + guide.all_parts[1].slug + "/"
    urls["a to z letter"] = urls["a to z"] + "r/"
    urls["search results"] = base + "/search/?q=bins"
    urls["search no results"] = base + "/search/?q=zzzzqqq"
    urls["not found"] = base + "/no-such-page/"
    urls["microsite home"] = microsite_base + "/"
    urls["feedback thanks"] = base + "/feedback/thanks/"
    from home.models import AccessibilityStatementPage

    statement = (
        AccessibilityStatementPage.objects.live().descendant_of(council_root).get()
    )
    urls["accessibility statement"] = (
        base + statement.url_path[len(council_root.url_path) - 1 :]
    )
    assert HomePage.objects.count() >= 2 and StandardPage.objects.exists()
    return urls


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
    return f"http://localhost:{port}", f"http://parks.localhost:{port}"


def reflow_overflow(browser, url) -> int:
    """Pixels of sideways scrolling at a 320 CSS pixel wide window (WCAG 1.4.10)."""
    browser.set_window_size(320, 800)
    try:
        browser.get(url)
        return browser.execute_script(
            "return document.documentElement.scrollWidth"
            " - document.documentElement.clientWidth"
        )
    finally:
        browser.set_window_size(1280, 1024)


def test_every_page_type_and_form_state_is_accessible(browser, demo_site):
    """One demo load, every page type: axe WCAG 2.2 A/AA, one h1, reflow at 320px."""
    base, microsite_base = demo_site
    failures = {}
    for name, url in demo_urls(base, microsite_base).items():
        browser.get(url)
        assert "main-content" in browser.page_source, f"{name}: {url} did not render"
        problems = axe_violations(browser)
        if len(browser.find_elements(By.TAG_NAME, "h1")) != 1:
            problems.append({"id": "one-h1", "help": "a page has exactly one h1"})
        overflow = reflow_overflow(browser, url)
        if overflow > 0:
            problems.append(
                {"id": "reflow", "help": f"scrolls sideways by {overflow}px at 320px"}
            )
        if problems:
            failures[name] = problems

    # The feedback form's error state: submit with nothing chosen.
    browser.get(base + "/")
    browser.find_element(
        By.CSS_SELECTOR, ".council-feedback button[type=submit]"
    ).click()
    WebDriverWait(browser, 10).until(lambda b: b.title.startswith("Error: "))
    assert "There is a problem" in browser.page_source
    violations = axe_violations(browser)
    if violations:
        failures["feedback error"] = violations

    assert failures == {}, failures


def test_the_checker_reports_a_page_that_breaks_the_rules(browser):
    """Guards against a checker that passes everything: a broken page must fail."""
    broken = (
        "<!DOCTYPE html><html lang='en'><head><title>Broken</title></head><body><main>"
        "<h1>Broken</h1><img src='/static/frontend/images/logo.svg'>"
        "<input type='text' id='dup'><p id='dup' style='color:#bbb;background-color:#fff;font-size:14px'>Pale text on white</p>"
        "</main></body></html>"
    )
    browser.get("data:text/html;charset=utf-8," + broken)
    rules = {violation["id"] for violation in axe_violations(browser)}
    assert {"image-alt", "label"} <= rules
