"""Where the provider sends residents back, its webhooks, and trying again.

The return page never trusts the browser: it asks the provider for the state
(``actions.sync_payment``) and then sends the resident to the journey's page,
whose confirmation reads the payment and booking from the database.
"""

from __future__ import annotations

import json
import logging

from django.conf import settings
from django.db import transaction
from django.http import (
    Http404,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseForbidden,
    HttpResponseRedirect,
)
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from frontend.redirects import safe_next_url
from services.integrations.pay import (
    PaymentProviderError,
    parse_payment,
    verify_webhook,
)
from services.models import Payment, PaymentStatus, PaymentWebhookMessage
from services.payments import actions

logger = logging.getLogger(__name__)


def _back_to_journey(request, payment: Payment):
    path = safe_next_url(request, payment.return_path, "/")
    return HttpResponseRedirect(f"{path}?step=done")


@never_cache
@require_http_methods(["GET"])
def payment_return(request, uuid):
    payment = Payment.objects.filter(uuid=uuid).first()
    if payment is None:
        raise Http404("No such payment")
    try:
        actions.sync_payment(payment=payment)
    except PaymentProviderError:
        logger.warning("Could not check payment %s on return", payment.pk)
        return render(
            request,
            "services/payments/check_later.html",
            {"payment": payment},
            status=503,
        )
    return _back_to_journey(request, payment)


def may_retry(request, payment: Payment) -> bool:
    """The resident who started it: their account, or (for a guest) this
    browser's finished journey for the case."""
    if request.user.is_authenticated and payment.case.resident_id == request.user.pk:
        return True
    return any(
        key.startswith("journey-done:")
        and (done or {}).get("reference") == payment.reference
        for key, done in request.session.items()
    )


@never_cache
@require_http_methods(["POST"])
def payment_retry(request, uuid):
    """Try again after a declined or cancelled payment: a new payment for the
    same case, amount and purpose (the server's own figures)."""
    payment = Payment.objects.select_related("case").filter(uuid=uuid).first()
    if payment is None or not may_retry(request, payment):
        raise Http404("No such payment")
    if (
        payment.status
        not in (
            PaymentStatus.FAILED,
            PaymentStatus.CANCELLED,
            PaymentStatus.ERROR,
        )
        or payment.case.payments.filter(status=PaymentStatus.SUCCESS).exists()
    ):
        return _back_to_journey(request, payment)
    try:
        again = actions.start_payment(
            case=payment.case,
            amount=payment.amount,
            vat_amount=payment.vat_amount,
            description=payment.description,
            return_path=payment.return_path,
            journey_key=payment.journey_key,
            purpose={k: v for k, v in payment.purpose.items() if k != "unfulfilled"},
            email=payment.case.contact_email,
        )
    except PaymentProviderError:
        return render(
            request,
            "services/payments/check_later.html",
            {"payment": payment},
            status=503,
        )
    return HttpResponseRedirect(again.next_url)


@csrf_exempt
@require_http_methods(["POST"])
def webhook(request):
    """GOV.UK Pay's webhook: verified by its ``Pay-Signature``; each message is
    acted on once (a replay finds its id and changes nothing)."""
    body = request.body
    if not verify_webhook(
        body,
        request.headers.get("Pay-Signature", ""),
        settings.GOVUK_PAY_WEBHOOK_SECRET,
    ):
        return HttpResponseForbidden("Bad signature")
    try:
        message = json.loads(body)
        message_id = str(message["webhook_message_id"])
        resource = message["resource"]
        state = parse_payment(resource)
    except (ValueError, KeyError, TypeError, PaymentProviderError):
        return HttpResponseBadRequest("Unexpected message")
    if message.get("resource_type", "payment") != "payment":
        return HttpResponse("Ignored")
    payment = Payment.objects.filter(
        provider="govuk_pay", provider_id=state.provider_id
    ).first()
    if payment is None:
        return HttpResponse("Unknown payment")
    # The message id and its effect commit together: a redelivery after a
    # failure is acted on, a replay after success is not.
    with transaction.atomic():
        _, new = PaymentWebhookMessage.objects.get_or_create(
            message_id=message_id[:64],
            defaults={
                "event_type": str(message.get("event_type", ""))[:60],
                "resource_id": state.provider_id[:64],
            },
        )
        if not new:
            return HttpResponse("Already received")
        actions.apply_provider_state(payment=payment, state=state)
    return HttpResponse("OK")
