"""Payments: the GOV.UK Pay client against recorded responses in its own shapes,
the sandbox card page with GOV.UK Pay's test cards, the return, webhooks,
refunds and the mop-up."""

import datetime
import hashlib
import hmac
import json
from pathlib import Path

from django.urls import reverse
from django.utils import timezone

import pytest
import responses
import time_machine

from services import actions
from services.bookings.actions import hold_slot
from services.integrations import pay
from services.models import (
    Booking,
    BookingStatus,
    CaseEvent,
    Payment,
    PaymentStatus,
    Refund,
)
from services.payments import actions as payments
from tests.factories.bookings import make_calendar, make_slot

FIXTURES = Path(__file__).parent.parent / "fixtures" / "http" / "govuk_pay"
PAY_URL = "https://publicapi.payments.service.gov.uk"
PAY_ID = "hu20sqlact5260q2nanm0q8u93"
SECRET = "webhook_test_signing_secret"


def recorded(name: str):
    return json.loads((FIXTURES / name).read_text())


def pay_client():
    return pay.GovUkPayClient(base_url=PAY_URL, api_key="api_test_key", timeout=3.0)


@pytest.fixture
def case(bin_service, resident):
    return actions.open_case(
        service=bin_service, answers={"items": "sofa"}, resident=resident
    )


@pytest.fixture
def held(db):
    calendar = make_calendar()
    return hold_slot(slot=make_slot(calendar, capacity=1))


@pytest.fixture
def govuk_pay(settings):
    settings.PAYMENT_PROVIDER = "govuk_pay"
    settings.GOVUK_PAY_API_URL = PAY_URL
    settings.GOVUK_PAY_API_KEY = "api_test_key"
    settings.GOVUK_PAY_WEBHOOK_SECRET = SECRET


def public_texts(case):
    return list(
        CaseEvent.objects.filter(case=case, public=True).values_list("text", flat=True)
    )


# -- the HTTP client ---------------------------------------------------------------


@responses.activate
def test_create_sends_amount_in_pence_with_an_idempotency_key_and_reads_next_url():
    call = responses.post(
        f"{PAY_URL}/v1/payments", json=recorded("create_201.json"), status=201
    )
    created = pay_client().create_payment(
        amount=3500,
        reference="BULK-2026-000001",
        description="Bulky waste collection",
        return_url="http://testserver/payments/x/return/",
        idempotency_key="0f6a8b8e-8e77-4ad0-9d0b-7b1b5e7f0c11",
    )
    request = call.calls[0].request
    assert request.headers["Idempotency-Key"] == "0f6a8b8e-8e77-4ad0-9d0b-7b1b5e7f0c11"
    assert request.headers["Authorization"] == "Bearer api_test_key"
    assert json.loads(request.body)["amount"] == 3500
    assert request.req_kwargs["timeout"] == 3.0
    assert created.provider_id == PAY_ID
    assert created.status == "created" and not created.finished
    assert created.next_url.startswith("https://card.payments.service.gov.uk/secure/")


@responses.activate
def test_status_reads_card_details_and_failure_codes():
    responses.get(f"{PAY_URL}/v1/payments/{PAY_ID}", json=recorded("get_success.json"))
    paid = pay_client().get_payment(PAY_ID)
    assert (paid.status, paid.finished, paid.card_brand, paid.last_digits) == (
        "success",
        True,
        "Visa",
        "1111",
    )
    responses.replace(
        responses.GET,
        f"{PAY_URL}/v1/payments/{PAY_ID}",
        json=recorded("get_declined.json"),
    )
    declined = pay_client().get_payment(PAY_ID)
    assert (declined.status, declined.failure_code) == ("failed", "P0010")


@responses.activate
def test_refund_sends_the_amount_available_and_a_mismatch_is_refused():
    call = responses.post(
        f"{PAY_URL}/v1/payments/{PAY_ID}/refunds",
        json=recorded("refund_202.json"),
        status=202,
    )
    refund = pay_client().refund(PAY_ID, amount=3500, amount_available=3500)
    assert (
        refund.status == "submitted" and refund.provider_id == "j6se0f2o427g28g8yg3u3i"
    )
    assert json.loads(call.calls[0].request.body) == {
        "amount": 3500,
        "refund_amount_available": 3500,
    }
    responses.replace(
        responses.POST,
        f"{PAY_URL}/v1/payments/{PAY_ID}/refunds",
        json=recorded("refund_412.json"),
        status=412,
    )
    with pytest.raises(pay.RefundRefused):
        pay_client().refund(PAY_ID, amount=3500, amount_available=3500)


@responses.activate
def test_server_errors_timeouts_and_rejections_are_typed():
    responses.post(f"{PAY_URL}/v1/payments", status=503)
    with pytest.raises(pay.PaymentProviderUnavailable):
        pay_client().create_payment(
            amount=1,
            reference="r",
            description="d",
            return_url="u",
            idempotency_key="k",
        )
    responses.replace(
        responses.POST,
        f"{PAY_URL}/v1/payments",
        json=recorded("create_422.json"),
        status=422,
    )
    with pytest.raises(pay.PaymentRejected):
        pay_client().create_payment(
            amount=10**9,
            reference="r",
            description="d",
            return_url="u",
            idempotency_key="k",
        )


DAY = (
    datetime.datetime(2026, 12, 6, tzinfo=datetime.UTC),
    datetime.datetime(2026, 12, 7, tzinfo=datetime.UTC),
)


def search_query(page: int, size: int) -> dict:
    return {
        "from_date": "2026-12-06T00:00:00Z",
        "to_date": "2026-12-07T00:00:00Z",
        "page": str(page),
        "display_size": str(size),
    }


def test_search_reads_every_page_by_following_next_page():
    from responses import matchers

    with responses.RequestsMock() as mocked:
        mocked.get(
            f"{PAY_URL}/v1/payments",
            json=recorded("search_page1.json"),
            match=[matchers.query_param_matcher(search_query(1, 2))],
        )
        mocked.get(
            f"{PAY_URL}/v1/payments",
            json=recorded("search_page2.json"),
            match=[matchers.query_param_matcher(search_query(2, 2))],
        )
        found = pay_client().search_payments(start=DAY[0], end=DAY[1], display_size=2)
        assert len(mocked.calls) == 2
        assert mocked.calls[0].request.headers["Authorization"] == "Bearer api_test_key"
    assert found.calls == 2 and found.complete
    assert [(p.provider_id, p.status, p.amount) for p in found.payments] == [
        (PAY_ID, "success", 3500),
        ("c6mc5n0lh4ba6tq0bqgqmv0qpm", "failed", 1200),
        ("9pqsigmbrv8r2g1mlm4k2e6h3i", "success", 4500),
    ]
    assert found.payments[1].failure_code == "P0010"
    assert found.payments[2].reference == "GARD-2026-000014"
    assert found.payments[2].created == datetime.datetime(
        2026, 12, 6, 16, 40, 9, 117000, tzinfo=datetime.UTC
    )


def test_search_keeps_its_key_to_the_api_host_and_types_failures():
    page = recorded("search_page1.json")
    page["_links"]["next_page"]["href"] = "https://elsewhere.example/v1/payments?page=2"
    with responses.RequestsMock() as mocked:
        mocked.get(f"{PAY_URL}/v1/payments", json=page)
        with pytest.raises(pay.PaymentProviderError, match="left the API"):
            pay_client().search_payments(start=DAY[0], end=DAY[1])
        assert len(mocked.calls) == 1  # nothing sent elsewhere
    with responses.RequestsMock() as mocked:
        mocked.get(f"{PAY_URL}/v1/payments", status=503)
        with pytest.raises(pay.PaymentProviderUnavailable):
            pay_client().search_payments(start=DAY[0], end=DAY[1])
    with responses.RequestsMock() as mocked:
        mocked.get(f"{PAY_URL}/v1/payments", json={"total": 0})
        with pytest.raises(pay.PaymentProviderError, match="Unexpected"):
            pay_client().search_payments(start=DAY[0], end=DAY[1])


def test_search_stops_at_its_page_limit(monkeypatch):
    monkeypatch.setattr(pay, "SEARCH_MAX_PAGES", 1)
    with responses.RequestsMock() as mocked:
        mocked.get(f"{PAY_URL}/v1/payments", json=recorded("search_page1.json"))
        found = pay_client().search_payments(start=DAY[0], end=DAY[1], display_size=2)
    assert found.calls == 1 and not found.complete and len(found.payments) == 2


def test_webhook_signature_is_the_hmac_of_the_raw_body():
    body = (FIXTURES / "webhook_succeeded.json").read_bytes()
    good = hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    assert pay.verify_webhook(body, good, SECRET)
    assert not pay.verify_webhook(body + b" ", good, SECRET)
    assert not pay.verify_webhook(body, good, "another secret")
    assert not pay.verify_webhook(body, "", SECRET)


# -- GOV.UK Pay end to end (recorded) ----------------------------------------------


def start_govuk(case, held):
    with responses.RequestsMock() as mocked:
        mocked.post(
            f"{PAY_URL}/v1/payments", json=recorded("create_201.json"), status=201
        )
        return payments.start_payment(
            case=case,
            amount=3500,
            description="Bulky waste collection",
            return_path="/bulky/",
            purpose={"booking": str(held.uuid)},
        )


def signed_post(client, body: bytes, secret=SECRET):
    signature = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return client.post(
        reverse("payments:webhook"),
        data=body,
        content_type="application/json",
        HTTP_PAY_SIGNATURE=signature,
    )


@pytest.mark.django_db
def test_return_asks_the_provider_and_a_paid_booking_is_confirmed(
    client, govuk_pay, case, held
):
    payment = start_govuk(case, held)
    assert payment.next_url.startswith("https://card.payments.service.gov.uk/")
    with responses.RequestsMock() as mocked:
        mocked.get(f"{PAY_URL}/v1/payments/{PAY_ID}", json=recorded("get_success.json"))
        response = client.get(reverse("payments:return", args=[payment.uuid]))
    assert response.status_code == 302 and response["Location"] == "/bulky/?step=done"
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCESS and payment.last_digits == "1111"
    assert Booking.objects.get(pk=held.pk).status == BookingStatus.CONFIRMED
    texts = public_texts(case)
    assert "Paid £35.00." in texts
    assert any(t.startswith("Booked for ") for t in texts)


@pytest.mark.django_db
def test_a_return_with_a_declined_card_books_nothing(client, govuk_pay, case, held):
    payment = start_govuk(case, held)
    with responses.RequestsMock() as mocked:
        mocked.get(
            f"{PAY_URL}/v1/payments/{PAY_ID}", json=recorded("get_declined.json")
        )
        client.get(reverse("payments:return", args=[payment.uuid]))
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.FAILED and payment.failure_code == "P0010"
    assert Booking.objects.get(pk=held.pk).status == BookingStatus.HELD


@pytest.mark.django_db
def test_a_forged_webhook_is_refused_and_changes_nothing(client, govuk_pay, case, held):
    payment = start_govuk(case, held)
    body = (FIXTURES / "webhook_succeeded.json").read_bytes()
    response = signed_post(client, body, secret="guessed")
    assert response.status_code == 403
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.CREATED
    assert Booking.objects.get(pk=held.pk).status == BookingStatus.HELD


@pytest.mark.django_db
def test_a_replayed_webhook_changes_nothing(client, govuk_pay, case, held):
    payment = start_govuk(case, held)
    body = (FIXTURES / "webhook_succeeded.json").read_bytes()
    assert signed_post(client, body).status_code == 200
    events = CaseEvent.objects.filter(case=case).count()
    assert signed_post(client, body).status_code == 200
    assert CaseEvent.objects.filter(case=case).count() == events
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCESS
    assert Booking.objects.filter(status=BookingStatus.CONFIRMED).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("webhook_first", [True, False])
def test_webhook_and_return_in_either_order_give_one_booking(
    client, govuk_pay, case, held, webhook_first
):
    payment = start_govuk(case, held)
    body = (FIXTURES / "webhook_succeeded.json").read_bytes()

    def back():
        with responses.RequestsMock() as mocked:
            mocked.get(
                f"{PAY_URL}/v1/payments/{PAY_ID}", json=recorded("get_success.json")
            )
            client.get(reverse("payments:return", args=[payment.uuid]))

    if webhook_first:
        signed_post(client, body)
        back()
    else:
        back()
        signed_post(client, body)
    assert Booking.objects.filter(status=BookingStatus.CONFIRMED).count() == 1
    assert public_texts(case).count("Paid £35.00.") == 1


@pytest.mark.django_db
def test_mop_up_fulfils_a_paid_payment_whose_resident_closed_the_tab(
    govuk_pay, case, held
):
    payment = start_govuk(case, held)
    with responses.RequestsMock() as mocked:
        mocked.get(f"{PAY_URL}/v1/payments/{PAY_ID}", json=recorded("get_started.json"))
        assert payments.mop_up(older_than_minutes=0)["paid"] == 0
    with responses.RequestsMock() as mocked:
        mocked.get(f"{PAY_URL}/v1/payments/{PAY_ID}", json=recorded("get_success.json"))
        counts = payments.mop_up(older_than_minutes=0)
    assert counts["paid"] == 1
    payment.refresh_from_db()
    assert payment.fulfilled_at is not None
    assert Booking.objects.get(pk=held.pk).status == BookingStatus.CONFIRMED
    assert not Payment.objects.filter(
        status="success", fulfilled_at__isnull=True
    ).exists()


@pytest.mark.django_db
def test_staff_refund_is_sent_to_pay_recorded_on_the_case_and_audit_logged(
    govuk_pay, case, held, waste_officer
):
    from wagtail.models import ModelLogEntry

    payment = start_govuk(case, held)
    with responses.RequestsMock() as mocked:
        mocked.get(f"{PAY_URL}/v1/payments/{PAY_ID}", json=recorded("get_success.json"))
        payments.sync_payment(payment=payment)
    with responses.RequestsMock() as mocked:
        call = mocked.post(
            f"{PAY_URL}/v1/payments/{PAY_ID}/refunds",
            json=recorded("refund_202.json") | {"amount": 1000},
            status=202,
        )
        payments.refund_payment(
            payment=payment,
            amount=1000,
            reason="Only two items collected",
            actor=waste_officer,
        )
        assert json.loads(call.calls[0].request.body)["refund_amount_available"] == 3500
    payment.refresh_from_db()
    assert payment.refunded_amount == 1000 and payment.refundable == 2500
    assert "Refunded £10.00. Only two items collected" in public_texts(case)
    entry = ModelLogEntry.objects.get(action="services.payment.refund")
    assert entry.user_id == waste_officer.pk and entry.data["amount"] == 1000
    with pytest.raises(payments.RefundNotAllowed):
        payments.refund_payment(payment=payment, amount=2501, reason="Too much")
    assert Refund.objects.count() == 1


# -- the sandbox -------------------------------------------------------------------


def start_sandbox(case, held):
    return payments.start_payment(
        case=case,
        amount=3500,
        description="Bulky waste collection",
        return_path="/bulky/",
        purpose={"booking": str(held.uuid)},
    )


def card_path(payment):
    return reverse("payments:sandbox_card", args=[payment.provider_id])


def pay_with(client, payment, number):
    return client.post(
        card_path(payment),
        {
            "card_number": number,
            "expiry": "10/39",
            "name": "Sam Resident",
            "security_code": "123",
        },
    )


@pytest.mark.django_db
def test_sandbox_card_page_takes_the_success_test_card(client, case, held):
    payment = start_sandbox(case, held)
    page = client.get(card_path(payment))
    assert page.status_code == 200 and "£35.00" in page.content.decode()
    response = pay_with(client, payment, "4444 3333 2222 1111")
    assert response["Location"].endswith(
        reverse("payments:return", args=[payment.uuid])
    )
    client.get(reverse("payments:return", args=[payment.uuid]))
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCESS and payment.last_digits == "1111"
    assert Booking.objects.get(pk=held.pk).status == BookingStatus.CONFIRMED


@pytest.mark.django_db
def test_sandbox_declines_the_declined_test_card(client, case, held):
    payment = start_sandbox(case, held)
    pay_with(client, payment, "4000000000000002")
    client.get(reverse("payments:return", args=[payment.uuid]))
    payment.refresh_from_db()
    assert (payment.status, payment.failure_code) == ("failed", "P0010")


@pytest.mark.django_db
def test_sandbox_asks_for_3d_secure_before_taking_the_3ds_test_card(client, case, held):
    payment = start_sandbox(case, held)
    page = pay_with(client, payment, "4000000000003220")
    assert "Confirm your payment with your bank" in page.content.decode()
    payments.sync_payment(payment=payment)
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.STARTED
    client.post(
        reverse("payments:sandbox_3ds", args=[payment.provider_id]),
        {"authenticate": "pass"},
    )
    payments.sync_payment(payment=payment)
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCESS


@pytest.mark.django_db
def test_sandbox_refuses_a_real_looking_card_and_bad_details(client, case, held):
    payment = start_sandbox(case, held)
    page = pay_with(client, payment, "4242424242424242").content.decode()
    assert "use a test card" in page
    bad = client.post(
        card_path(payment),
        {"card_number": "1234", "expiry": "13/20", "name": "", "security_code": "x"},
    ).content.decode()
    for message in (
        "Enter a valid card number",
        "Enter the expiry date in the format MM/YY",
        "Enter the name as it appears on the card",
        "Enter a valid card security code",
    ):
        assert message in bad
    payment.refresh_from_db()
    assert payment.sandbox_state == {}


@pytest.mark.django_db
def test_sandbox_mop_up_books_for_a_closed_tab_and_expires_abandoned_payments(
    client, case, held
):
    paid = start_sandbox(case, held)
    pay_with(client, paid, "4444333322221111")  # and never comes back
    other_hold = hold_slot(slot=make_slot(held.slot.calendar, days_ahead=9))
    abandoned = start_sandbox(case, other_hold)
    counts = payments.mop_up(older_than_minutes=0)
    assert counts["paid"] == 1
    assert Booking.objects.get(pk=held.pk).status == BookingStatus.CONFIRMED
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=91)):
        payments.mop_up()
    abandoned.refresh_from_db()
    assert (abandoned.status, abandoned.failure_code) == ("failed", "P0020")


@pytest.mark.django_db
def test_a_slot_lost_while_paying_is_refunded_in_full(client, case, held):
    payment = start_sandbox(case, held)
    # The hold lapses while the resident is on the card page, and someone else
    # takes the only place.
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=31)):
        hold_slot(slot=held.slot)
        pay_with(client, payment, "4444333322221111")
        client.get(reverse("payments:return", args=[payment.uuid]))
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCESS and payment.refunded_amount == 3500
    assert Booking.objects.get(pk=held.pk).status == BookingStatus.HELD
    assert any(t.startswith("Refunded £35.00.") for t in public_texts(case))


@pytest.mark.django_db
def test_only_the_sandbox_has_a_card_page(client, govuk_pay, case, held):
    payment = start_govuk(case, held)
    assert (
        client.get(
            reverse("payments:sandbox_card", args=[payment.provider_id])
        ).status_code
        == 404
    )
