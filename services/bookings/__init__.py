"""Bookings: slot search, holds, confirmation and cancellation (``actions``)."""
