"""A resident's own subscriptions and permits: renewing one (from My Account or
the reminder email's link) and the outcome of paying for it. Every read starts
from ``request.user``; someone else's permit is a 404."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from services.integrations.pay import PaymentProviderError
from services.models import PaymentStatus, Permit, PermitStatus
from services.permits import actions


def resident_permits(user):
    """The list My Account shows (constant queries): current and pending ones,
    newest period first, each knowing whether it may be renewed."""
    permits = list(
        Permit.objects.for_resident(user)
        .exclude(status=PermitStatus.CANCELLED)
        .annotate(
            renewed=Exists(
                Permit.objects.filter(
                    renewal_of=OuterRef("pk"), status=PermitStatus.ACTIVE
                )
            )
        )
        .select_related("scheme", "case")
        .order_by("-valid_until", "pk")[:50]
    )
    for permit in permits:
        permit.can_renew = actions.may_renew(permit)
    return permits


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def renew(request, uuid):
    permit = (
        Permit.objects.for_resident(request.user)
        .filter(uuid=uuid)
        .select_related("scheme")
        .first()
    )
    if permit is None:
        raise Http404("No such permit")
    error = ""
    if request.method == "POST":
        try:
            renewed, payment = actions.start_renewal(
                permit=permit,
                user=request.user,
                return_path=reverse("services:permit_renew", args=[permit.uuid]),
            )
        except actions.PermitError as exc:
            error = str(exc)
        except PaymentProviderError:
            error = "We cannot take payments right now. Try again in a few minutes."
        else:
            if payment is not None and payment.next_url:
                return HttpResponseRedirect(payment.next_url)
            return HttpResponseRedirect(f"{request.path}?step=done")
    renewal = (
        Permit.objects.filter(renewal_of=permit)
        .exclude(status=PermitStatus.CANCELLED)
        .select_related("case")
        .first()
    )
    payment = renewal.case.payments.order_by("-created_at").first() if renewal else None
    return render(
        request,
        "services/permits/renew.html",
        {
            "permit": permit,
            "renewal": renewal,
            "payment": payment,
            "declined": payment is not None
            and payment.is_finished
            and payment.status != PaymentStatus.SUCCESS,
            "quote": actions.renewal_quote(permit),
            "can_renew": actions.may_renew(permit),
            "error": error,
        },
    )
