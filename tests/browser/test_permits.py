"""Garden waste and a resident parking permit in headless Chromium, signed in:
every step, its error state, check your answers, the sandbox card page, the
confirmation, My Account's list and renewing a permit pass axe-core WCAG 2.2
A/AA."""

import datetime

from django.test import Client
from django.utils import timezone

import pytest
from selenium.webdriver.common.by import By

from myaccount.models import Profile
from services.models import Permit, PermitKind
from tests.browser.journeys import (
    check,
    click_and_follow,
    click_submit,
    fill_and_continue,
    serve_default_site,
)
from tests.factories.services import ServiceLandingPageFactory, ServicePageFactory
from tests.services.test_permits import active_permit, make_scheme

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def permit_site(live_server, home_page, settings, django_user_model):
    from django.contrib.auth.models import Group

    team = Group.objects.create(name="Waste team")
    garden = make_scheme(
        PermitKind.GARDEN_WASTE,
        team,
        prices=[("bin", "Garden waste bin", 5200, 3)],
        year_start_month=4,
        pro_rata=True,
    )
    parking = make_scheme(
        PermitKind.RESIDENT_PARKING,
        team,
        prices=[("first", "First vehicle", 6500, 1), ("electric", "Electric", 3000, 1)],
    )
    landing = ServiceLandingPageFactory(parent=home_page, title="Area", slug="area")
    for slug, block_type, scheme in [
        ("garden", "garden_waste", garden),
        ("permit", "resident_parking_permit", parking),
    ]:
        page = ServicePageFactory(parent=landing, title=slug, slug=slug, body=[])
        page.body = [
            (block_type, {"service": scheme.service, "heading": "", "scheme": scheme})
        ]
        page.save_revision().publish()
    resident = django_user_model.objects.create_user(
        "sam", "sam@example.com", "pw-sam-12345"
    )
    Profile.objects.create(
        user=resident,
        address_line_1="9 Castle Street",
        town="Guildford",
        postcode="GU1 3UW",
        uprn="100061234567",
    )
    base = serve_default_site(live_server)
    settings.WAGTAILADMIN_BASE_URL = base
    return {"base": base, "resident": resident, "garden": garden}


def sign_in(browser, base, user):
    client = Client()
    client.force_login(user)
    browser.delete_all_cookies()
    browser.get(base + "/track-a-request/")
    for name, morsel in client.cookies.items():
        browser.add_cookie({"name": name, "value": morsel.value, "path": "/"})


def pay(browser, failures, name):
    assert "Enter card details" in browser.page_source
    check(browser, f"{name}: sandbox card page", failures)
    fill_and_continue(
        browser,
        {
            "card_number": "4444333322221111",
            "expiry": "12/35",
            "name": "Sam Resident",
            "security_code": "123",
        },
    )


def test_garden_waste_subscription_and_renewal_are_accessible(browser, permit_site):
    base, failures = permit_site["base"], {}
    sign_in(browser, base, permit_site["resident"])
    browser.get(f"{base}/area/garden/start/")  # the journey, after Start now
    assert "How many garden waste bins do you want?" in browser.page_source
    check(browser, "bins", failures)
    fill_and_continue(browser, {"bins": "9"})
    assert "You can have up to 3 garden waste bins" in browser.page_source
    check(browser, "bins error", failures)
    fill_and_continue(browser, {"bins": "2"})
    assert "Check your answers" in browser.page_source
    check(browser, "check answers", failures)
    click_submit(browser)
    pay(browser, failures, "garden waste")
    assert "Garden waste subscription confirmed" in browser.page_source
    check(browser, "confirmation", failures)
    number = Permit.objects.get().number
    assert number in browser.page_source
    old = active_permit(
        permit_site["garden"], permit_site["resident"], ends_in_days=10, uprn="2"
    )
    browser.get(f"{base}/account/bookings/")
    assert number in browser.page_source
    check(browser, "My Account permits", failures)
    click_and_follow(browser, browser.find_element(By.PARTIAL_LINK_TEXT, "Renew"))
    assert "Renew your garden waste collection" in browser.page_source
    check(browser, "renew", failures)
    click_submit(browser)
    pay(browser, failures, "renewal")
    assert "Renewed" in browser.page_source
    check(browser, "renewed", failures)
    renewed = Permit.objects.get(renewal_of=old)
    assert renewed.valid_from == old.valid_until + datetime.timedelta(days=1)
    assert failures == {}


def test_resident_parking_permit_is_accessible_at_every_step(browser, permit_site):
    base, failures = permit_site["base"], {}
    sign_in(browser, base, permit_site["resident"])
    browser.get(f"{base}/area/permit/start/")  # the journey, after Start now
    assert "the address in your account" in browser.page_source
    check(browser, "permit type", failures)
    fill_and_continue(browser)
    assert "Select the type of permit" in browser.page_source
    check(browser, "permit type error", failures)
    fill_and_continue(browser, radio_index=1)
    fill_and_continue(browser, {"registration": "NOT A REG"})
    assert "Enter a real vehicle registration number" in browser.page_source
    check(browser, "vehicle error", failures)
    fill_and_continue(browser, {"registration": "ab12cde"})
    assert "AB12 CDE" in browser.page_source and "£30.00" in browser.page_source
    check(browser, "check answers", failures)
    click_submit(browser)
    pay(browser, failures, "parking permit")
    assert "Parking permit issued" in browser.page_source
    check(browser, "confirmation", failures)
    permit = Permit.objects.get()
    assert permit.valid_until > timezone.localdate() + datetime.timedelta(days=360)
    assert failures == {}


def test_the_staff_list_of_permits_is_accessible(
    browser, permit_site, django_user_model
):
    """The admin's Permits list, its filters and an empty search: axe-core and
    one h1 each."""
    from tests.myaccount.factories import with_two_factor

    base, failures = permit_site["base"], {}
    permit = active_permit(
        permit_site["garden"], permit_site["resident"], ends_in_days=40
    )
    staff = django_user_model.objects.create_superuser(
        "root", "root@example.com", "pw-root-123"
    )
    with_two_factor(staff)
    sign_in(browser, base, staff)
    browser.get(f"{base}/admin/permits/")
    assert permit.number in browser.page_source
    check(browser, "permits list", failures)
    browser.get(f"{base}/admin/permits/?state=active&q={permit.number}")
    assert "1 permit<" in browser.page_source
    check(browser, "permits filtered", failures)
    browser.get(f"{base}/admin/permits/?q=ZZ99ZZZ")
    assert "No permits match." in browser.page_source
    check(browser, "permits none", failures)
    assert failures == {}
    browser.delete_all_cookies()
