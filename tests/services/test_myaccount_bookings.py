"""Bookings and payments in My Account: the dashboard's sections in one query
each whatever the history, the data download and erasure."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from myaccount import sources_bookings as sources
from services import actions
from services.bookings.actions import confirm_booking, hold_slot
from services.models import Booking, Payment
from services.payments import actions as payments
from tests.factories.bookings import make_calendar, make_slot

pytestmark = pytest.mark.django_db


def paid_booking(service, resident, calendar, days):
    case = actions.open_case(service=service, answers={}, resident=resident)
    booking = hold_slot(slot=make_slot(calendar, days_ahead=days))
    payment = payments.start_payment(
        case=case,
        amount=3500,
        description="Bulky waste collection",
        purpose={"booking": str(booking.uuid)},
    )
    payment.sandbox_state = {"status": "success", "last_digits": "1111"}
    payment.save()
    payments.sync_payment(payment=payment)
    return case


@pytest.mark.parametrize("count", [1, 10])
def test_bookings_and_payments_are_one_query_each_whatever_the_history(
    bin_service, resident, other_resident, count
):
    calendar = make_calendar()
    for n in range(count):
        paid_booking(bin_service, resident, calendar, days=5 + n)
    paid_booking(bin_service, other_resident, calendar, days=4)
    with CaptureQueriesContext(connection) as queries:
        booked = sources.BOOKINGS.items(user=resident, organisation_ids=[], limit=5)
        paid = sources.PAYMENTS.items(user=resident, organisation_ids=[], limit=5)
    assert len(queries) == 2
    assert len(booked) == min(count, 5) and len(paid) == min(count, 5)
    assert booked[0].title.startswith("Bulky waste collections: ")
    assert paid[0].title == "Bulky waste collection: £35.00"
    assert paid[0].url.startswith("/account/payments/")


def test_the_dashboard_shows_bookings_and_payments(
    client, bin_service, resident, home_page
):
    from myaccount.dashboard import Dashboard

    paid_booking(bin_service, resident, make_calendar(), days=6)
    kinds = {item.kind for item in Dashboard(resident).timeline}
    assert {"booking", "payment"} <= kinds


def test_export_and_erasure_keep_the_payment_without_card_details(
    bin_service, resident
):
    case = paid_booking(bin_service, resident, make_calendar(), days=6)
    Booking.objects.update(user=resident)
    assert sources.export_payments(resident)[0]["amount"] == "£35.00"
    assert sources.export_bookings(resident)[0]["reference"] == case.reference
    sources.erase_bookings(resident)
    sources.erase_payments(resident)
    payment = Payment.objects.get()
    assert payment.amount == 3500 and payment.last_digits == ""
    assert not Booking.objects.filter(user=resident).exists()


def test_confirmed_and_cancelled_only(bin_service, resident):
    calendar = make_calendar()
    case = actions.open_case(service=bin_service, answers={}, resident=resident)
    held = hold_slot(slot=make_slot(calendar))
    Booking.objects.filter(pk=held.pk).update(case=case)
    assert sources.BOOKINGS.items(user=resident, organisation_ids=[], limit=5) == []
    confirm_booking(booking=held, case=case)
    assert len(sources.BOOKINGS.items(user=resident, organisation_ids=[], limit=5)) == 1
