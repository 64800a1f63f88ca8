"""Garden waste subscriptions and resident parking permits end to end through
the test client with the sandbox provider: the price and period from the
scheme (pro rata or not), payment, the permit number, My Account, the renewal
reminder (once, whatever reruns) and renewing from its link."""

import datetime
import re

from django.core import mail
from django.utils import timezone

import pytest
import time_machine

from myaccount.models import Profile
from services.blocks.transactions import STEP_FIELD, TRANSACTION_FIELD
from services.models import (
    OutboxEvent,
    Payment,
    Permit,
    PermitKind,
    PermitScheme,
    PermitStatus,
    PriceItem,
    PriceList,
    ServiceDefinition,
)
from services.permits import actions as permits
from tests.factories.services import ServiceLandingPageFactory, ServicePageFactory
from tests.services.conftest import block_id, journey

pytestmark = pytest.mark.django_db

# 1 December 2026: four months (December to March) left of the April year.
DECEMBER = datetime.datetime(2026, 12, 1, 10, tzinfo=datetime.UTC)


def make_scheme(kind, team, *, prices, **kwargs) -> PermitScheme:
    service = ServiceDefinition.objects.create(
        name=f"{kind} service",
        reference_prefix="GDN" if kind == PermitKind.GARDEN_WASTE else "RPP",
        case_type=kind,
        team=team,
        guest_allowed=False,
    )
    price_list = PriceList.objects.create(name=kind, slug=kind)
    for order, (code, name, price, most) in enumerate(prices):
        PriceItem.objects.create(
            price_list=price_list,
            code=code,
            name=name,
            price=price,
            max_quantity=most,
            sort_order=order,
        )
    return PermitScheme.objects.create(
        name="Garden waste collection"
        if kind == PermitKind.GARDEN_WASTE
        else "Resident parking permit",
        slug=kind,
        kind=kind,
        service=service,
        price_list=price_list,
        number_prefix="GW" if kind == PermitKind.GARDEN_WASTE else "RP",
        **kwargs,
    )


@pytest.fixture
def garden(waste_team):
    return make_scheme(
        PermitKind.GARDEN_WASTE,
        waste_team,
        prices=[("bin", "Garden waste bin", 5200, 3)],
        year_start_month=4,
        pro_rata=True,
    )


@pytest.fixture
def parking(waste_team):
    return make_scheme(
        PermitKind.RESIDENT_PARKING,
        waste_team,
        prices=[("first", "First vehicle", 6500, 1), ("electric", "Electric", 3000, 1)],
        postcode_prefixes="GU1 3",
    )


@pytest.fixture
def housed(resident):
    Profile.objects.create(
        user=resident,
        address_line_1="9 Castle Street",
        town="Guildford",
        postcode="GU1 3UW",
        uprn="100061234567",
    )
    return resident


def page_with(home_page, block_type, scheme, slug):
    landing = ServiceLandingPageFactory(parent=home_page, title="Area", slug="area")
    page = ServicePageFactory(parent=landing, title=slug, slug=slug, body=[])
    page.body = [
        (block_type, {"service": scheme.service, "heading": "", "scheme": scheme})
    ]
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def post(client, page, block_type, step, **data):
    return client.post(
        journey(page),
        {TRANSACTION_FIELD: block_id(page, block_type), STEP_FIELD: step, **data},
    )


def submit(client, page, block_type):
    html = client.get(journey(page) + "?step=check").content.decode()
    token = re.search(r'name="token" value="([0-9a-f-]+)"', html).group(1)
    return post(client, page, block_type, "check", token=token), html


def pay(client, next_url, number="4444333322221111"):
    card = client.post(
        next_url,
        {
            "card_number": number,
            "expiry": "12/35",
            "name": "Sam",
            "security_code": "123",
        },
    )
    return client.get(card.url)


def test_the_price_is_pro_rata_for_the_months_left_of_a_fixed_year(garden):
    december = permits.quote(
        scheme=garden, item_code="bin", quantity=2, start=datetime.date(2026, 12, 1)
    )
    assert december.amount == 3467  # 2 x £52 x 4/12
    assert (december.valid_from, december.valid_until) == (
        datetime.date(2026, 12, 1),
        datetime.date(2027, 3, 31),
    )
    garden.pro_rata = False
    garden.save()
    whole = permits.quote(
        scheme=garden, item_code="bin", quantity=2, start=datetime.date(2026, 12, 1)
    )
    assert whole.amount == 10400 and whole.valid_until == datetime.date(2027, 3, 31)


@time_machine.travel(DECEMBER, tick=False)
def test_a_resident_subscribes_to_garden_waste_pays_and_gets_a_permit_number(
    client, home_page, garden, housed, django_capture_on_commit_callbacks
):
    page = page_with(home_page, "garden_waste", garden, "garden")
    assert "You need to sign in" in client.get(page.url).content.decode()
    client.force_login(housed)
    html = client.get(journey(page)).content.decode()
    assert "How many garden waste bins do you want?" in html  # address prefilled
    error = post(client, page, "garden_waste", "bins", bins="9")
    assert "You can have up to 3 garden waste bins" in error.content.decode()
    post(client, page, "garden_waste", "bins", bins="2")
    with django_capture_on_commit_callbacks(execute=True):
        response, check = submit(client, page, "garden_waste")
    assert "£34.67 (4 months of £104.00 a year)" in check
    assert "1 December 2026 to 31 March 2027" in check
    permit = Permit.objects.get()
    assert permit.status == PermitStatus.PENDING and permit.number == ""
    assert Payment.objects.get().amount == 3467
    with django_capture_on_commit_callbacks(execute=True):
        back = pay(client, response.url)
    done = client.get(back.url).content.decode()
    permit.refresh_from_db()
    assert permit.status == PermitStatus.ACTIVE and permit.number == "GW-000001"
    assert "Garden waste subscription confirmed" in done and "GW-000001" in done
    assert any("GW-000001 is active" in m.body for m in mail.outbox)
    mine = client.get("/account/bookings/").content.decode()
    assert "GW-000001" in mine and "Garden waste, 2 bins" in mine
    # The same address cannot subscribe twice for the year.
    client.get(journey(page))
    again = post(client, page, "garden_waste", "bins", bins="1")
    assert (
        "already has a garden waste subscription"
        in client.get(again.url).content.decode()
    )


@time_machine.travel(DECEMBER, tick=False)
def test_a_declined_card_leaves_the_subscription_unpaid_and_without_a_number(
    client, home_page, garden, housed, django_capture_on_commit_callbacks
):
    page = page_with(home_page, "garden_waste", garden, "garden")
    client.force_login(housed)
    client.get(journey(page))
    post(client, page, "garden_waste", "bins", bins="1")
    response, _ = submit(client, page, "garden_waste")
    back = pay(client, response.url, "4000000000000002")
    done = client.get(back.url).content.decode()
    assert "Your payment was not taken" in done and "Try paying again" in done
    assert Permit.objects.get().number == ""


def test_a_parking_permit_checks_the_registration_and_prices_by_type(
    client, home_page, parking, housed, django_capture_on_commit_callbacks
):
    page = page_with(home_page, "resident_parking_permit", parking, "permit")
    client.force_login(housed)
    html = client.get(journey(page)).content.decode()
    assert "9 Castle Street, Guildford, GU1 3UW, the address in your account" in html
    post(client, page, "resident_parking_permit", "type", permit_type="electric")
    bad = post(client, page, "resident_parking_permit", "vehicle", registration="12")
    assert "Enter a real vehicle registration number" in bad.content.decode()
    post(client, page, "resident_parking_permit", "vehicle", registration="ab12 cde")
    with django_capture_on_commit_callbacks(execute=True):
        response, check = submit(client, page, "resident_parking_permit")
    assert "AB12 CDE" in check and "£30.00" in check
    with django_capture_on_commit_callbacks(execute=True):
        back = pay(client, response.url)
    done = client.get(back.url).content.decode()
    permit = Permit.objects.get()
    assert permit.number == "RP-000001" and permit.vehicle_registration == "AB12CDE"
    assert "Parking permit issued" in done
    today = timezone.localdate()
    assert permit.valid_until == today.replace(
        year=today.year + 1
    ) - datetime.timedelta(days=1)
    # The same vehicle cannot have two permits at once.
    client.get(journey(page))
    post(client, page, "resident_parking_permit", "type", permit_type="first")
    again = post(
        client, page, "resident_parking_permit", "vehicle", registration="AB12CDE"
    )
    assert "AB12 CDE already has a permit (RP-000001)" in again.content.decode()


def test_an_address_outside_the_zones_gets_no_parking_permit(
    client, home_page, parking, housed
):
    parking.postcode_prefixes = "GU2"
    parking.save()
    page = page_with(home_page, "resident_parking_permit", parking, "permit")
    client.force_login(housed)
    client.get(journey(page))
    stop = post(client, page, "resident_parking_permit", "type", permit_type="first")
    assert "not in a residents" in client.get(stop.url).content.decode()
    assert not Permit.objects.exists()


def active_permit(scheme, user, *, ends_in_days, uprn="100061234567"):
    from services import actions

    case = actions.open_case(
        service=scheme.service, answers={}, resident=user, summary="Garden"
    )
    today = timezone.localdate()
    quoted = permits.Quote(
        amount=5200,
        valid_from=today - datetime.timedelta(days=300),
        valid_until=today + datetime.timedelta(days=ends_in_days),
        item_code="bin",
        item_name="Garden waste bin",
        quantity=1,
        full_price=5200,
        months=12,
    )
    permit = permits.create_permit(
        scheme=scheme,
        case=case,
        user=user,
        quoted=quoted,
        address="9 Castle St",
        uprn=uprn,
    )
    return permits.activate_permit(permit=permit)


def test_the_renewal_reminder_is_sent_once_in_its_window(
    garden, housed, django_capture_on_commit_callbacks
):
    due = active_permit(garden, housed, ends_in_days=20)
    active_permit(garden, housed, ends_in_days=90, uprn="100061234568")
    with django_capture_on_commit_callbacks(execute=True):
        assert permits.send_renewal_reminders() == 1
        assert permits.send_renewal_reminders() == 0  # a rerun sends nothing
    reminders = [m for m in mail.outbox if m.subject.startswith("Time to renew")]
    assert len(reminders) == 1
    assert f"/account/permits/{due.uuid}/renew/" in reminders[0].body
    assert OutboxEvent.objects.filter(topic="permit.renewal_due").count() == 1


@time_machine.travel(
    datetime.datetime(2027, 3, 11, 10, tzinfo=datetime.UTC), tick=False
)
def test_a_resident_renews_from_the_reminder_link_for_the_next_whole_year(
    client, garden, housed, django_capture_on_commit_callbacks, django_user_model
):
    old = active_permit(garden, housed, ends_in_days=20)
    url = f"/account/permits/{old.uuid}/renew/"
    stranger = django_user_model.objects.create_user("x", "x@example.com", "pw-x-123")
    client.force_login(stranger)
    assert client.get(url).status_code == 404  # only the holder's own permit
    client.force_login(housed)
    mine = client.get("/account/bookings/").content.decode()
    assert url in mine  # "Renew" in My Account
    page = client.get(url).content.decode()
    assert "£52.00" in page  # a whole year, whatever the pro rata rule
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
        back = pay(client, response.url)
    assert back.url.startswith(url)
    renewed = Permit.objects.get(renewal_of=old)
    assert renewed.status == PermitStatus.ACTIVE and renewed.number == "GW-000002"
    assert renewed.valid_from == old.valid_until + datetime.timedelta(days=1)
    assert "Renewed" in client.get(back.url).content.decode()
    assert url not in client.get("/account/bookings/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert permits.send_renewal_reminders() == 0  # renewed: no reminder


def test_my_account_lists_permits_in_constant_queries(client, garden, housed):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(housed)
    client.get("/account/bookings/")  # caches warmed (site, permissions)
    counts = []
    for n in (2, 20):
        for i in range(n - Permit.objects.count()):
            active_permit(garden, housed, ends_in_days=10 + i, uprn=f"9{i:05d}")
        with CaptureQueriesContext(connection) as ctx:
            client.get("/account/bookings/")
        counts.append(len(ctx))
    assert counts[0] == counts[1]


def test_a_permit_paid_through_govuk_pay_gets_its_number_once_from_webhook_and_return(
    client, garden, housed, settings, django_capture_on_commit_callbacks
):
    """Recorded GOV.UK Pay responses: the verified webhook and the return, in
    that order, give one permit number and one "Paid" line."""
    import hashlib
    import hmac
    import json

    from django.urls import reverse

    import responses

    from services import actions
    from services.payments import actions as payments
    from tests.services.test_payments import PAY_ID, PAY_URL, SECRET, recorded

    settings.PAYMENT_PROVIDER = "govuk_pay"
    settings.GOVUK_PAY_API_URL = PAY_URL
    settings.GOVUK_PAY_API_KEY = "api_test_key"
    settings.GOVUK_PAY_WEBHOOK_SECRET = SECRET
    case = actions.open_case(
        service=garden.service, answers={}, resident=housed, summary="Garden"
    )
    quoted = permits.quote(
        scheme=garden, item_code="bin", start=datetime.date(2026, 4, 1)
    )
    quoted = permits.Quote(**{**quoted.__dict__, "amount": 3500})  # the recording's
    permit = permits.create_permit(
        scheme=garden, case=case, user=housed, quoted=quoted, address="9 Castle St"
    )
    with responses.RequestsMock() as mocked:
        mocked.post(
            f"{PAY_URL}/v1/payments", json=recorded("create_201.json"), status=201
        )
        payment = payments.start_payment(
            case=case,
            amount=3500,
            description="Garden waste",
            return_path="/garden/",
            purpose={"permit": str(permit.uuid)},
        )
    body = json.dumps(recorded("webhook_succeeded.json")).encode()
    signature = hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    with django_capture_on_commit_callbacks(execute=True):
        hook = client.post(
            reverse("payments:webhook"),
            data=body,
            content_type="application/json",
            HTTP_PAY_SIGNATURE=signature,
        )
    assert hook.status_code == 200
    permit.refresh_from_db()
    assert permit.status == PermitStatus.ACTIVE and permit.number == "GW-000001"
    with responses.RequestsMock() as mocked:
        mocked.get(f"{PAY_URL}/v1/payments/{PAY_ID}", json=recorded("get_success.json"))
        client.get(reverse("payments:return", args=[payment.uuid]))
    permit.refresh_from_db()
    assert permit.number == "GW-000001"
    texts = list(case.events.values_list("text", flat=True))
    assert texts.count("Paid £35.00.") == 1
    assert sum("GW-000001 is active" in t for t in texts) == 1


def test_a_resident_who_closes_the_tab_after_paying_still_gets_the_permit(
    garden, housed, django_capture_on_commit_callbacks
):
    """The mop-up finds the paid payment nobody came back from and issues the
    permit: none paid and left without a number."""
    from services import actions
    from services.payments import actions as payments

    case = actions.open_case(service=garden.service, answers={}, resident=housed)
    quoted = permits.quote(scheme=garden, item_code="bin")
    permit = permits.create_permit(
        scheme=garden, case=case, user=housed, quoted=quoted, address="9 Castle St"
    )
    payment = payments.start_payment(
        case=case,
        amount=permit.amount,
        description="Garden waste",
        purpose={"permit": str(permit.uuid)},
    )
    payment.sandbox_state = {"status": "success"}  # paid on the card page, tab shut
    payment.save()
    with django_capture_on_commit_callbacks(execute=True):
        counts = payments.mop_up(older_than_minutes=0)
    assert counts["paid"] == 1
    permit.refresh_from_db()
    assert permit.status == PermitStatus.ACTIVE and permit.number == "GW-000001"
    assert not Payment.objects.filter(
        status="success", fulfilled_at__isnull=True
    ).exists()
