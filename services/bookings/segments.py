"""The "has an upcoming booking" segment rule's answer from our bookings
(``personalisation.bookings``): the rule's booking type is a calendar's slug."""

from __future__ import annotations

import datetime

from django.utils import timezone


def upcoming_booking(user, *, within_days: int, kind: str = "") -> bool:
    from services.models import Booking

    now = timezone.now()
    found = (
        Booking.objects.for_resident(user)
        .upcoming(now)
        .filter(slot__starts_at__lte=now + datetime.timedelta(days=within_days))
    )
    if kind:
        found = found.filter(slot__calendar__slug=kind)
    return found.exists()
