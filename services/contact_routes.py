"""How a resident with an account wants to hear from the council.

The preferences live on the resident's profile (``myaccount``), which ``services``
may not import: ``myaccount`` registers a function here when it starts
(``register``), and the outbox asks ``route_for(user)``. Without one registered,
everybody is emailed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class ContactRoute:
    email: bool = True
    # The mobile number texts go to; empty when the resident did not choose texts.
    sms_to: str = ""


_resolver: Callable | None = None


def register(resolver: Callable) -> None:
    """``resolver(user) -> ContactRoute`` (one for the whole site)."""
    global _resolver
    _resolver = resolver


def route_for(user) -> ContactRoute:
    if user is None or _resolver is None:
        return ContactRoute()
    return _resolver(user)
