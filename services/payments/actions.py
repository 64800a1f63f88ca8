"""Every change to a payment. Keyword-only; each owns its transaction.

A payment's state only ever comes from the provider: its API (``sync_payment``,
on the resident's return and from the mop-up) or a verified webhook. Whichever
arrives first records the state and acts on success (``_fulfil``) once, under
the payment's row lock; the others find it done and change nothing.

What success must do is in ``Payment.purpose``: ``{"booking": "<uuid>"}``
confirms that booking. If its place was lost meanwhile (the hold lapsed and the
slot filled), the payment is refunded in full and the case says so.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from services.enums import CaseEventKind, OutboxTopic
from services.integrations.pay import (
    PaymentProviderError,
    ProviderPayment,
    get_pay_client,
)
from services.models import Booking, CaseEvent, Payment, PaymentStatus, Refund, pounds
from services.models.payments import FINISHED_STATUSES, IN_PROGRESS_STATUSES

logger = logging.getLogger(__name__)


class RefundNotAllowed(Exception):
    pass


def return_path(payment: Payment) -> str:
    return reverse("payments:return", args=[payment.uuid])


def return_url(payment: Payment) -> str:
    """Absolute, as GOV.UK Pay requires: the site's public address."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + return_path(payment)


def start_payment(
    *,
    case,
    amount: int,
    description: str,
    return_path: str = "",
    journey_key: str = "",
    purpose: dict | None = None,
    email: str = "",
    vat_amount: int = 0,
) -> Payment:
    """Record a payment and create it at the provider; the resident goes to
    ``payment.next_url``. The row is committed before the provider is called, so
    its idempotency key makes a retried create safe."""
    if amount <= 0:
        raise ValueError("A payment must be for more than nothing.")
    client = get_pay_client()
    payment = Payment.objects.create(
        case=case,
        amount=amount,
        vat_amount=vat_amount,
        description=description[:255],
        reference=case.reference,
        provider=client.name,
        return_path=return_path,
        journey_key=journey_key,
        purpose=purpose or {},
    )
    try:
        created = client.create_payment(
            amount=amount,
            reference=case.reference,
            description=description,
            return_url=return_url(payment),
            idempotency_key=str(payment.idempotency_key),
            email=email,
        )
    except PaymentProviderError:
        Payment.objects.filter(pk=payment.pk).update(
            status=PaymentStatus.ERROR, finished_at=timezone.now()
        )
        raise
    payment.provider_id = created.provider_id
    payment.next_url = created.next_url
    payment.save(update_fields=["provider_id", "next_url", "updated_at"])
    return payment


def sync_payment(*, payment: Payment) -> Payment:
    """Ask the provider for the payment's state and act on it."""
    if not payment.provider_id:
        return payment
    state = get_pay_client(payment.provider).get_payment(payment.provider_id)
    return apply_provider_state(payment=payment, state=state)


@transaction.atomic
def apply_provider_state(*, payment: Payment, state: ProviderPayment) -> Payment:
    """Record what the provider says; on success confirm what was paid for,
    once. Safe to call any number of times, in any order with webhooks."""
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    if state.amount != payment.amount:
        logger.error("Payment %s: provider amount differs", payment.pk)
        return payment
    changed = []
    # A finished payment never goes back to in progress (a late, older message).
    if payment.status != state.status and not (
        payment.is_finished and state.status in IN_PROGRESS_STATUSES
    ):
        payment.status = state.status
        changed.append("status")
        if state.status in FINISHED_STATUSES:
            payment.finished_at = timezone.now()
            payment.failure_code = state.failure_code
            payment.failure_message = state.failure_message
            payment.card_brand = state.card_brand
            payment.last_digits = state.last_digits
            changed += [
                "finished_at",
                "failure_code",
                "failure_message",
                "card_brand",
                "last_digits",
            ]
    if changed:
        payment.save(update_fields=changed + ["updated_at"])
    if payment.status == PaymentStatus.SUCCESS and payment.fulfilled_at is None:
        _fulfil(payment)
    return payment


def _case_event(payment: Payment, text: str, data: dict, actor=None, public=True):
    from services.actions import _outbox

    event = CaseEvent.objects.create(
        case=payment.case,
        kind=CaseEventKind.PUBLIC_UPDATE if public else CaseEventKind.INTERNAL_NOTE,
        actor=actor,
        public=public,
        text=text,
        data={"payment": str(payment.uuid), **data},
    )
    if public:
        _outbox(case=payment.case, topic=OutboxTopic.PUBLIC_UPDATE, event=event)
    return event


def _webhook(payment: Payment, event_type: str, *, refund=None) -> None:
    """Subscribed back-office systems hear of it (``services.webhooks``), in
    this transaction's outbox."""
    from services.webhooks import payment_data, queue_event

    queue_event(
        case=payment.case,
        event_type=event_type,
        data={"payment": payment_data(payment, refund=refund)},
    )


def _fulfil(payment: Payment) -> None:
    """Inside ``apply_provider_state``'s transaction, with the payment locked."""
    from services.bookings.actions import BookingError, confirm_booking

    _case_event(payment, f"Paid {pounds(payment.amount)}.", {"action": "paid"})
    _webhook(payment, "payment.succeeded")
    booking_id = payment.purpose.get("booking")
    if booking_id:
        booking = Booking.objects.get(uuid=booking_id)
        try:
            with transaction.atomic():
                confirm_booking(booking=booking, case=payment.case)
        except BookingError as exc:
            payment.purpose = {**payment.purpose, "unfulfilled": str(exc)}
            payment.save(update_fields=["purpose", "updated_at"])
            _refund_locked(
                payment,
                amount=payment.refundable,
                reason="The date chosen was no longer available.",
                actor=None,
            )
    for hook in FULFILMENT_HOOKS:
        hook(payment)
    payment.fulfilled_at = timezone.now()
    payment.save(update_fields=["fulfilled_at", "updated_at"])


# Callables run when a payment succeeds (inside its transaction), for purposes
# other than a booking: e.g. a garden waste subscription or a permit.
FULFILMENT_HOOKS: list = []


def _refund_locked(payment: Payment, *, amount: int, reason: str, actor) -> Refund:
    if amount <= 0 or amount > payment.refundable:
        raise RefundNotAllowed(
            f"You can refund up to {pounds(payment.refundable)} of this payment."
        )
    result = get_pay_client(payment.provider).refund(
        payment.provider_id, amount=amount, amount_available=payment.refundable
    )
    refund = Refund.objects.create(
        payment=payment,
        amount=amount,
        reason=reason[:255],
        actor=actor,
        provider_id=result.provider_id,
        status=result.status,
    )
    payment.refunded_amount += amount
    payment.save(update_fields=["refunded_amount", "updated_at"])
    _case_event(
        payment,
        f"Refunded {pounds(amount)}. {reason}".strip(),
        {"action": "refunded", "amount": amount, "refund": refund.pk},
    )
    _webhook(payment, "payment.refunded", refund=refund)
    if actor is not None:
        from wagtail.log_actions import log

        log(
            instance=payment,
            action="services.payment.refund",
            user=actor,
            data={"amount": amount, "reason": reason, "case": payment.reference},
        )
    return refund


@transaction.atomic
def refund_payment(*, payment: Payment, amount: int, reason: str, actor=None) -> Refund:
    """Refund all or part of a successful payment (staff give a reason; it is
    kept on the refund, the case timeline and the admin's audit log)."""
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    return _refund_locked(payment, amount=amount, reason=reason, actor=actor)


def mop_up(*, older_than_minutes: int | None = None, now=None) -> dict:
    """Finish what residents left: payments still in progress after a few
    minutes are checked with the provider (paid ones are fulfilled, expired or
    failed ones recorded), and successful payments not yet fulfilled are."""
    now = now or timezone.now()
    minutes = (
        settings.PAYMENT_MOPUP_MINUTES
        if older_than_minutes is None
        else older_than_minutes
    )
    counts = {"checked": 0, "paid": 0, "failed": 0, "errors": 0}
    stale = Payment.objects.filter(
        status__in=IN_PROGRESS_STATUSES,
        created_at__lte=now - datetime.timedelta(minutes=minutes),
    ).exclude(provider_id="")
    unfulfilled = Payment.objects.filter(
        status=PaymentStatus.SUCCESS, fulfilled_at__isnull=True
    )
    for payment in list(stale) + list(unfulfilled):
        counts["checked"] += 1
        try:
            payment = sync_payment(payment=payment)
        except PaymentProviderError:
            counts["errors"] += 1
            logger.warning("Mop-up could not check payment %s", payment.pk)
            continue
        if payment.status == PaymentStatus.SUCCESS:
            counts["paid"] += 1
        elif payment.is_finished:
            counts["failed"] += 1
    return counts


def cancel_booking_with_refund(*, booking, actor=None, by_staff: bool = False) -> None:
    """Cancel a booking (residents until the cut-off), then refund in full every
    successful payment for its case, by the route it was paid."""
    from services.bookings.actions import cancel_booking

    cancel_booking(booking=booking, actor=actor, by_staff=by_staff)
    for payment in booking.case.payments.filter(status=PaymentStatus.SUCCESS):
        if payment.refundable:
            refund_payment(
                payment=payment,
                amount=payment.refundable,
                reason="Booking cancelled.",
                actor=actor if by_staff else None,
            )
