"""axe-core reports no WCAG 2.2 A/AA violation on any page type of the demo council,
on the microsite, or on the feedback form's error state."""

from django.core.management import call_command

from wagtail.models import Site

import pytest
from selenium.webdriver.common.by import By

from tests.browser.axe import axe_violations

pytestmark = pytest.mark.browser


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
    assert HomePage.objects.count() >= 2 and StandardPage.objects.exists()
    return urls


@pytest.fixture
def demo_site(transactional_db, live_server):
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


def test_every_page_type_and_form_state_has_no_wcag_violations(browser, demo_site):
    base, microsite_base = demo_site
    failures = {}
    for name, url in demo_urls(base, microsite_base).items():
        browser.get(url)
        assert "main-content" in browser.page_source, f"{name}: {url} did not render"
        violations = axe_violations(browser)
        if violations:
            failures[name] = violations

    # The feedback form's error state: submit with nothing chosen.
    browser.get(base + "/")
    browser.find_element(
        By.CSS_SELECTOR, ".council-feedback button[type=submit]"
    ).click()
    assert "There is a problem" in browser.page_source
    violations = axe_violations(browser)
    if violations:
        failures["feedback error"] = violations

    assert failures == {}, failures


def test_pages_reflow_at_320_css_pixels_without_horizontal_scrolling(
    browser, demo_site
):
    base, _ = demo_site
    browser.set_window_size(320, 800)
    try:
        for path in ["/", "/a-to-z/"]:
            browser.get(base + path)
            overflow = browser.execute_script(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 320px"
    finally:
        browser.set_window_size(1280, 1024)
