"""Booking and payment events reach back-office systems as webhooks, through the
same outbox, signed and checked with the Standard Webhooks reference library."""

import json

from django.urls import reverse
from django.utils import timezone

import pytest
import time_machine
from standardwebhooks import Webhook

from services import actions
from services.bookings.actions import hold_slot, move_booking
from services.models import Booking, WebhookSubscription
from services.payments import actions as payments
from tests.factories.bookings import make_calendar, make_slot
from tests.services import webhook_receiver
from tests.services.test_webhooks import sweep_for


@pytest.fixture
def receiver():
    r = webhook_receiver.start()
    yield r
    r.server.shutdown()
    r.server.server_close()


def subscribe(service, receiver, events):
    sub = WebhookSubscription.objects.create(
        name="Bulky waste back office", url=receiver.url, events=events
    )
    sub.services.add(service)
    receiver.secrets = [sub.secret]
    return sub


def bodies(receiver, secret) -> list[dict]:
    return [Webhook(secret).verify(r.body, r.headers) for r in receiver.received]


@pytest.mark.django_db
def test_a_paid_booking_moved_then_cancelled_with_a_refund_sends_each_event(
    client, bin_service, resident, receiver
):
    sub = subscribe(
        bin_service,
        receiver,
        [
            "booking.confirmed",
            "booking.moved",
            "booking.cancelled",
            "payment.succeeded",
            "payment.refunded",
        ],
    )
    calendar = make_calendar()
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        case = actions.open_case(
            service=bin_service, answers={"items": "sofa"}, resident=resident
        )
        held = hold_slot(slot=make_slot(calendar, capacity=1))
        payment = payments.start_payment(
            case=case,
            amount=3500,
            description="Bulky waste collection",
            return_path="/bulky/",
            purpose={"booking": str(held.uuid)},
        )
        client.post(
            reverse("payments:sandbox_card", args=[payment.provider_id]),
            {
                "card_number": "4444 3333 2222 1111",
                "expiry": "10/39",
                "name": "Sam Resident",
                "security_code": "123",
            },
        )
        client.get(reverse("payments:return", args=[payment.uuid]))
        booking = Booking.objects.get(pk=held.pk)
        later = make_slot(calendar, days_ahead=9, capacity=1)
        move_booking(booking=booking, to_slot=later)
        payments.cancel_booking_with_refund(booking=booking, by_staff=True)
        sweep_for(traveller, minutes=1)

    received = bodies(receiver, sub.secret)
    assert len(received) == 5
    by_type = {b["type"]: b["data"] for b in received}
    assert set(by_type) == {
        "payment.succeeded",
        "booking.confirmed",
        "booking.moved",
        "booking.cancelled",
        "payment.refunded",
    }
    assert by_type["payment.succeeded"]["payment"]["amount"] == 3500
    assert by_type["payment.succeeded"]["case"]["reference"] == case.reference
    assert by_type["payment.refunded"]["payment"]["refund"] == {
        "amount": 3500,
        "reason": "Booking cancelled.",
    }
    assert by_type["booking.moved"]["booking"]["starts_at"] == (
        later.starts_at.isoformat()
    )
    assert by_type["booking.cancelled"]["booking"]["status"] == "cancelled"
    # Nothing personal leaves with the events.
    everything = json.dumps(received)
    assert "resident@example.com" not in everything
    assert "Sam Resident" not in everything


@pytest.mark.django_db
def test_a_subscription_hears_only_the_event_types_it_asked_for(
    bin_service, resident, receiver
):
    sub = subscribe(bin_service, receiver, ["booking.cancelled"])
    calendar = make_calendar()
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        case = actions.open_case(service=bin_service, answers={}, resident=resident)
        from services.bookings.actions import cancel_booking, confirm_booking

        booking = confirm_booking(
            booking=hold_slot(slot=make_slot(calendar)), case=case
        )
        cancel_booking(booking=booking, by_staff=True)
        sweep_for(traveller, minutes=1)
    assert [b["type"] for b in bodies(receiver, sub.secret)] == ["booking.cancelled"]
