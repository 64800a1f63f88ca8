"""Contact-centre staff running a resident journey for a caller ("on behalf").

A member of staff with ``services.open_case_on_behalf`` starts from the admin case
list: they choose the service and say who is calling and how (phone or face to
face). That is kept in their session (``SESSION_KEY``) and they are sent to the
service's public page, where the very same journey runs, with a staff banner.

While the page serves the journey, ``assisting(request, page)`` makes the request
look like a guest's (``request.user`` is anonymous, so no account details are
prefilled and no case lands in the staff member's own account) and gives the
``Caller`` to the page, which passes it on explicitly: to each journey's state
(``state.caller``) and from there to ``services.actions.open_case(caller=...)``:
the case records the channel, the caller's phone number, and the member of staff
as the actor of its first timeline entry.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AnonymousUser

SESSION_KEY = "on_behalf"
PERMISSION = "services.open_case_on_behalf"


@dataclass(frozen=True)
class Caller:
    page_id: int
    channel: str
    name: str
    email: str
    phone: str
    staff: object  # the member of staff (a user)

    @property
    def channel_label(self) -> str:
        from services.enums import Channel

        return Channel(self.channel).label.lower()


def can_open_on_behalf(user) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.has_perm(PERMISSION)
    )


def start(request, *, page, channel: str, name: str, email: str, phone: str) -> None:
    """Remember the caller for ``page`` and clear any half-finished journey there."""
    request.session[SESSION_KEY] = {
        "page_id": page.pk,
        "channel": channel,
        "name": name,
        "email": email,
        "phone": phone,
        "staff_id": request.user.pk,
    }
    for key in [
        k for k in request.session.keys() if k.startswith(f"journey:{page.pk}:")
    ]:
        del request.session[key]
    # The contact step is answered already: what the caller told staff.
    from services.blocks.transactions import TransactionBlock

    for field_name in getattr(page, "transaction_stream_fields", ()):
        for child in getattr(page, field_name, None) or []:
            if isinstance(child.block, TransactionBlock):
                key = TransactionBlock.journey_key(page, child.id)
                request.session[f"journey:{key}"] = {
                    "answers": {"contact": {"name": name, "email": email}},
                }


def finish(request) -> None:
    request.session.pop(SESSION_KEY, None)


def caller_for(request, page) -> Caller | None:
    """The caller staff are serving on ``page``, or None (also when the staff
    member has lost the permission or signed out)."""
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        # Anonymous visitors: never touch the session or the user, so their pages
        # stay cacheable (home/cache.py).
        return None
    user = getattr(request, "user", None)
    data = request.session.get(SESSION_KEY)
    # The session first: a resident's step then reads no permissions.
    if not data or data.get("page_id") != page.pk:
        return None
    if not can_open_on_behalf(user) or data.get("staff_id") != user.pk:
        return None
    return Caller(
        page_id=page.pk,
        channel=data["channel"],
        name=data["name"],
        email=data.get("email", ""),
        phone=data.get("phone", ""),
        staff=user,
    )


@contextmanager
def assisting(request, page):
    """Run the page's journey for the caller, if staff are serving one here: the
    request is a guest's meanwhile; yields the ``Caller`` (or ``None``)."""
    caller = caller_for(request, page)
    if caller is None:
        yield None
        return
    staff = request.user
    request.user = AnonymousUser()
    try:
        yield caller
    finally:
        request.user = staff
