"""Staff views of payments and bookings: the payments list, a refund with a
reason (audit-logged, over-refunds refused), a calendar's bookings with places
left and cancelling one; only staff allowed to."""

import pytest

from services import actions
from services.bookings.actions import confirm_booking, hold_slot
from services.models import Booking, BookingStatus, Payment, Refund
from services.payments import actions as payments
from tests.factories.bookings import make_calendar, make_slot

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid(bin_service, resident):
    case = actions.open_case(service=bin_service, answers={}, resident=resident)
    calendar = make_calendar()
    booking = hold_slot(slot=make_slot(calendar, capacity=3))
    payment = payments.start_payment(
        case=case,
        amount=3500,
        description="Bulky waste collection",
        purpose={"booking": str(booking.uuid)},
    )
    payment.sandbox_state = {"status": "success"}
    payment.save()
    return payments.sync_payment(payment=payment)


def test_staff_refund_part_of_a_payment_with_a_reason(client, admin_user, paid):
    client.force_login(admin_user)
    listing = client.get("/admin/payments/").content.decode()
    assert paid.reference in listing and "£35.00" in listing
    too_much = client.post(
        f"/admin/payments/{paid.pk}/", {"amount": "40.00", "reason": "Oops"}
    )
    assert "You can refund up to £35.00" in too_much.content.decode()
    done = client.post(
        f"/admin/payments/{paid.pk}/", {"amount": "10.50", "reason": "One item left"}
    )
    assert done.status_code == 302
    refund = Refund.objects.get()
    assert (refund.amount, refund.reason, refund.actor) == (
        1050,
        "One item left",
        admin_user,
    )
    assert Payment.objects.get().refundable == 2450
    assert "Refunded £10.50. One item left" in paid.case.events.values_list(
        "text", flat=True
    )


def test_a_calendar_shows_places_left_and_staff_cancel_a_booking(
    client, admin_user, paid
):
    booking = Booking.objects.get()
    calendar = booking.slot.calendar
    client.force_login(admin_user)
    page = client.get(f"/admin/bookings/{calendar.pk}/").content.decode()
    assert paid.reference in page
    assert "<td>1</td><td>3</td><td>2</td>" in page.replace("\n", "").replace(" ", "")
    client.post(
        f"/admin/bookings/{calendar.pk}/",
        {"booking": booking.pk, "reason": "Road closed."},
    )
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert any(
        "Road closed." in t for t in paid.case.events.values_list("text", flat=True)
    )


def test_staff_without_the_permission_see_neither(client, waste_officer, paid):
    client.force_login(waste_officer)
    assert client.get("/admin/payments/").status_code in (302, 403)
    assert client.get(f"/admin/payments/{paid.pk}/").status_code in (302, 403)
    calendar = Booking.objects.get().slot.calendar
    assert client.get(f"/admin/bookings/{calendar.pk}/").status_code in (302, 403)


def test_a_confirmed_booking_is_listed_once(client, admin_user, bin_service, resident):
    calendar = make_calendar(slug="other")
    case = actions.open_case(service=bin_service, answers={}, resident=resident)
    confirm_booking(booking=hold_slot(slot=make_slot(calendar)), case=case)
    client.force_login(admin_user)
    page = client.get(f"/admin/bookings/{calendar.pk}/").content.decode()
    assert page.count(case.reference) == 1
