"""The accessibility audit: it finds what is broken, covers every page and journey
step, gates pipelines by its exit code, and feeds the admin and the statements."""

import functools
import http.server
import json
import threading
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import CommandError

from wagtail.models import Page, Site

import pytest

from home.a11y.audit import Audit, registered_extra_paths
from home.a11y.browser import start_browser
from home.a11y.journeys import site_journeys
from tests.factories.home import (
    AccessibilityStatementPageFactory,
    HomePageFactory,
    StandardPageFactory,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "a11y"


@pytest.fixture
def fixture_server():
    """The broken and clean fixture pages, served over HTTP on 127.0.0.1."""
    handler = functools.partial(
        http.server.SimpleHTTPRequestHandler, directory=str(FIXTURES)
    )
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def audit_browser(chromium):
    """The audit's own browser."""
    driver = start_browser({"testserver": "127.0.0.1", "parks.testserver": "127.0.0.1"})
    yield driver
    driver.quit()


def run_command(*args) -> int:
    """``a11y_audit`` with ``args``; its exit status."""
    try:
        call_command("a11y_audit", *args)
    except SystemExit as exit:
        return exit.code
    return 0


@pytest.mark.browser
@pytest.mark.django_db
def test_the_audit_reports_each_broken_thing_with_its_rule(
    chromium, fixture_server, tmp_path
):
    status = run_command(
        "--only-urls", "--url", f"{fixture_server}/broken.html",
        "--output", str(tmp_path), "--no-record",
    )  # fmt: skip
    assert status == 1
    report = json.loads((tmp_path / "report.json").read_text())
    rules = {rule["rule"]: rule for rule in report["by_rule"]}
    assert "image-alt" in rules  # missing alt text
    assert "label" in rules  # unlabelled input
    assert "color-contrast" in rules  # pale grey on white
    assert rules["color-contrast"]["criteria"] == ["1.4.3"]
    assert "skip-link" in rules  # no way past the header
    duplicate = [
        node["html"]
        for page in rules["html-validation"]["pages"]
        for node in page["nodes"]
    ]
    assert any("Duplicate ID" in text for text in duplicate), duplicate
    page = report["pages"][0]
    assert page["title"] == "A deliberately broken page"
    assert report["pages_checked"] == 1
    assert (tmp_path / "report.html").read_text().count("image-alt") >= 1


@pytest.mark.browser
@pytest.mark.django_db
def test_a_clean_page_passes_and_exits_zero(chromium, fixture_server, tmp_path):
    status = run_command(
        "--only-urls", "--url", f"{fixture_server}/clean.html",
        "--output", str(tmp_path), "--no-record",
    )  # fmt: skip
    report = json.loads((tmp_path / "report.json").read_text())
    assert report["by_rule"] == []
    assert status == 0
    assert report["passed"] is True


def test_the_command_refuses_a_site_that_does_not_exist(db):
    with pytest.raises(CommandError, match="no site matches"):
        call_command("a11y_audit", "--site", "nowhere.example")


def _expected_urls(site, port) -> set[str]:
    """Worked out from the page tree independently of the audit's own crawl."""
    from services.models import AToZPage, GuidePage

    base = f"http://{site.hostname}:{port}"
    root_path = site.root_page.url_path
    # Plus what apps register outside the page tree (not found, search, sign in...).
    urls = {base + path for _name, path in registered_extra_paths(site)}
    assert base + "/this-page-does-not-exist/" in urls
    assert base + "/search/?q=bins%00" in urls  # the 400 page
    pages = Page.objects.live().public().descendant_of(site.root_page, inclusive=True)
    for page in pages.specific():
        if getattr(page, "accessibility_audit_signed_in", False):
            continue  # checked signed in, with the account pages
        path = "/" + page.url_path[len(root_path) :]
        urls.add(base + path)
        if isinstance(page, GuidePage):
            urls.update(base + path + part.slug + "/" for part in page.all_parts[1:])
        if isinstance(page, AToZPage):
            urls.update(
                base + path + letter.lower() + "/"
                for letter in page.letters_with_services
            )
    return urls


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_crawl_covers_every_live_page_and_every_journey_step(
    live_server, council, audit_browser, tmp_path
):
    port = int(live_server.url.rsplit(":", 1)[1])
    AccessibilityStatementPageFactory(parent=council["home"])
    unpublished = StandardPageFactory(parent=council["home"], slug="draft")
    unpublished.unpublish()
    parks_home = HomePageFactory(
        parent=Page.get_first_root_node(), title="Country Parks", slug="parks"
    )
    StandardPageFactory(parent=parks_home, title="Visit Ravensmoor", slug="ravensmoor")
    AccessibilityStatementPageFactory(parent=parks_home)
    parks = Site.objects.create(
        hostname="parks.testserver", port=80, root_page=parks_home, site_name="Parks"
    )
    Site.clear_site_root_paths_cache()
    sites = [Site.objects.get(is_default_site=True), parks]

    # The journeys every site has (the others need the demo's services and
    # residents: the demo audit in CI walks all of them).
    journeys = site_journeys()
    audit = Audit(
        sites=sites,
        url_for=lambda site, path: f"http://{site.hostname}:{port}{path}",
        output=tmp_path,
        journeys_to_walk=journeys,
        account_pages=[],
        log=lambda *args: None,
    )
    report = audit.run(audit_browser)

    expected = set().union(*(_expected_urls(site, port) for site in sites))
    visited = {page["url"] for page in report["pages"] if page["kind"] == "page"}
    assert visited == expected
    assert report["pages_checked"] == len(expected)
    assert not any("/draft/" in url for url in visited)
    steps_per_site = sum(1 + len(journey.steps) for journey in journeys)
    assert report["states_checked"] == 2 * steps_per_site
    feedback_states = [
        page["name"]
        for page in report["pages"]
        if page["name"].startswith("Page feedback")
    ]
    assert feedback_states.count("Page feedback: nothing chosen (error)") == 2
    assert feedback_states.count("Page feedback: answer sent") == 2
    # Every state had its HTML validated and its focus order checked.
    assert report["focus_checked"] > len(expected)


def test_the_command_exits_2_when_there_is_no_browser(db, monkeypatch, tmp_path):
    monkeypatch.setattr("home.a11y.browser.CHROMIUM", "/nonexistent/chromium")
    status = run_command("--output", str(tmp_path), "--no-record")
    assert status == 2
    assert not (tmp_path / "report.json").exists()
