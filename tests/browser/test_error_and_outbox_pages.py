"""Pages outside the demo's page tree, in a real browser with axe-core (WCAG 2.2
A/AA): the "400 Bad Request" page a request carrying unreadable input gets, and the
admin's outgoing messages page where staff see dead letters and resend them."""

from django.test import Client
from django.utils import timezone

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from services import actions
from services.models import OutboxEvent
from tests.browser.axe import axe_violations
from tests.browser.journeys import serve_default_site, wait_for_messages_to_settle
from tests.myaccount.factories import with_two_factor
from tests.services.conftest import (  # noqa: F401 (fixtures)
    bin_service,
    resident,
    waste_team,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_bad_request_page_is_accessible(browser, live_server, home_page):
    base = serve_default_site(live_server)
    browser.get(base + "/search/?q=bins%00")
    assert "Sorry, we could not read that address" in browser.page_source
    assert len(browser.find_elements(By.TAG_NAME, "h1")) == 1
    assert axe_violations(browser) == []


def test_dead_letters_and_their_resend_are_accessible(
    browser,
    live_server,
    home_page,
    bin_service,  # noqa: F811 (the fixture imported above)
    resident,  # noqa: F811
    django_user_model,
):
    base = serve_default_site(live_server)
    case = actions.open_case(service=bin_service, answers={}, resident=resident)
    # (Sent at once here: the test commits. Made a dead letter as eight failed
    # attempts would leave it.)
    OutboxEvent.objects.filter(case=case).update(
        delivered_at=None,
        attempts=8,
        dead_at=timezone.now(),
        last_error="550 mailbox unavailable",
    )
    admin = django_user_model.objects.create_superuser(
        "root", "root@example.com", "pw-root-123"
    )
    with_two_factor(admin)
    client = Client()
    client.force_login(admin)
    browser.delete_all_cookies()
    browser.get(base + "/robots.txt")
    for name, morsel in client.cookies.items():
        browser.add_cookie({"name": name, "value": morsel.value, "path": "/"})

    failures = {}
    browser.get(base + "/admin/outbox/")
    assert "550 mailbox unavailable" in browser.page_source
    assert case.reference in browser.page_source
    if violations := axe_violations(browser):
        failures["dead letters"] = violations

    browser.find_element(By.CSS_SELECTOR, "input[name=rows]").click()
    browser.find_element(By.XPATH, "//button[.='Resend the selected messages']").click()
    WebDriverWait(browser, 30).until(lambda b: "1 message resent" in b.page_source)
    assert "0 dead letters" in browser.page_source
    # The admin's message fades in: measure its colours once it has settled.
    wait_for_messages_to_settle(browser)
    if violations := axe_violations(browser):
        failures["after a resend"] = violations

    browser.get(base + "/admin/outbox/?state=delivered")
    assert case.reference in browser.page_source
    if violations := axe_violations(browser):
        failures["delivered"] = violations
    assert failures == {}, failures
    browser.delete_all_cookies()
