"""What the charged and booked journeys share: a slot step that holds a place,
prices computed on the server, and a confirmation that reads the case, its
payment and its booking from the database (never from the browser).

A journey using these hooks opens its case in ``process_submission``; when money
is due it starts a payment (``services.payments.actions.start_payment``) and
``response_after_submission`` sends the resident to the provider's page. The
provider sends them back through ``services.payments.views.payment_return``,
which asks the provider for the state and returns to this page's confirmation.
"""

from __future__ import annotations

import datetime

from django import forms
from django.http import HttpResponseRedirect
from django.utils import timezone

from frontend.forms import GovUKForm
from services.blocks.transactions import SubmissionStopped
from services.models.bookings import Booking, BookingStatus
from services.models.cases import Case
from services.models.payments import Payment, PaymentStatus, pounds

SEARCH_DAYS = 42
MAX_SLOTS_SHOWN = 12


class SlotChoiceForm(GovUKForm):
    slot = forms.ChoiceField(
        label="Choose a date",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose a date",
            "invalid_choice": "That date is no longer available. Choose another date",
        },
    )

    def __init__(self, *args, slots=(), label="Choose a date", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slot"].label = label
        self.fields["slot"].choices = [(str(s["id"]), s["label"]) for s in slots]


def slot_choices(slots) -> list[dict]:
    return [
        {"id": s.pk, "label": f"{s.date_label}, {s.time_label}"}
        for s in slots[:MAX_SLOTS_SHOWN]
    ]


def search_window() -> tuple[datetime.date, datetime.date]:
    today = timezone.localdate()
    return today, today + datetime.timedelta(days=SEARCH_DAYS)


def hold_chosen_slot(request, state: dict, slot_id: int) -> None:
    """Hold the place the resident chose, giving back one held earlier."""
    from services.bookings import actions as bookings

    previous = state.get("hold")
    if previous:
        booking = Booking.objects.filter(uuid=previous).first()
        if booking and booking.slot_id == slot_id and booking.is_live_hold:
            return
        if booking:
            bookings.release_hold(booking=booking)
    try:
        booking = bookings.hold_slot(slot=slot_id, user=request.user)
    except bookings.BookingError as exc:
        state.pop("hold", None)
        raise forms.ValidationError(str(exc)) from exc
    state["hold"] = str(booking.uuid)
    state["slot_label"] = f"{booking.slot.date_label}, {booking.slot.time_label}"


def held_booking(state: dict) -> Booking:
    """The journey's hold, still live or taken again; else the resident is told
    to choose another date."""
    from services.bookings import actions as bookings

    booking = (
        Booking.objects.select_related("slot").filter(uuid=state.get("hold")).first()
    )
    if booking is None or booking.status not in (BookingStatus.HELD,):
        raise SubmissionStopped(
            "Choose your date again",
            "We could not keep the date you chose. Go back and choose a date again.",
        )
    if not booking.is_live_hold:
        try:
            booking = bookings.hold_slot(slot=booking.slot_id, user=booking.user)
        except bookings.BookingError as exc:
            raise SubmissionStopped(
                "That date is no longer available",
                "Someone else took the last place on the date you chose while you "
                "were finishing. Change your answers to choose another date.",
            ) from exc
        state["hold"] = str(booking.uuid)
    return booking


def booking_confirmation(done: dict) -> dict:
    """What the confirmation shows, from the database."""
    case = Case.objects.filter(reference=done["reference"]).first()
    context = {"reference": done["reference"], "email": done.get("email", "")}
    if case is None:
        return context
    payment = case.payments.order_by("-created_at").first()
    booking = case.bookings.select_related("slot").order_by("-created_at").first()
    context["case"] = case
    context["payment"] = payment
    context["booking"] = booking
    if payment is not None and payment.status != PaymentStatus.SUCCESS:
        context["state"] = "unpaid"
        if payment.is_finished:
            context["problem"] = (
                "Your card was declined."
                if payment.failure_code == "P0010"
                else "The payment was cancelled."
                if payment.failure_code == "P0030"
                else "The payment did not go through."
            )
        return context
    if booking is not None and booking.status == BookingStatus.CONFIRMED:
        context["state"] = "booked"
    elif payment is not None and payment.refunded_amount == payment.amount:
        context["state"] = "refunded"
    else:
        context["state"] = "received"
    if payment is not None:
        context["paid"] = pounds(payment.amount)
    return context


class PaidJourneyMixin:
    """``response_after_submission`` for journeys that may take a payment."""

    def response_after_submission(self, value, request, case):
        payment = getattr(case, "pending_payment", None)
        if payment is not None and payment.next_url:
            return HttpResponseRedirect(payment.next_url)
        return None

    @staticmethod
    def start_or_resume_payment(case, **kwargs) -> Payment:
        """A repeated submission (same idempotency token) resumes the payment
        it started instead of starting another."""
        from services.payments.actions import start_payment

        existing = case.payments.order_by("-created_at").first()
        if existing is not None and not getattr(case, "created", True):
            return existing
        return start_payment(case=case, **kwargs)
