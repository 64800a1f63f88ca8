"""The unsubscribe pages a bulletin links to, signed out, in headless Chromium:
no WCAG 2.2 A/AA violation, and the form works without JavaScript."""

import pytest
from selenium.webdriver.common.by import By

from tests.browser.axe import axe_violations
from tests.browser.test_myaccount import submit

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_unsubscribe_page_and_its_confirmation_are_accessible(
    browser, live_server, home_page
):
    from myaccount import bulletins
    from myaccount.models import Profile
    from tests.myaccount.factories import ProfileFactory, ResidentFactory

    user = ProfileFactory(
        user=ResidentFactory(email="bulletin@example.com"),
        contact_topics=["bins", "events"],
    ).user
    url = (
        live_server.url
        + f"/account/unsubscribe/{bulletins.unsubscribe_token(user.pk, 'bins')}/"
    )
    browser.delete_all_cookies()
    browser.get(url)
    assert browser.find_element(By.TAG_NAME, "h1").text == (
        "Unsubscribe from bins and recycling news"
    )
    assert axe_violations(browser) == []
    submit(browser, url)
    assert "You have unsubscribed" in browser.find_element(By.TAG_NAME, "h1").text
    assert axe_violations(browser) == []
    assert Profile.objects.get(user=user).contact_topics == ["events"]
