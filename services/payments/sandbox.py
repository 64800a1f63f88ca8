"""The local sandbox provider's card page (only for ``sandbox`` payments).

It behaves like GOV.UK Pay's card page with its documented test cards:
4444 3333 2222 1111 succeeds, 4000 0000 0000 0002 is declined, and
4000 0000 0000 3220 asks for 3-D Secure authentication first. Any other valid
card number is refused, so nobody types a real card into a demo. The outcome is
kept as the sandbox's own state (``Payment.sandbox_state``); our side of the
payment still learns it only by asking the sandbox client, as with GOV.UK Pay.
"""

from __future__ import annotations

from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from services.integrations.pay import TEST_CARDS
from services.models import Payment
from services.payments.actions import return_path
from services.payments.forms import SandboxCardForm

FINISHED = ("success", "failed", "cancelled", "error")
BRANDS = {"4": "visa", "5": "master-card"}


def _payment(provider_id: str) -> Payment:
    payment = (
        Payment.objects.select_related("case")
        .filter(provider="sandbox", provider_id=provider_id)
        .first()
    )
    if payment is None:
        raise Http404("No such payment")
    return payment


def _finish(payment: Payment, state: dict):
    payment.sandbox_state = state
    payment.save(update_fields=["sandbox_state", "updated_at"])
    return HttpResponseRedirect(return_path(payment))


@never_cache
@require_http_methods(["GET", "POST"])
def card_page(request, provider_id: str):
    payment = _payment(provider_id)
    state = payment.sandbox_state or {"status": "created"}
    if state["status"] in FINISHED:
        return HttpResponseRedirect(return_path(payment))
    if state["status"] == "3ds":
        return render(
            request, "services/payments/sandbox_3ds.html", {"payment": payment}
        )
    if request.method == "POST" and request.POST.get("cancel"):
        return _finish(
            payment,
            {
                "status": "cancelled",
                "code": "P0030",
                "message": "Payment was cancelled by the user",
            },
        )
    form = SandboxCardForm(data=request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        number = form.cleaned_data["card_number"]
        outcome = TEST_CARDS.get(number)
        card = {"card_brand": BRANDS.get(number[0], "visa"), "last_digits": number[-4:]}
        if outcome is None:
            form.add_error(
                "card_number",
                "This is a test payment page: use a test card, for example "
                "4444 3333 2222 1111",
            )
        elif outcome == "success":
            return _finish(payment, {"status": "success", **card})
        elif outcome == "declined":
            return _finish(
                payment,
                {
                    "status": "failed",
                    "code": "P0010",
                    "message": "Payment method rejected",
                    **card,
                },
            )
        elif outcome == "error":
            return _finish(
                payment,
                {
                    "status": "error",
                    "code": "P0050",
                    "message": "Payment provider returned an error",
                },
            )
        else:
            payment.sandbox_state = {"status": "3ds", **card}
            payment.save(update_fields=["sandbox_state", "updated_at"])
            return render(
                request, "services/payments/sandbox_3ds.html", {"payment": payment}
            )
    return render(
        request,
        "services/payments/sandbox_card.html",
        {"payment": payment, "form": form},
    )


@never_cache
@require_http_methods(["POST"])
def three_d_secure(request, provider_id: str):
    payment = _payment(provider_id)
    state = payment.sandbox_state or {}
    if state.get("status") != "3ds":
        return HttpResponseRedirect(return_path(payment))
    if request.POST.get("authenticate") == "fail":
        return _finish(
            payment,
            {
                **state,
                "status": "failed",
                "code": "P0010",
                "message": "Payment method rejected",
            },
        )
    return _finish(payment, {**state, "status": "success"})
