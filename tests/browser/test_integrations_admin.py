"""In headless Chromium: the admin pages for other systems (outgoing messages
with webhook deliveries, a subscription's signing secret, an API client's token
just issued and its calls) pass axe-core WCAG 2.2 A/AA."""

from django.contrib.auth.models import Group
from django.test import Client

import pytest
from selenium.webdriver.common.by import By

from services import actions, outbox
from services.models import (
    ApiClient,
    OutboxEvent,
    ServiceDefinition,
    WebhookSubscription,
)
from tests.browser.journeys import check, click_and_follow, serve_default_site
from tests.myaccount.factories import with_two_factor

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_integration_admin_pages_are_accessible(
    browser, live_server, home_page, django_user_model
):
    base = serve_default_site(live_server)
    team = Group.objects.create(name="Waste team")
    service = ServiceDefinition.objects.create(
        name="Missed bin", reference_prefix="BIN", case_type="Missed bin", team=team
    )
    # Nothing listens on this port: the delivery fails and is a dead letter.
    sub = WebhookSubscription.objects.create(
        name="Crew system", url="http://127.0.0.1:9/hooks"
    )
    sub.services.add(service)
    api_client = ApiClient.objects.create(name="Crew system", can_write=True)
    api_client.services.add(service)
    actions.open_case(service=service, answers={}, guest_email="g@example.com")
    row = OutboxEvent.objects.get(subscription=sub)
    OutboxEvent.objects.filter(pk=row.pk).update(attempts=8, next_attempt_at=None)
    outbox.deliver(row.pk)

    ops = django_user_model.objects.create_superuser("ops", "ops@example.com", "pw")
    with_two_factor(ops)
    client = Client()
    client.force_login(ops)
    browser.delete_all_cookies()
    browser.get(base + "/track-a-request/")
    for name, morsel in client.cookies.items():
        browser.add_cookie({"name": name, "value": morsel.value, "path": "/"})

    failures = {}
    browser.get(base + "/admin/outbox/?state=dead")
    assert "Webhook to Crew system" in browser.page_source, browser.title
    check(browser, "outgoing messages: a dead webhook", failures)
    browser.get(base + f"/admin/integrations/webhooks/{sub.pk}/secret/")
    assert sub.secret in browser.page_source
    check(browser, "webhook signing secret", failures)
    browser.get(base + f"/admin/integrations/api-clients/{api_client.pk}/token/")
    click_and_follow(
        browser, browser.find_element(By.CSS_SELECTOR, "button[value=issue]")
    )
    assert browser.find_element(By.ID, "new-token").text.startswith("gh_")
    check(browser, "API client token just issued", failures)
    browser.get(base + "/admin/snippets/services/apiclient/")
    check(browser, "API clients listing", failures)
    assert failures == {}, failures
    browser.delete_all_cookies()
