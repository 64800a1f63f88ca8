"""Staff move a booking to another slot (capacity enforced under the same lock,
the resident told) and reconcile payments: by day and service, paid but not
booked, booked but not paid, and the provider's state against ours; only staff
allowed to, in constant queries."""

import datetime

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
    assert "3 payments checked" in checked and "(1 request)" in checked
    assert "1 differ" in checked
    assert "started, £35.00" in checked and "failed, 3500p" in checked


def test_reconciliation_is_for_payment_staff_in_constant_queries(
    client, admin_user, bin_service, resident, django_user_model
):
    client.force_login(django_user_model.objects.create_user("p", "p@x.org", "pw-p-1"))
    assert client.get("/admin/payments/reconciliation/").status_code in (302, 403)
    client.force_login(admin_user)
    client.get("/admin/payments/reconciliation/?check=1")  # caches warmed
    calendar = make_calendar()
    counts = []
    for n in (2, 20):
        for _ in range(n - Payment.objects.count()):
            paid_booking(bin_service, resident, make_slot(calendar, capacity=1))
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/admin/payments/reconciliation/").status_code == 200
        with CaptureQueriesContext(connection) as checked:
            page = client.get("/admin/payments/reconciliation/?check=1")
        assert f"{n} payments checked" in page.content.decode()
        counts.append((len(ctx), len(checked)))
    assert counts[0] == counts[1]


def pay_payment(case, provider_id, *, amount=3500, status=PaymentStatus.SUCCESS):
    return Payment(
        case=case,
        amount=amount,
        description="Bulky waste",
        reference=case.reference,
        provider="govuk_pay",
        provider_id=provider_id,
        status=status,
        created_at=datetime.datetime(2026, 12, 6, 10, 14, tzinfo=datetime.UTC),
    )


@pytest.fixture
def govuk_pay(settings):
    from tests.services.test_payments import PAY_URL

    settings.GOVUK_PAY_API_URL = PAY_URL
    settings.GOVUK_PAY_API_KEY = "api_test_key"


ON_THE_DAY = "/admin/payments/reconciliation/?start=2026-12-06&end=2026-12-06&check=1"


def test_the_provider_check_reads_govuk_pays_search(
    client, admin_user, bin_service, resident, govuk_pay, monkeypatch
):
    """Recorded GOV.UK Pay search, two pages of two: our record says started
    where GOV.UK Pay says success, one of ours it does not list, one of its
    payments we have no record of; read in two requests."""
    import responses
    from responses import matchers

    from services.integrations import pay
    from tests.services.test_payments import PAY_ID, PAY_URL, recorded

    monkeypatch.setattr(pay, "SEARCH_DISPLAY_SIZE", 2)
    case = actions.open_case(service=bin_service, answers={}, resident=resident)
    Payment.objects.bulk_create(
        [
            pay_payment(case, PAY_ID, status=PaymentStatus.STARTED),
            pay_payment(
                case, "c6mc5n0lh4ba6tq0bqgqmv0qpm", amount=1200, status="failed"
            ),
            pay_payment(case, "qqqqqqqqqqqqqqqqqqqqqqqqqq"),
        ]
    )
    client.force_login(admin_user)
    with responses.RequestsMock() as mocked:
        first = {
            "from_date": "2026-12-06T00:00:00Z",
            "to_date": "2026-12-07T00:10:00Z",  # ten minutes' grace for clocks
            "page": "1",
            "display_size": "2",
        }
        mocked.get(
            f"{PAY_URL}/v1/payments",
            json=recorded("search_page1.json"),
            match=[matchers.query_param_matcher(first)],
        )
        mocked.get(
            f"{PAY_URL}/v1/payments",
            json=recorded("search_page2.json"),
            match=[
                matchers.query_param_matcher(
                    first | {"page": "2", "to_date": "2026-12-07T00:00:00Z"}
                )
            ],
        )
        html = client.get(ON_THE_DAY).content.decode()
        assert len(mocked.calls) == 2
    assert "3 payments checked" in html and "(2 requests)" in html
    assert "1 differ" in html
    assert "started, £35.00" in html and "success, 3500p" in html
    assert "Not known to the provider (1)" in html
    assert "qqqqqqqqqqqqqqqqqqqqqqqqqq" in html
    assert "At the provider but not here (1)" in html
    assert "GARD-2026-000014" in html and "success, 4500p" in html
    with responses.RequestsMock() as mocked:
        mocked.get(f"{PAY_URL}/v1/payments", status=503)
        html = client.get(ON_THE_DAY).content.decode()
    assert "0 payments checked" in html
    assert "the provider could not be reached" in html


def test_a_day_of_120_payments_is_checked_in_two_requests(
    client, admin_user, bin_service, resident, govuk_pay, monkeypatch
):
    """Pages of 100 in GOV.UK Pay's recorded shape: 120 payments on one day take
    two requests, not 120, and one that differs is still found."""
    import copy

    import responses

    from services.integrations import pay
    from tests.services.test_payments import PAY_URL, recorded

    monkeypatch.setattr(pay, "SEARCH_DISPLAY_SIZE", 100)
    case = actions.open_case(service=bin_service, answers={}, resident=resident)
    ids = [f"pay{n:06d}" for n in range(120)]
    Payment.objects.bulk_create([pay_payment(case, i) for i in ids])
    template = recorded("search_page1.json")
    results = []
    for n, provider_id in enumerate(ids):
        result = copy.deepcopy(template["results"][0])
        result["payment_id"] = provider_id
        if n == 117:
            result["state"] = {"status": "failed", "finished": True, "code": "P0010"}
        results.append(result)
    page2_href = f"{PAY_URL}/v1/payments?from_date=x&page=2&display_size=100"
    first = template | {"total": 120, "count": 100, "results": results[:100]}
    first["_links"] = template["_links"] | {"next_page": {"href": page2_href}}
    second = template | {"total": 120, "count": 20, "page": 2, "results": results[100:]}
    second["_links"] = template["_links"] | {"next_page": None}
    client.force_login(admin_user)
    with responses.RequestsMock() as mocked:
        mocked.get(f"{PAY_URL}/v1/payments", json=first)
        mocked.get(page2_href, json=second)
        html = client.get(ON_THE_DAY).content.decode()
        assert len(mocked.calls) == 2
        assert "display_size=100" in mocked.calls[0].request.url
    assert "120 payments checked" in html and "(2 requests)" in html
    assert "1 differ" in html and "failed, 3500p" in html
    assert "Not known to the provider (0)" in html


def test_the_sandbox_answers_the_search_from_its_own_payments(bin_service, resident):
    from django.utils import timezone

    from services.integrations.pay import SandboxPayClient

    calendar = make_calendar()
    _, paid = paid_booking(bin_service, resident, make_slot(calendar, capacity=1))
    _, declined = paid_booking(
        bin_service, resident, make_slot(calendar, capacity=1), status="failed"
    )
    now = timezone.now()
    found = SandboxPayClient().search_payments(
        start=now - datetime.timedelta(hours=1), end=now + datetime.timedelta(hours=1)
    )
    assert found.calls == 1 and found.complete
    assert {(p.provider_id, p.status, p.reference) for p in found.payments} == {
        (paid.provider_id, "success", paid.reference),
        (declined.provider_id, "failed", declined.reference),
    }
    later = SandboxPayClient().search_payments(
        start=now + datetime.timedelta(hours=1), end=now + datetime.timedelta(hours=2)
    )
    assert later.payments == []
