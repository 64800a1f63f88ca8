"""Book a bulky waste collection end to end through the test client: items and
price from the price list, a concession the back office confirms (free or
reduced) or a card payment in the sandbox, a date on the address's round, the
confirmation, My Account, and cancelling with a refund."""

import re

from django.core import mail

import pytest

from services.blocks.transactions import STEP_FIELD, TRANSACTION_FIELD
from services.models import (
    Booking,
    BookingStatus,
    Case,
    Payment,
    PaymentStatus,
    ServiceDefinition,
)
from services.payments import actions as payments
from tests.factories.bookings import (
    make_bulky_prices,
    make_calendar,
    make_round,
    make_slot,
)
from tests.factories.services import ServiceLandingPageFactory, ServicePageFactory
from tests.services.conftest import block_id, journey

pytestmark = pytest.mark.django_db


@pytest.fixture
def bulky(home_page, waste_team):
    service = ServiceDefinition.objects.create(
        name="Bulky waste collection",
        reference_prefix="BULK",
        case_type="Bulky waste collection",
        team=waste_team,
        guest_allowed=True,
    )
    calendar = make_calendar()
    north = make_round(calendar, "Guildford", prefixes="GU1")
    slots = [make_slot(calendar, round=north, days_ahead=d, capacity=2) for d in (5, 6)]
    make_slot(calendar, round=make_round(calendar, "Woking", "GU21"), days_ahead=5)
    landing = ServiceLandingPageFactory(parent=home_page, title="Bins", slug="bins")
    page = ServicePageFactory(
        parent=landing, title="Bulky waste", slug="bulky", body=[]
    )
    page.body = [
        (
            "bulky_waste",
            {
                "service": service,
                "heading": "",
                "price_list": make_bulky_prices(),
                "calendar": calendar,
            },
        )
    ]
    page.save_revision().publish()
    page.refresh_from_db()
    page.slots = slots
    return page


def post_step(client, page, step, **data):
    payload = {
        TRANSACTION_FIELD: block_id(page, "bulky_waste"),
        STEP_FIELD: step,
        **data,
    }
    return client.post(journey(page), payload)


def walk_to_check(client, page, *, concession="no", reference="", items=None):
    post_step(client, page, "postcode", postcode="GU1 4AA")
    html = client.get(journey(page) + "?step=address").content.decode()
    uprn = re.findall(r'name="uprn" type="radio" value="(\d+)"', html)[0]
    post_step(client, page, "address", uprn=uprn)
    post_step(
        client,
        page,
        "items",
        **(items or {"sofa": "1", "fridge": "0", "mattress": "0"}),
    )
    post_step(
        client, page, "concession", has_concession=concession, reference=reference
    )
    html = client.get(journey(page) + "?step=slot").content.decode()
    slot_ids = re.findall(r'name="slot" type="radio" value="(\d+)"', html)
    assert slot_ids == [str(s.pk) for s in page.slots]  # only this round's dates
    post_step(client, page, "slot", slot=slot_ids[0])
    return post_step(client, page, "contact", email="guest@example.com", name="Sam")


def submit(client, page):
    html = client.get(journey(page) + "?step=check").content.decode()
    token = re.search(r'name="token" value="([0-9a-f-]+)"', html).group(1)
    return post_step(client, page, "check", token=token), html


def test_a_guest_pays_by_card_and_the_collection_is_booked(
    client, bulky, django_capture_on_commit_callbacks
):
    client.get(journey(bulky) + "?step=start")
    walk_to_check(client, bulky, items={"sofa": "1", "fridge": "1", "mattress": "0"})
    with django_capture_on_commit_callbacks(execute=True):
        response, check = submit(client, bulky)
    assert "£60.00" in check  # £25 + £35, from the price list
    payment = Payment.objects.get()
    assert payment.amount == 6000
    assert response.url == payment.next_url  # off to the card page
    held = Booking.objects.get()
    assert held.status == BookingStatus.HELD and held.case == payment.case
    card = client.post(
        response.url,
        {
            "card_number": "4444333322221111",
            "expiry": "12/35",
            "name": "Sam",
            "security_code": "123",
        },
    )
    with django_capture_on_commit_callbacks(execute=True):
        back = client.get(card.url)
    assert back.url.endswith("/bulky/start/?step=done")
    done = client.get(back.url).content.decode()
    assert "Collection booked" in done and payment.case.reference in done
    assert bulky.slots[0].date_label in done and "£60.00" in done
    held.refresh_from_db()
    assert held.status == BookingStatus.CONFIRMED
    texts = " ".join(payment.case.events.values_list("text", flat=True))
    assert "Paid £60.00." in texts and "Booked for" in texts
    assert any("Booked for" in m.body for m in mail.outbox)


def test_the_price_is_the_server_s_whatever_the_browser_sends(client, bulky):
    client.get(journey(bulky) + "?step=start")
    walk_to_check(client, bulky)
    post_step(client, bulky, "items", sofa="1", fridge="0", mattress="0", total="1")
    submit(client, bulky)
    assert Payment.objects.get().amount == 2500


def test_a_confirmed_concession_makes_mattresses_free_and_books_at_once(client, bulky):
    client.get(journey(bulky) + "?step=start")
    walk_to_check(
        client,
        bulky,
        concession="yes",
        reference="CTR123456",
        items={"sofa": "0", "fridge": "0", "mattress": "2"},
    )
    response, check = submit(client, bulky)
    assert "Nothing to pay" in check
    assert response.url.endswith("?step=done")
    assert not Payment.objects.exists()
    assert Booking.objects.get().status == BookingStatus.CONFIRMED
    assert "Collection booked" in client.get(response.url).content.decode()


def test_a_refused_concession_reference_is_a_clear_error(client, bulky):
    client.get(journey(bulky) + "?step=start")
    walk_to_check(client, bulky)
    page = post_step(
        client, bulky, "concession", has_concession="yes", reference="CTR123450"
    )
    assert page.status_code == 200
    assert "We could not confirm that reference" in page.content.decode()
    page = post_step(client, bulky, "concession", has_concession="yes", reference="")
    assert "Enter your reference" in page.content.decode()


def test_item_limits_are_checked(client, bulky):
    client.get(journey(bulky) + "?step=start")
    walk_to_check(client, bulky)
    html = post_step(
        client, bulky, "items", sofa="0", fridge="0", mattress="0"
    ).content.decode()
    assert "Enter how many of at least one item" in html
    html = post_step(
        client, bulky, "items", sofa="3", fridge="3", mattress="3"
    ).content.decode()
    assert "You can book up to 6 items in one collection" in html
    html = post_step(client, bulky, "items", sofa="4").content.decode()
    assert "You can book up to 3 of this item" in html


def test_a_declined_card_offers_to_pay_again_and_keeps_the_date(client, bulky):
    client.get(journey(bulky) + "?step=start")
    walk_to_check(client, bulky)
    response, _ = submit(client, bulky)
    card = client.post(
        response.url,
        {
            "card_number": "4000000000000002",
            "expiry": "12/35",
            "name": "Sam",
            "security_code": "123",
        },
    )
    done = client.get(client.get(card.url).url).content.decode()
    assert "Your card was declined" in done and "Try paying again" in done
    first = Payment.objects.get()
    again = client.post(f"/payments/{first.uuid}/retry/")
    second = Payment.objects.exclude(pk=first.pk).get()
    assert again.url == second.next_url and second.amount == first.amount
    assert Booking.objects.get().status == BookingStatus.HELD


def test_someone_else_cannot_retry_a_payment(client, bulky):
    client.get(journey(bulky) + "?step=start")
    walk_to_check(client, bulky)
    response, _ = submit(client, bulky)
    payment = Payment.objects.get()
    client.post(
        response.url,
        {
            "card_number": "4000000000000002",
            "expiry": "12/35",
            "name": "S",
            "security_code": "123",
        },
    )
    from django.test import Client

    assert Client().post(f"/payments/{payment.uuid}/retry/").status_code == 404


def test_an_address_on_no_round_is_told_so(client, bulky):
    from services.models import Round

    Round.objects.update(postcode_prefixes="KT1")
    client.get(journey(bulky) + "?step=start")
    post_step(client, bulky, "postcode", postcode="GU1 4AA")
    html = client.get(journey(bulky) + "?step=address").content.decode()
    uprn = re.findall(r'name="uprn" type="radio" value="(\d+)"', html)[0]
    stopped = post_step(client, bulky, "address", uprn=uprn)
    assert stopped.url.endswith("?step=stopped")
    assert (
        "We do not collect bulky waste from this address"
        in client.get(stopped.url).content.decode()
    )


def test_a_resident_sees_the_booking_and_receipt_and_cancels_with_a_refund(
    client, bulky, resident
):
    client.force_login(resident)
    walk_to_check(client, bulky)
    response, _ = submit(client, bulky)
    client.post(
        response.url,
        {
            "card_number": "4444333322221111",
            "expiry": "12/35",
            "name": "S",
            "security_code": "123",
        },
    )
    payments.mop_up(older_than_minutes=0)  # closed the tab after paying
    payment = Payment.objects.get()
    booking = Booking.objects.get()
    assert booking.status == BookingStatus.CONFIRMED
    listing = client.get("/account/bookings/").content.decode()
    assert bulky.slots[0].date_label in listing and "£25.00" in listing
    receipt = client.get(f"/account/payments/{payment.uuid}/").content.decode()
    assert "£25.00" in receipt and "ending 1111" in receipt
    assert client.post(f"/account/bookings/{booking.uuid}/cancel/").status_code == 302
    booking.refresh_from_db()
    payment.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert payment.refunded_amount == 2500
    texts = list(Case.objects.get().events.values_list("text", flat=True))
    assert "Refunded £25.00. Booking cancelled." in texts


def test_residents_see_only_their_own_bookings_and_receipts(
    client, bulky, resident, other_resident
):
    client.force_login(resident)
    walk_to_check(client, bulky)
    submit(client, bulky)
    payment = Payment.objects.get()
    payment.status = PaymentStatus.SUCCESS
    payment.save()
    client.force_login(other_resident)
    assert client.get(f"/account/payments/{payment.uuid}/").status_code == 404
    booking = Booking.objects.get()
    assert client.get(f"/account/bookings/{booking.uuid}/cancel/").status_code == 404
