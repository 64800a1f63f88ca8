"""Every change to a booking. Keyword-only; each owns its transaction.

Capacity is never oversold: a place is taken only while this transaction holds
the slot's row lock (``SELECT … FOR UPDATE``), so two residents after the last
place queue on that lock and the second one counts the first one's booking. A
hold lapses on its own at ``hold_expires_at`` (it stops counting against
capacity); ``expire_holds`` only tidies its status.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from services.enums import CaseEventKind
from services.models import (
    BlackoutDay,
    Booking,
    BookingStatus,
    Calendar,
    CaseEvent,
    Slot,
)


class BookingError(Exception):
    """Base for every reason a booking cannot be made or changed; ``str()`` is
    the message a resident reads."""


class SlotFull(BookingError):
    pass


class PastCutoff(BookingError):
    pass


class HoldLapsed(BookingError):
    pass


def day_label(slot: Slot) -> str:
    """``12 March 2027`` (the case timeline's wording)."""
    return f"{timezone.localtime(slot.starts_at):%-d %B %Y}"


def cutoff_passed(slot: Slot, now=None) -> bool:
    now = now or timezone.now()
    return slot.starts_at - datetime.timedelta(hours=slot.calendar.cutoff_hours) <= now


def blackout_dates(calendar: Calendar, start: datetime.date, end: datetime.date):
    """Days without slots for this calendar (its own and every calendar's)."""
    return set(
        BlackoutDay.objects.filter(
            Q(calendar=calendar) | Q(calendar__isnull=True),
            date__gte=start,
            date__lte=end,
        ).values_list("date", flat=True)
    )


def available_slots(
    *,
    calendar: Calendar,
    round=None,
    start: datetime.date,
    end: datetime.date,
    kind: str = "",
    location: str = "",
    now=None,
) -> list[Slot]:
    """Slots a resident may book between two dates (inclusive): on the round,
    not on a blackout day, before the cut-off and with a place left. A fixed
    number of queries, however many slots there are."""
    now = now or timezone.now()
    tz = timezone.get_current_timezone()
    begin = max(
        datetime.datetime.combine(start, datetime.time.min, tzinfo=tz),
        now + datetime.timedelta(hours=calendar.cutoff_hours),
    )
    finish = datetime.datetime.combine(
        end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz
    )
    slots = Slot.objects.filter(
        calendar=calendar, starts_at__gt=begin, starts_at__lt=finish
    ).with_taken(now)
    slots = slots.filter(round=round) if round is not None else slots
    if kind:
        slots = slots.filter(kind=kind)
    if location:
        slots = slots.filter(location=location)
    closed = blackout_dates(calendar, start, end)
    found = []
    for slot in slots.select_related("calendar"):
        if slot.taken >= slot.capacity:
            continue
        if timezone.localtime(slot.starts_at).date() in closed:
            continue
        found.append(slot)
    return found


def _check_bookable(slot: Slot, now) -> None:
    if cutoff_passed(slot, now):
        raise PastCutoff("Bookings for that date have closed. Choose a later date.")
    day = timezone.localtime(slot.starts_at).date()
    if blackout_dates(slot.calendar, day, day):
        raise SlotFull("There are no bookings on that day. Choose another date.")


def _take_place(slot_id: int, *, now, exclude: int | None = None) -> Slot:
    """Lock the slot's row and check a place is left; call inside a transaction.
    The caller then writes the booking before the lock is released."""
    slot = (
        Slot.objects.select_for_update(of=("self",))
        .select_related("calendar")
        .get(pk=slot_id)
    )
    _check_bookable(slot, now)
    taken = slot.bookings.live(now)
    if exclude:
        taken = taken.exclude(pk=exclude)
    if taken.count() >= slot.capacity:
        raise SlotFull(
            "Sorry, that date has just been taken by someone else. Choose another date."
        )
    return slot


@transaction.atomic
def hold_slot(*, slot: Slot | int, user=None, now=None) -> Booking:
    """Reserve one place for the calendar's hold time."""
    now = now or timezone.now()
    slot = _take_place(getattr(slot, "pk", slot), now=now)
    return Booking.objects.create(
        slot=slot,
        user=user if user is not None and user.is_authenticated else None,
        status=BookingStatus.HELD,
        hold_expires_at=now + datetime.timedelta(minutes=slot.calendar.hold_minutes),
        created_at=now,
    )


@transaction.atomic
def release_hold(*, booking: Booking) -> None:
    """Give a held place back (the resident chose another slot)."""
    Booking.objects.filter(pk=booking.pk, status=BookingStatus.HELD).update(
        status=BookingStatus.EXPIRED, hold_expires_at=timezone.now()
    )


@transaction.atomic
def attach_case(*, booking: Booking, case) -> None:
    Booking.objects.filter(pk=booking.pk, case__isnull=True).update(case=case)


def _webhook(booking: Booking, event_type: str) -> None:
    """Subscribed back-office systems hear of it (``services.webhooks``), in
    this transaction's outbox."""
    from services.webhooks import booking_data, queue_event

    queue_event(
        case=booking.case,
        event_type=event_type,
        data={"booking": booking_data(booking)},
    )


@transaction.atomic
def confirm_booking(*, booking: Booking, case, actor=None, now=None) -> Booking:
    """Turn a hold into a booking for ``case``. A live hold already has its
    place; a lapsed one takes a place again if one is left (else ``SlotFull``).
    Confirming twice changes nothing."""
    from services.actions import _outbox
    from services.enums import OutboxTopic

    now = now or timezone.now()
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    if booking.status == BookingStatus.CONFIRMED:
        return booking
    if booking.status == BookingStatus.CANCELLED:
        raise BookingError("This booking was cancelled.")
    if not (booking.hold_expires_at and booking.hold_expires_at > now):
        # The hold lapsed (a slow payment): take a place again, under the lock.
        _take_place(booking.slot_id, now=now, exclude=booking.pk)
    booking.status = BookingStatus.CONFIRMED
    booking.confirmed_at = now
    booking.case = case
    booking.save(update_fields=["status", "confirmed_at", "case"])
    slot = booking.slot
    event = CaseEvent.objects.create(
        case=case,
        kind=CaseEventKind.PUBLIC_UPDATE,
        actor=actor,
        public=True,
        text=f"Booked for {day_label(slot)}, {slot.time_label}.",
        data={"booking": str(booking.uuid), "slot": slot.pk, "action": "booked"},
    )
    _outbox(case=case, topic=OutboxTopic.PUBLIC_UPDATE, event=event)
    _webhook(booking, "booking.confirmed")
    return booking


@transaction.atomic
def cancel_booking(
    *, booking: Booking, actor=None, by_staff: bool = False, reason: str = "", now=None
) -> Booking:
    """Cancel a confirmed booking; residents only until the cut-off."""
    from services.actions import _outbox
    from services.enums import OutboxTopic

    now = now or timezone.now()
    booking = (
        Booking.objects.select_for_update(of=("self",))
        .select_related("slot__calendar")
        .get(pk=booking.pk)
    )
    if booking.status == BookingStatus.CANCELLED:
        return booking
    if not by_staff and cutoff_passed(booking.slot, now):
        raise PastCutoff(
            "It is too late to cancel this booking online. Contact us instead."
        )
    was_confirmed = booking.status == BookingStatus.CONFIRMED
    booking.status = BookingStatus.CANCELLED
    booking.cancelled_at = now
    booking.save(update_fields=["status", "cancelled_at"])
    if was_confirmed and booking.case_id:
        text = f"Booking for {day_label(booking.slot)} cancelled."
        if reason:
            text += f" {reason}"
        event = CaseEvent.objects.create(
            case=booking.case,
            kind=CaseEventKind.PUBLIC_UPDATE,
            actor=actor,
            public=True,
            text=text,
            data={"booking": str(booking.uuid), "action": "cancelled"},
        )
        _outbox(case=booking.case, topic=OutboxTopic.PUBLIC_UPDATE, event=event)
        _webhook(booking, "booking.cancelled")
    return booking


@transaction.atomic
def move_booking(*, booking: Booking, to_slot: Slot | int, actor=None, now=None):
    """Move a confirmed booking to another slot (staff, or a resident before the
    cut-off); the new slot's place is taken under its lock."""
    from services.actions import _outbox
    from services.enums import OutboxTopic

    now = now or timezone.now()
    booking = Booking.objects.select_for_update(of=("self",)).get(pk=booking.pk)
    if booking.status != BookingStatus.CONFIRMED:
        raise BookingError("Only a confirmed booking can be moved.")
    slot = _take_place(getattr(to_slot, "pk", to_slot), now=now)
    booking.slot = slot
    booking.save(update_fields=["slot"])
    if booking.case_id:
        event = CaseEvent.objects.create(
            case=booking.case,
            kind=CaseEventKind.PUBLIC_UPDATE,
            actor=actor,
            public=True,
            text=f"Booking moved to {day_label(slot)}, {slot.time_label}.",
            data={"booking": str(booking.uuid), "action": "moved", "slot": slot.pk},
        )
        _outbox(case=booking.case, topic=OutboxTopic.PUBLIC_UPDATE, event=event)
        _webhook(booking, "booking.moved")
    return booking


def expire_holds(*, now=None) -> int:
    """Mark lapsed holds expired (they already stopped counting)."""
    now = now or timezone.now()
    return Booking.objects.filter(
        status=BookingStatus.HELD, hold_expires_at__lte=now
    ).update(status=BookingStatus.EXPIRED)


def generate_slots(
    *,
    calendar: Calendar,
    start: datetime.date,
    days: int,
    times: list[tuple[datetime.time, datetime.time]],
    capacity: int,
    round=None,
    weekdays=(0, 1, 2, 3, 4),
    kind: str = "",
    location: str = "",
) -> int:
    """Create slots for a run of days (the admin's "add slots" and the demo)."""
    tz = timezone.get_current_timezone()
    rows = []
    for offset in range(days):
        day = start + datetime.timedelta(days=offset)
        if day.weekday() not in weekdays:
            continue
        for begin, end in times:
            rows.append(
                Slot(
                    calendar=calendar,
                    round=round,
                    kind=kind,
                    location=location,
                    starts_at=datetime.datetime.combine(day, begin, tzinfo=tz),
                    ends_at=datetime.datetime.combine(day, end, tzinfo=tz),
                    capacity=capacity,
                )
            )
    Slot.objects.bulk_create(rows)
    return len(rows)
