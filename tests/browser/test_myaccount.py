"""axe-core reports no WCAG 2.2 A/AA violation on any account page (allauth's
included) or its error states, in headless Chromium, without JavaScript help:
forms are submitted as a resident would submit them."""

from django.contrib.auth import get_user_model

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser.axe import axe_violations
from tests.browser.journeys import left_behind
from tests.browser.test_accessibility import reflow_overflow

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def account_site(live_server, home_page):
    from myaccount import actions
    from tests.myaccount.factories import (
        PASSWORD,
        CouncilTaxLinkFactory,
        DemoCouncilTaxAccountFactory,
        MyAccountPageFactory,
        ProfileFactory,
        ResidentFactory,
        ResidentMessageFactory,
    )

    page = MyAccountPageFactory(parent=home_page)
    user = ProfileFactory(
        user=ResidentFactory(
            email="axe@example.com", first_name="Axe", last_name="Tester"
        )
    ).user
    DemoCouncilTaxAccountFactory(account_number="10000001")
    CouncilTaxLinkFactory(user=user, account_number="10000001")
    ResidentMessageFactory.create_batch(3, user=user)
    organisation = actions.create_organisation(user=user, name="Axe Ltd")
    return {
        "base": live_server.url,
        "page": page,
        "user": user,
        "password": PASSWORD,
        "organisation": organisation,
    }


def submit(
    browser, url: str, values: dict[str, str] | None = None, form: int = 0
) -> None:
    """Open ``url``, type ``values`` into the named fields of the main content's
    form number ``form`` and press its submit button."""
    browser.get(url)
    forms = browser.find_elements(By.CSS_SELECTOR, "main form")
    assert len(forms) > form, f"{url}: no form {form} on {browser.current_url}"
    target = forms[form]
    for name, value in (values or {}).items():
        field = target.find_element(By.NAME, name)
        field.clear()
        field.send_keys(value)
    target.find_element(
        By.CSS_SELECTOR, "button[type=submit], button:not([type])"
    ).click()
    # Wait for the answer (POST, redirect, GET) before anything else loads a page:
    # a later browser.get racing the redirect could land on the redirect's page.
    WebDriverWait(browser, 15).until(left_behind(target))


def check(browser, name: str, failures: dict, *, error_state: bool = False) -> None:
    problems = axe_violations(browser)
    if len(browser.find_elements(By.TAG_NAME, "h1")) != 1:
        problems.append({"id": "one-h1", "help": "a page has exactly one h1"})
    if error_state and "govuk-error-summary" not in browser.page_source:
        problems.append(
            {"id": "error-summary", "help": "the error state shows an error summary"}
        )
    if error_state and not browser.title.startswith("Error: "):
        problems.append(
            {"id": "error-title", "help": f"title starts 'Error: ' ({browser.title})"}
        )
    if problems:
        failures[name] = problems


def test_every_account_page_and_error_state_is_accessible(browser, account_site):
    base = account_site["base"]
    failures: dict[str, list] = {}
    browser.delete_all_cookies()

    # Signed out.
    for name, path in [
        ("sign in", "/account/login/"),
        ("sign up", "/account/signup/"),
        ("password reset", "/account/password/reset/"),
    ]:
        browser.get(base + path)
        check(browser, name, failures)
    submit(
        browser,
        base + "/account/login/",
        {"login": "axe@example.com", "password": "wrong-password"},
    )
    check(browser, "sign in error", failures, error_state=True)
    submit(
        browser,
        base + "/account/signup/",
        {"email": "not-an-email", "password1": "short", "password2": "other"},
    )
    check(browser, "sign up error", failures, error_state=True)
    submit(browser, base + "/account/password/reset/", {"email": "nope"})
    check(browser, "password reset error", failures, error_state=True)
    submit(browser, base + "/account/password/reset/", {"email": "someone@example.com"})
    check(browser, "password reset sent", failures)
    submit(
        browser,
        base + "/account/signup/",
        {
            "email": "new.axe@example.com",
            "password1": "a-Long-pw-for-axe-1",
            "password2": "a-Long-pw-for-axe-1",
        },
    )
    check(browser, "check your email", failures)
    browser.delete_all_cookies()

    # Sign in through the form, like a resident.
    submit(
        browser,
        base + "/account/login/",
        {"login": "axe@example.com", "password": account_site["password"]},
    )
    assert "/account/login/" not in browser.current_url, browser.page_source[:2000]
    organisation = account_site["organisation"]
    pages = [
        ("dashboard", account_site["page"].url),
        ("profile", "/account/profile/"),
        ("profile edit", "/account/profile/edit/"),
        ("address", "/account/profile/address/"),
        ("address choose", "/account/profile/address/choose/?postcode=GH1+1AA"),
        ("address none found", "/account/profile/address/choose/?postcode=SW1A+1AA"),
        ("contact preferences", "/account/profile/contact/"),
        ("council tax link", "/account/council-tax/link/"),
        ("your data", "/account/your-data/"),
        ("data as a web page", "/account/your-data/download.html"),
        ("delete account", "/account/delete/"),
        ("organisations", "/account/organisations/"),
        ("organisation new", "/account/organisations/new/"),
        ("organisation", f"/account/organisations/{organisation.pk}/"),
        ("organisation leave", f"/account/organisations/{organisation.pk}/leave/"),
        ("two-factor", "/account/2fa/"),
        ("sessions", "/account/sessions/"),
        ("email addresses", "/account/email/"),
        ("change password", "/account/password/change/"),
        ("connected accounts", "/account/3rdparty/"),
        ("sign out", "/account/logout/"),
        ("home page signed in", "/"),
    ]
    for name, path in pages:
        browser.get(base + path)
        assert "main-content" in browser.page_source, f"{name}: {path} did not render"
        check(browser, name, failures)
    overflow = reflow_overflow(browser, base + account_site["page"].url)
    if overflow > 0:
        failures["dashboard reflow"] = [
            {"id": "reflow", "help": f"{overflow}px at 320px"}
        ]

    # Deleting the account and turning on two-factor ask for the password again.
    browser.get(base + "/account/reauthenticate/")
    check(browser, "reauthenticate", failures)
    submit(
        browser,
        base + "/account/reauthenticate/",
        {"password": account_site["password"]},
    )
    error_states = [
        (
            "profile edit error",
            "/account/profile/edit/",
            {"first_name": "", "phone": "123"},
        ),
        ("address error", "/account/profile/address/", {"postcode": "NOPE"}),
        (
            "council tax error",
            "/account/council-tax/link/",
            {"account_number": "12", "postcode": "x"},
        ),
        (
            "council tax refused",
            "/account/council-tax/link/",
            {"account_number": "10000001", "postcode": "GH9 9ZZ"},
        ),
        ("organisation new error", "/account/organisations/new/", {"name": ""}),
        (
            "invite error",
            f"/account/organisations/{organisation.pk}/",
            {"email": "not-an-email"},
        ),
        (
            "change password error",
            "/account/password/change/",
            {"oldpassword": "wrong", "password1": "x", "password2": "y"},
        ),
        ("delete error", "/account/delete/", {}),
    ]
    for name, path, values in error_states:
        submit(browser, base + path, values)
        check(browser, name, failures, error_state=True)
    # Choosing no address, and no contact channel with SMS but no phone.
    submit(browser, base + "/account/profile/address/choose/?postcode=GH1+1AA", {})
    check(browser, "address choose error", failures, error_state=True)

    # Two-factor set-up (the password was entered again above): the QR code page.
    browser.get(base + "/account/2fa/totp/activate/")
    check(browser, "activate two-factor", failures)
    submit(browser, base + "/account/2fa/totp/activate/", {"code": "000000"})
    check(browser, "activate two-factor error", failures, error_state=True)

    assert failures == {}, failures
    assert get_user_model().objects.filter(email="axe@example.com").exists()
