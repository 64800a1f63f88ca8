"""The contact centre in headless Chromium: search for a person, open their page,
log a call, open a case for a caller, find the case again by its reference; a
guest's person page, merging two people and undoing it. Every staff page on the
way passes axe-core WCAG 2.2 A/AA with one h1."""

from django.contrib.auth.models import Group, Permission
from django.test import Client

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from myaccount.models import Profile
from services import actions
from services.models import Case, Interaction, ServiceDefinition
from tests.browser.journeys import (
    check,
    click_and_follow,
    fill_and_continue,
    left_behind,
    publish_street_problem_page,
    serve_default_site,
)
from tests.myaccount.factories import ResidentFactory, with_two_factor

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def centre(live_server, home_page, django_user_model):
    _service, page = publish_street_problem_page(home_page)
    base = serve_default_site(live_server)
    resident = ResidentFactory(
        first_name="Amira", last_name="Khan", email="amira.khan@example.com"
    )
    Profile.objects.update_or_create(
        user=resident,
        defaults={"address_line_1": "3 High Street", "postcode": "GH1 1AA"},
    )
    group = Group.objects.get(name="Contact centre")
    group.permissions.add(Permission.objects.get(codename="open_case_on_behalf"))
    advisor = django_user_model.objects.create_user(
        "advisor",
        "advisor@guildhall.example",
        "pw-advisor-123",
        first_name="Casey",
        last_name="Advisor",
    )
    advisor.groups.add(group)
    with_two_factor(advisor)
    return {"base": base, "page": page, "advisor": advisor, "resident": resident}


def sign_in(browser, base, user):
    client = Client()
    client.force_login(user)
    browser.delete_all_cookies()
    browser.get(base + "/track-a-request/")
    for name, morsel in client.cookies.items():
        browser.add_cookie({"name": name, "value": morsel.value, "path": "/"})


def submit(form, browser):
    """Send an admin form (by script: the admin's sticky footer may cover it)."""
    button = form.find_element(By.CSS_SELECTOR, "button[type=submit]")
    browser.execute_script("arguments[0].click()", button)
    WebDriverWait(browser, 15).until(left_behind(form))


def choose(browser, form, selector):
    browser.execute_script(
        "arguments[0].click()", form.find_element(By.CSS_SELECTOR, selector)
    )


def test_search_person_log_a_call_open_a_case_and_find_it_again(browser, centre):
    base, failures = centre["base"], {}
    sign_in(browser, base, centre["advisor"])

    browser.get(base + "/admin/residents/?q=Khan")
    check(browser, "search results", failures)
    click_and_follow(browser, browser.find_element(By.LINK_TEXT, "Amira Khan"))
    assert "Calls, emails, visits and letters" in browser.page_source
    check(browser, "person page", failures)

    # Two clicks: the reason, then "Log interaction".
    form = browser.find_element(By.XPATH, "//form[input[@value='interaction']]")
    choose(browser, form, "input[name=reason]")
    submit(form, browser)
    logged = Interaction.objects.get()
    assert "Interaction logged" in browser.page_source
    check(browser, "person page, call logged", failures)
    assert logged.resident == centre["resident"] and logged.channel == "phone"

    browser.get(base + "/admin/cases/for-a-caller/")
    form = browser.find_element(By.CSS_SELECTOR, "main form")
    choose(browser, form, "input[name=page]")
    choose(browser, form, "input[name=channel][value=phone]")
    form.find_element(By.NAME, "name").send_keys("Pat Caller")
    form.find_element(By.NAME, "phone").send_keys("07700 900123")
    submit(form, browser)
    assert "You are making this request for Pat Caller" in browser.page_source
    browser.get(base + "/roads/street/start/")
    fill_and_continue(browser, radio_index=1)
    fill_and_continue(browser, {"street": "High Street", "landmark": "Bus stop"})
    fill_and_continue(browser, {"description": "Paint on the bus shelter"})
    assert "Check your answers" in browser.page_source
    assert "07700 900123" in browser.page_source
    check(browser, "check answers for a caller", failures)
    fill_and_continue(browser)
    case = Case.objects.get()
    assert case.reference in browser.page_source
    assert "quote it whenever they contact us" in browser.page_source
    check(browser, "confirmation for a caller", failures)

    browser.get(base + f"/admin/residents/?q={case.reference}")
    click_and_follow(browser, browser.find_element(By.LINK_TEXT, case.reference))
    assert "07700 900123" in browser.page_source
    check(browser, "the case found again", failures)
    browser.get(base + "/admin/cases/")
    assert case.reference in browser.page_source
    check(browser, "the advisor's cases", failures)
    assert failures == {}, failures


def test_a_guests_person_page_merge_and_undo(browser, centre):
    """Two guest reports with the same unverified email are two people until an
    advisor compares and merges them; the merge log undoes it."""
    base, failures = centre["base"], {}
    service = ServiceDefinition.objects.get(reference_prefix="STR")
    first, second = (
        actions.open_case(
            service=service,
            answers={"description": text},
            guest_email="pat.guest@example.com",
            contact_name="Pat Guest",
            uprn="100090000555",
            address="5 Mill Lane",
        )
        for text in ("Pothole", "Broken light")
    )
    assert first.contact_id != second.contact_id
    sign_in(browser, base, centre["advisor"])

    browser.get(base + f"/admin/residents/person/{first.contact_id}/")
    assert first.reference in browser.page_source
    check(browser, "a guest's person page", failures)
    link = browser.find_element(By.PARTIAL_LINK_TEXT, "Compare and merge")
    browser.execute_script("arguments[0].click()", link)
    WebDriverWait(browser, 15).until(left_behind(link))
    assert "Merge two people" in browser.page_source
    check(browser, "merge screen", failures)
    submit(browser.find_element(By.CSS_SELECTOR, "main form"), browser)
    assert "People merged" in browser.page_source
    assert second.reference in browser.page_source
    check(browser, "person page after a merge", failures)

    browser.get(base + "/admin/residents/merges/")
    check(browser, "merge log", failures)
    submit(browser.find_element(By.CSS_SELECTOR, "main form"), browser)
    assert "Merge undone" in browser.page_source
    check(browser, "merge log after an undo", failures)
    assert Case.objects.get(pk=second.pk).contact_id == second.contact_id
    assert failures == {}, failures
