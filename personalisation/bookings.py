"""Upcoming bookings, from whichever app keeps them.

The "has an upcoming booking" segment rule (``services.models.UpcomingBookingRule``)
asks the providers registered here; an app that takes bookings (or an adapter to
the council's booking system) registers one, usually in its ``AppConfig.ready``::

    from personalisation.bookings import register_booking_provider

    def upcoming(user, *, within_days, kind):
        qs = Booking.objects.for_resident(user).upcoming(within_days)
        return qs.filter(kind=kind).exists() if kind else qs.exists()

    register_booking_provider(upcoming)

A provider is called with the signed-in user, ``within_days`` (how far ahead to
look) and ``kind`` (the rule's booking type, or ``""`` for any) and returns whether
the resident has such a booking. With no provider registered the rule never
matches. Providers are asked at most once per request for each (days, kind) pair,
and one that fails counts as "no booking": a page never breaks for it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

logger = logging.getLogger(__name__)

BookingProvider = Callable[..., bool]
_providers: list[BookingProvider] = []


def register_booking_provider(provider: BookingProvider) -> BookingProvider:
    """Add a provider (usable as a decorator); registering one twice is harmless."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def unregister_booking_provider(provider: BookingProvider) -> None:
    if provider in _providers:
        _providers.remove(provider)


def booking_providers() -> tuple[BookingProvider, ...]:
    return tuple(_providers)


def has_upcoming_booking(request, user, *, within_days: int, kind: str = "") -> bool:
    answers = getattr(request, "_segment_bookings", None)
    if answers is None:
        answers = request._segment_bookings = {}
    key = (within_days, kind)
    if key not in answers:
        found = False
        for provider in _providers:
            try:
                if provider(user, within_days=within_days, kind=kind):
                    found = True
                    break
            except Exception:  # noqa: BLE001 - a failing provider means "no booking"
                logger.warning("booking provider %r failed", provider, exc_info=True)
        answers[key] = found
    return answers[key]
