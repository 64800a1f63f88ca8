"""The page editor's live preview in headless Chromium: an editor signs in (with
their authenticator app, as all staff do), opens a page, types a new title and
sees the page in the preview panel (blank while previews carried
``frame-ancestors 'none'``), then sees the preview follow what they type. The
editor runs without a Content Security Policy complaint in the browser's log
(Wagtail's choosers start from inline scripts, which the admin's policy once
blocked: the contact chooser and the review date picker did nothing)."""

from django.contrib.auth.models import Group

import pytest
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser.journeys import left_behind, serve_default_site
from tests.factories.services import ServiceLandingPageFactory, ServicePageFactory
from tests.myaccount.factories import totp_code, with_two_factor

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "a-long-editor-password-1"


@pytest.fixture
def editor_site(live_server, home_page, django_user_model):
    landing = ServiceLandingPageFactory(
        parent=home_page, title="Bins and recycling", slug="bins"
    )
    page = ServicePageFactory(
        parent=landing, title="Report a missed bin", slug="missed-bin"
    )
    page.save_revision().publish()
    editor = django_user_model.objects.create_user(
        "editor", "editor@example.com", PASSWORD
    )
    editor.groups.add(Group.objects.get(name="Editors"))
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(
        user=editor, email=editor.email, verified=True, primary=True
    )
    secret = with_two_factor(editor)
    return {"base": serve_default_site(live_server), "page": page, "secret": secret}


def sign_in(browser, base: str, email: str, secret: str) -> None:
    browser.delete_all_cookies()
    browser.get(base + "/account/login/")
    form = browser.find_element(By.CSS_SELECTOR, "main form")
    form.find_element(By.NAME, "login").send_keys(email)
    form.find_element(By.NAME, "password").send_keys(PASSWORD)
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    WebDriverWait(browser, 15).until(left_behind(form))
    assert "/2fa/authenticate/" in browser.current_url, browser.current_url
    form = browser.find_element(By.CSS_SELECTOR, "main form")
    form.find_element(By.NAME, "code").send_keys(totp_code(secret))
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    WebDriverWait(browser, 15).until(left_behind(form))


def preview_text(browser) -> str:
    """The text of the page shown in the preview panel ("" while it loads, or
    when the browser refuses to show it)."""
    try:
        frame = browser.find_element(By.ID, "w-preview-iframe")
        browser.switch_to.frame(frame)
        try:
            return browser.find_element(By.TAG_NAME, "body").text
        finally:
            browser.switch_to.default_content()
    except WebDriverException:
        browser.switch_to.default_content()
        return ""


def editor_watches_for_edits(browser) -> bool:
    """Wagtail's page editor notices edits by comparing the form with a copy it
    takes a moment after the page loads; typing before that copy exists goes
    into the copy and is never seen as a change (a person never types that fast).
    ``window.wagtail.app`` is the Stimulus application Wagtail documents for
    extending the admin."""
    return browser.execute_script(
        "const form = document.getElementById('page-edit-form');"
        "const unsaved = window.wagtail.app"
        ".getControllerForElementAndIdentifier(form, 'w-unsaved');"
        "return Boolean(unsaved && unsaved.initialFormData);"
    )


def csp_complaints(browser) -> list[str]:
    return [
        entry["message"]
        for entry in browser.get_log("browser")
        if "Content Security Policy" in entry["message"]
    ]


def test_the_preview_panel_shows_the_page_being_edited(browser, editor_site):
    base, page = editor_site["base"], editor_site["page"]
    sign_in(browser, base, "editor@example.com", editor_site["secret"])
    browser.get(f"{base}/admin/pages/{page.pk}/edit/")
    assert "/login/" not in browser.current_url, browser.current_url
    browser.find_element(By.CSS_SELECTOR, '[data-side-panel-toggle="preview"]').click()
    WebDriverWait(browser, 20).until(
        lambda b: "Report a missed bin" in preview_text(b),
        message="the preview panel never showed the page",
    )
    WebDriverWait(browser, 10).until(editor_watches_for_edits)
    title = browser.find_element(By.ID, "id_title")
    title.clear()
    title.send_keys("Report a missed bin collection")
    # The editor checks for edits every half second, then renders the preview
    # on the server: generous on a machine running other suites at once.
    WebDriverWait(browser, 60).until(
        lambda b: "Report a missed bin collection" in preview_text(b),
        message="the preview panel did not follow the new title",
    )
    assert csp_complaints(browser) == []
    browser.delete_all_cookies()
