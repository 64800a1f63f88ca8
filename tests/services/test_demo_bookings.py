"""The demo's bookings: the first demo resident with an address sees, in My
Account, a past collection, an upcoming one and a payment that was refunded;
building it again adds nothing."""

import re

import pytest

from myaccount.models import Profile
from services.demo_bookings import create_demo_bookings, ensure_bulky
from services.models import Booking, BookingStatus, Payment

pytestmark = pytest.mark.django_db


def test_the_demo_resident_has_a_past_booking_an_upcoming_one_and_a_refund(
    client, resident, waste_team
):
    Profile.objects.create(
        user=resident,
        address_line_1="1 Market Street",
        town="Guildhall",
        postcode="GH1 1AA",
        uprn="100000000001",
    )
    found = ensure_bulky(waste_team)
    assert create_demo_bookings(found) == 3
    client.force_login(resident)
    html = client.get("/account/bookings/").content.decode()
    sections = re.split(r"<h2[^>]*>", html)
    upcoming = next(s for s in sections if s.startswith("Upcoming bookings"))
    past = next(s for s in sections if s.startswith("Past bookings"))
    paid = next(s for s in sections if s.startswith("Payments"))
    assert "Bulky waste collections" in upcoming and "Cancel" in upcoming
    assert "Bulky waste collections:" in past
    assert "Refunded" in paid
    refunded = Payment.objects.get(case__resident=resident, refunded_amount__gt=0)
    assert refunded.refunded_amount == refunded.amount == 1500
    assert Booking.objects.filter(
        case=refunded.case, status=BookingStatus.CANCELLED
    ).exists()
    assert create_demo_bookings(found) == 0  # once only
    assert Payment.objects.filter(case__resident=resident).count() == 2
