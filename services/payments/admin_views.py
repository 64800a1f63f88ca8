"""Staff views of payments: the list (status, amount, provider reference, case),
one payment with its refunds and a refund form (amount and reason; the refund
is audit-logged), and each calendar's bookings with the places left.

Open to superusers and staff with "Can change payment" (payments) or "Can
change booking" (calendars).
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from services.bookings import actions as bookings
from services.integrations.pay import PaymentProviderError
from services.models import (
    Booking,
    BookingStatus,
    Calendar,
    Payment,
    PaymentStatus,
    pounds,
)
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


def move_booking(request, pk: int, booking_pk: int):
    """Move a confirmed booking to another slot of the same calendar (and round,
    kind and place): the new place is taken under its row lock, the resident
    is told on the case and by email."""
    from services.blocks.bookings import SlotChoiceForm, search_window, slot_choices

    if not can_manage(request.user, "services.change_booking"):
        raise PermissionDenied
    booking = (
        Booking.objects.filter(
            pk=booking_pk, slot__calendar_id=pk, status=BookingStatus.CONFIRMED
        )
        .select_related("slot__calendar", "slot__round", "case")
        .first()
    )
    if booking is None:
        raise Http404("No such booking")
    start, end = search_window()
    slots = [
        s
        for s in bookings.available_slots(
            calendar=booking.slot.calendar,
            round=booking.slot.round,
            start=start,
            end=end,
            kind=booking.slot.kind,
            location=booking.slot.location,
        )
        if s.pk != booking.slot_id
    ]
    form = SlotChoiceForm(
        request.POST if request.method == "POST" else None,
        slots=slot_choices(slots),
        label="New slot",
    )
    if form.is_bound and form.is_valid():
        try:
            bookings.move_booking(
                booking=booking,
                to_slot=int(form.cleaned_data["slot"]),
                actor=request.user,
            )
        except bookings.BookingError as exc:
            form.add_error("slot", str(exc))
        else:
            messages.success(request, "Booking moved; the resident has been told")
            return HttpResponseRedirect(
                reverse("services_calendars:bookings", args=[pk])
            )
    return render(
        request,
        "services/admin/move_booking.html",
        {"booking": booking, "form": form, "calendar": booking.slot.calendar},
    )


def calendar_index(request):
    if not can_manage(request.user, "services.change_booking"):
        raise PermissionDenied
    return render(
        request,
        "services/admin/calendar_index.html",
        {"calendars": Calendar.objects.all()},
    )


class ReconciliationForm(forms.Form):
    start = forms.DateField(label="From", required=False)
    end = forms.DateField(label="To", required=False)


# Provider times may run a little behind ours (our row is written before the
# provider is asked): its search runs this much past the end of the range.
PROVIDER_CLOCK_MARGIN = timezone.timedelta(minutes=10)


def provider_check(in_range, begin, finish) -> dict:
    """Our payments in the range against the provider's own list of them, from its
    search (GOV.UK Pay: ``GET /v1/payments`` by dates, a page of up to 500 a
    request), not one request per payment: which differ in state or amount,
    which it does not know, and which it has that we do not."""
    from services.integrations.pay import get_pay_client

    ours = list(
        in_range.exclude(provider_id="")
        .only("pk", "provider", "provider_id", "status", "amount", "reference")
        .order_by("-created_at")
    )
    result = {
        "checked": 0,
        "calls": 0,
        "complete": True,
        "unreachable": [],
        "differences": [],
        "missing": [],
        "unknown": [],
    }
    for provider in sorted({p.provider for p in ours} or {settings.PAYMENT_PROVIDER}):
        client = get_pay_client(provider)
        try:
            search = client.search_payments(
                start=begin, end=finish + PROVIDER_CLOCK_MARGIN
            )
        except PaymentProviderError as exc:
            result["unreachable"].append(f"{provider}: {exc}")
            continue
        result["calls"] += search.calls
        result["complete"] = result["complete"] and search.complete
        theirs = {p.provider_id: p for p in search.payments}
        mine = set()
        for payment in ours:
            if payment.provider != provider:
                continue
            mine.add(payment.provider_id)
            result["checked"] += 1
            found = theirs.get(payment.provider_id)
            if found is None:
                if search.complete:
                    result["missing"].append(payment)
            elif found.status != payment.status or found.amount != payment.amount:
                result["differences"].append(
                    {"payment": payment, "status": found.status, "amount": found.amount}
                )
        result["unknown"].extend(
            p
            for p in search.payments
            if p.provider_id not in mine and (p.created is None or p.created < finish)
        )
    return result


def reconciliation(request):
    """Payments by day and service, what is paid but not booked (or its permit
    not issued), what is booked but not paid, and, on request, the provider's
    state of each payment against ours. A fixed number of queries for any
    number of payments, and a fixed number of provider requests for each page
    of its search (``provider_check``)."""
    from django.db.models import Count, Exists, F, OuterRef, Q, Sum
    from django.db.models.functions import TruncDate

    from services.models import Permit, PermitStatus

    if not can_manage(request.user, "services.change_payment"):
        raise PermissionDenied
    form = ReconciliationForm(request.GET or None)
    today = timezone.localdate()
    start, end = today - timezone.timedelta(days=30), today
    if form.is_valid():
        start = form.cleaned_data["start"] or start
        end = form.cleaned_data["end"] or end
    tz = timezone.get_current_timezone()
    begin = timezone.datetime.combine(start, timezone.datetime.min.time(), tzinfo=tz)
    finish = timezone.datetime.combine(
        end + timezone.timedelta(days=1), timezone.datetime.min.time(), tzinfo=tz
    )
    in_range = Payment.objects.filter(created_at__gte=begin, created_at__lt=finish)
    by_day = list(
        in_range.filter(status=PaymentStatus.SUCCESS)
        .annotate(day=TruncDate("created_at", tzinfo=tz))
        .values("day", "case__service__name")
        .annotate(
            count=Count("pk"), paid=Sum("amount"), refunded=Sum("refunded_amount")
        )
        .order_by("-day", "case__service__name")
    )
    for row in by_day:
        row["net"] = pounds(row["paid"] - row["refunded"])
        row["paid"], row["refunded"] = pounds(row["paid"]), pounds(row["refunded"])
    # Paid, not refunded in full, and what it paid for did not happen.
    paid_not_booked = list(
        in_range.filter(status=PaymentStatus.SUCCESS)
        .exclude(refunded_amount=F("amount"))
        .annotate(
            booked=Exists(
                Booking.objects.filter(
                    case=OuterRef("case"), status=BookingStatus.CONFIRMED
                )
            ),
            issued=Exists(
                Permit.objects.filter(case=OuterRef("case"), status=PermitStatus.ACTIVE)
            ),
        )
        .filter(
            Q(fulfilled_at__isnull=True)
            | (Q(purpose__has_key="booking") & Q(booked=False))
            | (Q(purpose__has_key="permit") & Q(issued=False))
        )
        .select_related("case")[:200]
    )
    # Confirmed bookings whose case was charged but has no successful payment.
    booked_not_paid = list(
        Booking.objects.filter(
            status=BookingStatus.CONFIRMED,
            confirmed_at__gte=begin,
            confirmed_at__lt=finish,
        )
        .annotate(
            charged=Exists(Payment.objects.filter(case=OuterRef("case"))),
            paid=Exists(
                Payment.objects.filter(
                    case=OuterRef("case"), status=PaymentStatus.SUCCESS
                )
            ),
        )
        .filter(charged=True, paid=False)
        .select_related("slot__calendar", "case")[:200]
    )
    check = (
        provider_check(in_range, begin, finish) if request.GET.get("check") else None
    )
    return render(
        request,
        "services/admin/reconciliation.html",
        {
            "form": form
            if form.is_bound
            else ReconciliationForm(initial={"start": start, "end": end}),
            "start": start,
            "end": end,
            "by_day": by_day,
            "paid_not_booked": paid_not_booked,
            "booked_not_paid": booked_not_paid,
            "check": check,
        },
    )
