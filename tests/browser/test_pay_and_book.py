"""Bulky waste in headless Chromium as a guest: every step, the item and card
errors, check your answers, the sandbox card page, 3-D Secure, a declined card
and the confirmation pass axe-core WCAG 2.2 A/AA; then the concession route at
the reduced price."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from services.models import Booking, Payment
from tests.browser.journeys import (
    check,
    fill_and_continue,
    left_behind,
    publish_service_page,
    serve_default_site,
)
from tests.factories.bookings import (
    make_bulky_prices,
    make_calendar,
    make_round,
    make_slot,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def bulky_site(live_server, home_page, settings):
    calendar = make_calendar()
    north = make_round(calendar, "North", prefixes="GU1")
    for days in (5, 6, 8):
        make_slot(calendar, round=north, days_ahead=days, capacity=3)
    prices = make_bulky_prices()
    publish_service_page(
        home_page,
        team="Waste team",
        service={
            "name": "Bulky waste collection",
            "reference_prefix": "BULK",
            "case_type": "Bulky waste collection",
            "sla_days": 15,
        },
        landing=("Bins", "bins"),
        page=("Bulky waste collection", "bulky"),
        block=lambda service: (
            "bulky_waste",
            {
                "service": service,
                "heading": "",
                "price_list": prices,
                "calendar": calendar,
            },
        ),
    )
    base = serve_default_site(live_server)
    settings.WAGTAILADMIN_BASE_URL = base  # the sandbox's card page and return URL
    return base, f"{base}/bins/bulky/"


def submit_form(browser, selector="main form"):
    form = browser.find_element(By.CSS_SELECTOR, selector)
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    WebDriverWait(browser, 15).until(left_behind(form))


def walk_to_check(browser, url, failures, *, concession=False):
    browser.delete_all_cookies()
    browser.get(url)
    browser.find_element(By.LINK_TEXT, "Start now").click()
    fill_and_continue(browser, {"postcode": "GU1 4AA"})
    fill_and_continue(browser, radio_index=0)
    assert "What do you want us to collect?" in browser.page_source
    check(browser, "items", failures)
    fill_and_continue(browser)
    assert "Enter how many of at least one item" in browser.page_source
    check(browser, "items error", failures)
    fill_and_continue(browser, {"sofa": "1", "mattress": "1"})
    assert "Do you get council tax reduction" in browser.page_source
    check(browser, "concession", failures)
    if concession:
        fill_and_continue(browser, {"reference": "CTR123456"}, radio_index=0)
    else:
        fill_and_continue(browser, radio_index=1)
    assert "Choose a collection date" in browser.page_source
    check(browser, "slot", failures)
    fill_and_continue(browser, radio_index=0)
    fill_and_continue(browser, {"email": "guest@example.com"})
    assert "Check your answers" in browser.page_source
    check(browser, "check answers", failures)


def card(browser, number):
    fill_and_continue(
        browser,
        {
            "card_number": number,
            "expiry": "12/35",
            "name": "Sam Guest",
            "security_code": "123",
        },
    )


def test_bulky_waste_paid_by_card_is_accessible_at_every_step(browser, bulky_site):
    _base, url = bulky_site
    failures = {}
    walk_to_check(browser, url, failures)
    assert "£40.00" in browser.page_source  # £25 sofa + £15 mattress
    submit_form(browser)
    assert "Enter card details" in browser.page_source
    check(browser, "sandbox card page", failures)
    submit_form(browser, "main form[novalidate]")
    assert "There is a problem" in browser.page_source
    check(browser, "sandbox card page error", failures)
    card(browser, "4000000000000002")
    assert "Your card was declined" in browser.page_source
    check(browser, "declined", failures)
    submit_form(browser)  # Try paying again
    card(browser, "4000000000003220")
    assert "Confirm your payment with your bank" in browser.page_source
    check(browser, "3-D Secure", failures)
    submit_form(browser)
    assert "Collection booked" in browser.page_source
    check(browser, "confirmation", failures)
    assert failures == {}
    assert Booking.objects.get().status == "confirmed"
    assert list(Payment.objects.values_list("status", flat=True).order_by("pk")) == [
        "failed",
        "success",
    ]


def test_bulky_waste_with_a_concession_pays_the_reduced_price(browser, bulky_site):
    _base, url = bulky_site
    failures = {}
    walk_to_check(browser, url, failures, concession=True)
    assert "£10.00" in browser.page_source  # £10 sofa + free mattress
    submit_form(browser)
    assert "Enter card details" in browser.page_source
    card(browser, "4444333322221111")
    assert "Collection booked" in browser.page_source
    check(browser, "confirmation (concession)", failures)
    assert failures == {}


@pytest.fixture
def registrar_site(live_server, home_page):
    calendar = make_calendar(name="Registrar appointments", slug="registrar")
    for days in (3, 4):
        make_slot(
            calendar,
            days_ahead=days,
            hour=10,
            kind="Register a birth",
            location="Town hall",
            capacity=1,
        )
    publish_service_page(
        home_page,
        team="Register office",
        service={
            "name": "Registrar appointments",
            "reference_prefix": "REG",
            "case_type": "Registrar appointment",
            "sla_days": 30,
        },
        landing=("Register office", "register"),
        page=("Register a birth", "birth"),
        block=lambda service: (
            "registrar_appointment",
            {"service": service, "heading": "", "calendar": calendar},
        ),
    )
    base = serve_default_site(live_server)
    return base, f"{base}/register/birth/"


def test_registrar_appointment_is_accessible_at_every_step(browser, registrar_site):
    _base, url = registrar_site
    failures = {}
    browser.delete_all_cookies()
    browser.get(url)
    browser.find_element(By.LINK_TEXT, "Start now").click()
    check(browser, "appointment type", failures)
    fill_and_continue(browser)
    assert "Select what the appointment is for" in browser.page_source
    check(browser, "appointment type error", failures)
    fill_and_continue(browser, radio_index=0)
    check(browser, "office", failures)
    fill_and_continue(browser, radio_index=0)
    assert "Choose a time" in browser.page_source
    check(browser, "time", failures)
    fill_and_continue(browser, radio_index=0)
    check(browser, "details", failures)
    fill_and_continue(browser, {"name": "Baby Example"})
    fill_and_continue(browser, {"email": "parent@example.com"})
    assert "Check your answers" in browser.page_source
    check(browser, "check answers", failures)
    submit_form(browser)
    assert "Appointment booked" in browser.page_source
    check(browser, "confirmation", failures)
    assert failures == {}
    assert Booking.objects.get().status == "confirmed"
