"""Statutory deadlines on the staff case page, in headless Chromium: a complaint
escalated to stage 2, and an FOI request's clock stopped for clarification and
restarted on the reply. Every staff page on the way passes axe-core WCAG 2.2 A/AA
with one h1."""

import datetime

from django.contrib.auth.models import Group
from django.test import Client

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from services import actions
from services.deadlines import add_working_days
from services.enums import CaseStatus
from services.models import ServiceDefinition
from tests.browser.journeys import check, left_behind, serve_default_site
from tests.myaccount.factories import with_two_factor

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def officer(live_server, home_page, django_user_model):
    team = Group.objects.create(name="Information governance team")
    user = django_user_model.objects.create_user(
        "ig", "ig@example.com", "pw-ig-12345", first_name="Ira", last_name="Gov"
    )
    user.groups.add(team, Group.objects.get(name="Editors"))
    with_two_factor(user)
    return {"user": user, "team": team, "base": serve_default_site(live_server)}


def open_request(team, rule, prefix, name):
    service = ServiceDefinition.objects.create(
        name=name,
        reference_prefix=prefix,
        case_type=name,
        team=team,
        guest_allowed=True,
        deadline_rule=rule,
    )
    return actions.open_case(
        service=service,
        answers={"What is it about?": "Pothole repair costs"},
        guest_email="requester@example.com",
    )


def sign_in(browser, base, user):
    client = Client()
    client.force_login(user)
    browser.delete_all_cookies()
    browser.get(base + "/track-a-request/")
    for name, morsel in client.cookies.items():
        browser.add_cookie({"name": name, "value": morsel.value, "path": "/"})


def act(browser, action, text):
    """Fill in one deadline action's text and send it (by script: the admin's
    sticky footer may cover the button)."""
    form = browser.find_element(By.XPATH, f"//form[input[@value='{action}']]")
    form.find_element(By.NAME, f"{action}-text").send_keys(text)
    button = form.find_element(By.CSS_SELECTOR, "button[type=submit]")
    browser.execute_script("arguments[0].click()", button)
    WebDriverWait(browser, 15).until(left_behind(form))


def test_staff_escalate_a_complaint_to_stage_2(browser, officer):
    base, failures = officer["base"], {}
    case = open_request(officer["team"], "complaint", "CMP", "Complaint")
    sign_in(browser, base, officer["user"])
    browser.get(base + f"/admin/cases/{case.pk}/")
    assert "Stage 1" in browser.page_source
    assert "Escalate to stage 2" in browser.page_source
    check(browser, "complaint at stage 1", failures)

    act(browser, "escalate", "The resident is not satisfied with the reply")
    case.refresh_from_db()
    assert case.stage == 2
    assert case.due_date == add_working_days(datetime.date.today(), 20)
    assert "Stage 2" in browser.page_source
    assert not browser.find_elements(By.XPATH, "//form[input[@value='escalate']]")
    check(browser, "complaint escalated to stage 2", failures)
    assert failures == {}, failures


def test_staff_stop_an_foi_clock_and_restart_it(browser, officer):
    base, failures = officer["base"], {}
    case = open_request(officer["team"], "foi", "FOI", "Freedom of information")
    sign_in(browser, base, officer["user"])
    browser.get(base + f"/admin/cases/{case.pk}/")
    check(browser, "FOI request", failures)

    act(browser, "clarify", "Which years do you mean?")
    case.refresh_from_db()
    assert case.clock_stopped_on == datetime.date.today() and case.due_date is None
    assert case.status == CaseStatus.AWAITING_INFO
    assert "Clock stopped on" in browser.page_source
    assert "Record the requester" in browser.page_source
    check(browser, "FOI clock stopped", failures)

    act(browser, "clarified", "2025 and 2026")
    case.refresh_from_db()
    assert case.clock_stopped_on is None
    assert case.due_date == add_working_days(datetime.date.today(), 20)
    assert case.status == CaseStatus.IN_PROGRESS
    assert "Clock stopped on" not in browser.page_source
    check(browser, "FOI clock restarted", failures)
    assert failures == {}, failures
