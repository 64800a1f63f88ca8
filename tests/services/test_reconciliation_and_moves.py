"""Staff move a booking to another slot (capacity enforced under the same lock,
the resident told) and reconcile payments: by day and service, paid but not
booked, booked but not paid, and the provider's state against ours; only staff
allowed to, in constant queries."""

from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from services import actions
from services.bookings.actions import confirm_booking, hold_slot
from services.models import Booking, BookingStatus, Payment, PaymentStatus
from services.payments import actions as payments
from tests.factories.bookings import make_calendar, make_slot

pytestmark = pytest.mark.django_db


def paid_booking(service, resident, slot, *, amount=3500, status="success"):
    case = actions.open_case(service=service, answers={}, resident=resident)
    booking = hold_slot(slot=slot)
    payment = payments.start_payment(
        case=case,
        amount=amount,
        description="Bulky waste collection",
        purpose={"booking": str(booking.uuid)},
    )
    payment.sandbox_state = {"status": status}
    payment.save()
    payments.sync_payment(payment=payment)
    return Booking.objects.get(pk=booking.pk), Payment.objects.get(pk=payment.pk)


def test_staff_move_a_booking_and_the_resident_is_told(
    client, admin_user, bin_service, resident, django_capture_on_commit_callbacks
):
    calendar = make_calendar()
    first = make_slot(calendar, days_ahead=5, capacity=2)
    full = make_slot(calendar, days_ahead=6, capacity=1)
    later = make_slot(calendar, days_ahead=7, capacity=1)
    booking, _ = paid_booking(bin_service, resident, first)
    confirm_booking(booking=hold_slot(slot=full), case=booking.case)
    url = f"/admin/bookings/{calendar.pk}/move/{booking.pk}/"
    client.force_login(resident)
    assert client.get(url).status_code in (302, 403)  # not staff
    client.force_login(admin_user)
    page = client.get(url).content.decode()
    assert later.date_label in page and full.date_label not in page  # full: not offered
    refused = client.post(url, {"slot": str(full.pk)})
    assert "no longer available" in refused.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        moved = client.post(url, {"slot": str(later.pk)})
    assert moved.status_code == 302
    booking.refresh_from_db()
    assert booking.slot == later and booking.status == BookingStatus.CONFIRMED
    assert any("Booking moved to" in m.body for m in mail.outbox)
    assert later.bookings.live().count() == 1


def test_reconciliation_shows_days_and_what_does_not_match(
    client, admin_user, bin_service, resident
):
    calendar = make_calendar()
    slot = make_slot(calendar, capacity=5)
    paid_booking(bin_service, resident, slot)
    # Paid, but its booking was cancelled by hand without a refund.
    lost, lost_payment = paid_booking(bin_service, resident, slot, amount=1200)
    Booking.objects.filter(pk=lost.pk).update(status=BookingStatus.CANCELLED)
    # Confirmed without the payment its case was charged going through.
    unpaid, unpaid_payment = paid_booking(bin_service, resident, slot, status="failed")
    confirm_booking(booking=unpaid, case=unpaid_payment.case)
    # Our record says in progress; the sandbox provider says success.
    drift = Payment.objects.filter(pk=unpaid_payment.pk)
    client.force_login(admin_user)
    html = client.get("/admin/payments/reconciliation/").content.decode()
    assert "£47.00" in html  # £35 + £12 paid today for the bin service
    assert "Paid but not booked or issued (1)" in html
    assert lost_payment.provider_id in html
    assert "Booked but not paid (1)" in html
    assert unpaid_payment.case.reference in html
    drift.update(status=PaymentStatus.STARTED)
    checked = client.get("/admin/payments/reconciliation/?check=1").content.decode()
    assert "3 payments checked" in checked and "1 differ" in checked
    assert "started, £35.00" in checked and "failed, 3500p" in checked


def test_reconciliation_is_for_payment_staff_in_constant_queries(
    client, admin_user, bin_service, resident, django_user_model
):
    client.force_login(django_user_model.objects.create_user("p", "p@x.org", "pw-p-1"))
    assert client.get("/admin/payments/reconciliation/").status_code in (302, 403)
    client.force_login(admin_user)
    calendar = make_calendar()
    counts = []
    for n in (2, 20):
        for _ in range(n - Payment.objects.count()):
            paid_booking(bin_service, resident, make_slot(calendar, capacity=1))
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/admin/payments/reconciliation/").status_code == 200
        counts.append(len(ctx))
    assert counts[0] == counts[1]


def test_the_provider_check_reads_govuk_pay_recorded_state(
    client, admin_user, bin_service, resident, settings
):
    """Recorded GOV.UK Pay response: our record says started, GOV.UK Pay says
    success; the reconciliation lists the difference."""
    import responses

    from tests.services.test_payments import PAY_ID, PAY_URL, recorded

    settings.GOVUK_PAY_API_URL = PAY_URL
    settings.GOVUK_PAY_API_KEY = "api_test_key"
    case = actions.open_case(service=bin_service, answers={}, resident=resident)
    Payment.objects.create(
        case=case,
        amount=3500,
        description="Bulky waste",
        reference=case.reference,
        provider="govuk_pay",
        provider_id=PAY_ID,
        status=PaymentStatus.STARTED,
    )
    client.force_login(admin_user)
    with responses.RequestsMock() as mocked:
        mocked.get(f"{PAY_URL}/v1/payments/{PAY_ID}", json=recorded("get_success.json"))
        html = client.get("/admin/payments/reconciliation/?check=1").content.decode()
    assert "1 payment checked" in html and "1 differ" in html
    assert "started, £35.00" in html and "success, 3500p" in html
    with responses.RequestsMock() as mocked:
        mocked.get(f"{PAY_URL}/v1/payments/{PAY_ID}", status=503)
        html = client.get("/admin/payments/reconciliation/?check=1").content.decode()
    assert "1 could not be reached" in html
