"""A resident's own bookings and payments: the list, a receipt, and cancelling
a booking before the cut-off (with a refund of what was paid, by the same
route). Every read starts from ``request.user``; someone else's is a 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from services.bookings import actions as bookings
from services.integrations.pay import PaymentProviderError
from services.models import Booking, BookingStatus, Payment, PaymentStatus
from services.payments import actions as payments


@login_required
@never_cache
@require_http_methods(["GET"])
def my_bookings(request):
    now = timezone.now()
    mine = Booking.objects.for_resident(request.user).select_related(
        "slot__calendar", "case"
    )
    upcoming = list(mine.upcoming(now).order_by("slot__starts_at"))
    for booking in upcoming:
        booking.can_cancel = not bookings.cutoff_passed(booking.slot, now)
    from services.permits.views import resident_permits

    return render(
        request,
        "services/bookings/my_bookings.html",
        {
            "permits": resident_permits(request.user),
            "upcoming": upcoming,
            "past": list(mine.past(now).order_by("-slot__starts_at")[:20]),
            "payments": list(
                Payment.objects.for_resident(request.user)
                .filter(status=PaymentStatus.SUCCESS)
                .order_by("-created_at")[:20]
            ),
        },
    )


@login_required
@never_cache
@require_http_methods(["GET"])
def receipt(request, uuid):
    payment = (
        Payment.objects.for_resident(request.user)
        .filter(uuid=uuid, status=PaymentStatus.SUCCESS)
        .select_related("case")
        .prefetch_related("refunds")
        .first()
    )
    if payment is None:
        raise Http404("No such payment")
    return render(request, "services/bookings/receipt.html", {"payment": payment})


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def cancel(request, uuid):
    booking = (
        Booking.objects.for_resident(request.user)
        .filter(uuid=uuid, status=BookingStatus.CONFIRMED)
        .select_related("slot__calendar", "case")
        .first()
    )
    if booking is None:
        raise Http404("No such booking")
    error = ""
    if request.method == "POST":
        try:
            payments.cancel_booking_with_refund(booking=booking, actor=request.user)
        except bookings.BookingError as exc:
            error = str(exc)
        except PaymentProviderError:
            error = (
                "Your booking is cancelled but we could not refund you just now. "
                "We will refund you within 5 working days."
            )
        if not error:
            messages.success(request, "Your booking has been cancelled.")
            return redirect("services:my_bookings")
    return render(
        request,
        "services/bookings/cancel.html",
        {
            "booking": booking,
            "error": error,
            "refund": sum(p.refundable for p in booking.case.payments.all()),
            "too_late": bookings.cutoff_passed(booking.slot),
        },
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def change(request, uuid):
    """Move a booking to another free time of the same kind, place and round,
    until the cut-off."""
    from services.blocks.bookings import SlotChoiceForm, search_window, slot_choices

    booking = (
        Booking.objects.for_resident(request.user)
        .filter(uuid=uuid, status=BookingStatus.CONFIRMED)
        .select_related("slot__calendar", "case")
        .first()
    )
    if booking is None:
        raise Http404("No such booking")
    too_late = bookings.cutoff_passed(booking.slot)
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
        request.POST if request.method == "POST" and not too_late else None,
        slots=slot_choices(slots),
        label="New time",
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
            messages.success(request, "Your booking has been changed.")
            return redirect("services:my_bookings")
    return render(
        request,
        "services/bookings/change.html",
        {"booking": booking, "form": form, "too_late": too_late, "slots": slots},
    )
