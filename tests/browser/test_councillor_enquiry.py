"""A councillor raises an enquiry for a constituent in headless Chromium: who it is
for, the constituent's consent (refused until confirmed), the enquiry, check your
answers and the confirmation. Every page passes axe-core WCAG 2.2 A/AA with one
h1, the consent error included."""

from django.contrib.auth.models import Group
from django.test import Client

import pytest
from selenium.webdriver.common.by import By

from services.councillors import COUNCILLORS_GROUP
from services.models import Case, ConstituentEnquiry
from tests.browser.journeys import (
    check,
    click_submit,
    fill_and_continue,
    publish_service_page,
    serve_default_site,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def enquiry(live_server, home_page, django_user_model):
    _service, page = publish_service_page(
        home_page,
        team="Democratic services",
        service={
            "name": "Councillor enquiry",
            "reference_prefix": "CLR",
            "case_type": "Councillor enquiry",
        },
        landing=("Council and democracy", "council"),
        page=("Raise an enquiry for a constituent", "councillor-enquiry"),
        block=lambda service: (
            "councillor_enquiry",
            {"service": service, "heading": ""},
        ),
    )
    councillor = django_user_model.objects.create_user(
        "cllr", "cllr@example.com", "pw-cllr-12345", first_name="Sam", last_name="Ward"
    )
    councillor.groups.add(Group.objects.get(name=COUNCILLORS_GROUP))
    return {"base": serve_default_site(live_server), "councillor": councillor}


def sign_in(browser, base, user):
    client = Client()
    client.force_login(user)
    browser.delete_all_cookies()
    browser.get(base + "/track-a-request/")
    for name, morsel in client.cookies.items():
        browser.add_cookie({"name": name, "value": morsel.value, "path": "/"})


def test_a_councillor_raises_an_enquiry_for_a_constituent_with_consent(
    browser, enquiry
):
    base, failures = enquiry["base"], {}
    sign_in(browser, base, enquiry["councillor"])
    browser.get(base + "/council/councillor-enquiry/start/")
    assert "Who is the enquiry for?" in browser.page_source
    check(browser, "who the enquiry is for", failures)
    fill_and_continue(
        browser,
        {
            "name": "Ruth Okoye",
            "email": "ruth@example.com",
            "address": "4 Mill Lane, Guildhall GH1 2BB",
        },
    )
    assert "The constituent" in browser.page_source
    check(browser, "consent", failures)
    # Consent not confirmed: refused, with the GOV.UK error summary.
    fill_and_continue(browser, radio_index=0)
    assert "Confirm the constituent agreed" in browser.page_source
    assert browser.find_elements(By.CSS_SELECTOR, ".govuk-error-summary")
    check(browser, "consent not confirmed", failures)
    box = browser.find_element(By.CSS_SELECTOR, "input[type=checkbox][name=agreed]")
    browser.execute_script("arguments[0].click()", box)
    fill_and_continue(browser, radio_index=0)
    check(browser, "the enquiry", failures)
    fill_and_continue(browser, {"enquiry": "The streetlight has been out a month."})
    assert "Ruth Okoye" in browser.page_source
    check(browser, "check answers", failures)
    click_submit(browser)
    case = Case.objects.get()
    assert case.reference in browser.page_source
    check(browser, "confirmation", failures)
    assert case.resident == enquiry["councillor"]
    recorded = ConstituentEnquiry.objects.get(case=case)
    assert (recorded.name, recorded.email) == ("Ruth Okoye", "ruth@example.com")
    assert recorded.consent
    assert failures == {}, failures
