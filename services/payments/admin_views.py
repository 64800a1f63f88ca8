"""Staff views of payments: the list (status, amount, provider reference, case),
one payment with its refunds and a refund form (amount and reason; the refund
is audit-logged), and each calendar's bookings with the places left.

Open to superusers and staff with "Can change payment" (payments) or "Can
change booking" (calendars).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from services.bookings import actions as bookings
from services.integrations.pay import PaymentProviderError
from services.models import Booking, BookingStatus, Calendar, Payment, PaymentStatus
from services.payments import actions
from services.payments.forms import RefundForm

PER_PAGE = 50


def can_manage(user, perm: str) -> bool:
    return bool(
        user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.has_perm(perm))
    )


class PaymentFilterForm(forms.Form):
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "All")] + list(PaymentStatus.choices),
    )
    q = forms.CharField(label="Case reference", required=False, max_length=40)


def payment_list(request):
    if not can_manage(request.user, "services.change_payment"):
        raise PermissionDenied
    form = PaymentFilterForm(request.GET or None)
    rows = Payment.objects.select_related("case").order_by("-created_at")
    if form.is_valid():
        if form.cleaned_data["status"]:
            rows = rows.filter(status=form.cleaned_data["status"])
        if form.cleaned_data["q"]:
            rows = rows.filter(reference__icontains=form.cleaned_data["q"].strip())
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("p"))
    return render(
        request,
        "services/admin/payment_list.html",
        {
            "filter_form": form if form.is_bound else PaymentFilterForm(),
            "page_obj": page,
            "rows": page.object_list,
            "unfulfilled": Payment.objects.filter(
                status=PaymentStatus.SUCCESS, fulfilled_at__isnull=True
            ).count(),
        },
    )


def payment_detail(request, pk: int):
    if not can_manage(request.user, "services.change_payment"):
        raise PermissionDenied
    payment = Payment.objects.select_related("case").filter(pk=pk).first()
    if payment is None:
        raise Http404("No such payment")
    form = RefundForm(
        request.POST if request.method == "POST" else None,
        refundable=payment.refundable,
        initial={"amount": f"{payment.refundable / 100:.2f}"},
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.refund_payment(
                payment=payment,
                amount=form.cleaned_data["amount"],
                reason=form.cleaned_data["reason"],
                actor=request.user,
            )
        except (actions.RefundNotAllowed, PaymentProviderError) as exc:
            form.add_error(None, f"The refund was not made: {exc}")
        else:
            messages.success(request, "Refund sent")
            return HttpResponseRedirect(
                reverse("services_payments:detail", args=[payment.pk])
            )
    return render(
        request,
        "services/admin/payment_detail.html",
        {
            "payment": payment,
            "refunds": payment.refunds.select_related("actor"),
            "form": form,
        },
    )


def calendar_bookings(request, pk: int):
    if not can_manage(request.user, "services.change_booking"):
        raise PermissionDenied
    calendar = Calendar.objects.filter(pk=pk).first()
    if calendar is None:
        raise Http404("No such calendar")
    if request.method == "POST":
        booking = Booking.objects.filter(
            pk=request.POST.get("booking", "0"),
            slot__calendar=calendar,
            status=BookingStatus.CONFIRMED,
        ).first()
        if booking is not None:
            bookings.cancel_booking(
                booking=booking,
                actor=request.user,
                by_staff=True,
                reason=request.POST.get("reason", "")[:200],
            )
            messages.success(request, "Booking cancelled; the resident has been told")
        return HttpResponseRedirect(request.path)
    now = timezone.now()
    slots = list(
        calendar.slots.filter(starts_at__gte=now)
        .with_taken(now)
        .select_related("round")
        .order_by("starts_at")[:60]
    )
    for slot in slots:
        slot.left = max(0, slot.capacity - slot.taken)
    confirmed = (
        Booking.objects.filter(
            slot__calendar=calendar,
            slot__starts_at__gte=now,
            status=BookingStatus.CONFIRMED,
        )
        .select_related("slot", "case")
        .order_by("slot__starts_at")[:200]
    )
    return render(
        request,
        "services/admin/calendar_bookings.html",
        {"calendar": calendar, "slots": slots, "bookings": confirmed},
    )


def calendar_index(request):
    if not can_manage(request.user, "services.change_booking"):
        raise PermissionDenied
    return render(
        request,
        "services/admin/calendar_index.html",
        {"calendars": Calendar.objects.all()},
    )
