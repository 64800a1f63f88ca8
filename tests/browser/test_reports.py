"""In headless Chromium: Reports → Services, Channel shift and Where residents give
up, with figures, with a filter error, and at 320 px wide; every state passes
axe-core WCAG 2.2 A/AA and the chart fits the screen."""

from django.contrib.auth.models import Group, Permission
from django.test import Client

import pytest
from selenium.webdriver.common.by import By

from personalisation.models import Ward
from services.models import JourneyStepCount, ServiceDefinition
from services.reports.rollup import rollup_range
from tests.browser.journeys import check, serve_default_site
from tests.myaccount.factories import with_two_factor
from tests.services.report_fixtures import D1, D3, make_reported_cases

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PERIOD = f"?start={D1.isoformat()}&end={D3.isoformat()}"


@pytest.fixture
def signed_in_manager(browser, live_server, home_page, django_user_model):
    base = serve_default_site(live_server)
    group = Group.objects.create(name="Service managers")
    group.permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_management_reports"),
    )
    user = django_user_model.objects.create_user("manager", "m@example.com", "pw")
    user.groups.add(group)
    with_two_factor(user)
    client = Client()
    client.force_login(user)
    browser.delete_all_cookies()
    browser.get(base + "/robots.txt")
    for name, morsel in client.cookies.items():
        browser.add_cookie({"name": name, "value": morsel.value, "path": "/"})
    yield base
    browser.delete_all_cookies()
    browser.set_window_size(1280, 1000)


def services():
    found = []
    for name, prefix in (("Missed bin collection", "BIN"), ("Street problem", "STR")):
        team = Group.objects.create(name=f"{name} team")
        found.append(
            ServiceDefinition.objects.create(
                name=name, reference_prefix=prefix, case_type=name, team=team
            )
        )
    return found


def test_report_pages_are_accessible_at_any_width(
    browser, signed_in_manager, home_page
):
    make_reported_cases(*services(), Ward.objects.create(name="Abbey"))
    rollup_range(D1, D3)
    JourneyStepCount.objects.create(
        day=D1, page=home_page, block_id="abc", step="postcode", event="view", count=3
    )
    JourneyStepCount.objects.create(
        day=D1,
        page=home_page,
        block_id="abc",
        step="postcode",
        event="error",
        field="postcode",
        message="Enter a real postcode",
        count=2,
    )
    base = signed_in_manager
    failures = {}
    pages = {
        "services report": f"/admin/reports/services/{PERIOD}",
        "services report by ward": f"/admin/reports/services/{PERIOD}&by=ward",
        "services report, filter error": f"/admin/reports/services/?start={D3}&end={D1}",
        "channel shift": f"/admin/reports/channel-shift/{PERIOD}",
        "channel shift, baseline error": f"/admin/reports/channel-shift/{PERIOD}"
        f"&baseline_start={D1}",
        "where residents give up": f"/admin/reports/journeys/{PERIOD}",
    }
    for width in (1280, 320):
        browser.set_window_size(width, 900)
        for name, path in pages.items():
            browser.get(base + path)
            assert "Sign in" not in browser.title, name
            check(browser, f"{name} at {width}px", failures)
    assert failures == {}, failures
    browser.get(base + f"/admin/reports/services/{PERIOD}")
    chart = browser.find_element(By.CSS_SELECTOR, "svg.report-chart")
    body_width = browser.execute_script("return document.documentElement.clientWidth")
    assert 0 < chart.size["width"] <= body_width
    assert browser.find_element(By.ID, "trend").is_displayed()
