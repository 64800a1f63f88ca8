"""Save and come back later: half-finished journeys kept on the server.

While a journey runs, the session (guests) or the resident's ``CaseDraft`` row
(signed-in residents, saved at every step) is the working copy
(``services.blocks.transactions.JourneyStore``). What this module adds:

* **Signed-in residents** find their unfinished journeys in My Account, each with a
  "Continue" link to its own pages (``saved_for_resident``): one query, however
  many they have.
* **Guests** ask for a link by email (``?step=save`` on any question). The journey
  is copied into one ``CaseDraft`` row with no user, the email address, the SHA-256
  of a random 256-bit token and an expiry (``JOURNEY_RESUME_DAYS``, 28 days); the
  link (``/journeys/resume/<token>/``) leaves through the outbox like every other
  email. Saving again updates the same row with a new token: one row per journey.
  Opening the link shows a "Continue" button (a mail scanner following the link
  changes nothing); pressing it moves the answers into that browser's session (or
  into the signed-in resident's own saved journey) and deletes the row, so a link
  works once. Expired rows are deleted by the retention job.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
import uuid

from django import forms
from django.conf import settings
from django.db import transaction
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone

from frontend.forms import GovUKForm
from frontend.govuk_style import govuk_date
from home.platform.ratelimit import allow
from services.enums import OutboxTopic
from services.models import CaseDraft, OutboxEvent

SAVE_RATE_LIMIT = 5  # links a browser may ask for ...
SAVE_RATE_WINDOW_SECONDS = 3600  # ... per hour
# Answers a guest gave for their own contact details are dropped when a signed-in
# resident takes the journey over: their account answers that.
GUEST_ONLY_STEPS = ("contact",)
_WORKING_KEYS = ("saved_id", "saved_email")


class SaveForLaterForm(GovUKForm):
    email = forms.EmailField(
        label="Email address",
        help_text="We will only use this to send you the link",
        max_length=254,
        error_messages={
            "required": "Enter your email address",
            "invalid": (
                "Enter an email address in the correct format, like name@example.com"
            ),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def split_key(journey_key: str) -> tuple[int | None, str]:
    """(page id, block id) from a ``TransactionBlock.journey_key``."""
    page_id, _sep, block_id = journey_key.partition(":")
    return (int(page_id) if page_id.isdigit() else None), block_id


# -- actions ----------------------------------------------------------------------------


@transaction.atomic
def save_guest_journey(
    *, journey_key: str, state: dict, email: str, service_name: str, link_for
) -> tuple[CaseDraft, str]:
    """Keep a guest's journey for ``JOURNEY_RESUME_DAYS`` and email them a link to
    it; returns the row and the token (``link_for(token)`` is the link). A journey
    saved before (``state["saved_id"]``) keeps its row and gets a new token: the
    old link stops working."""
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    expires_at = now + datetime.timedelta(days=settings.JOURNEY_RESUME_DAYS)
    kept = {k: v for k, v in state.items() if k not in _WORKING_KEYS}
    draft = None
    if state.get("saved_id"):
        draft = (
            CaseDraft.objects.select_for_update()
            .filter(pk=state["saved_id"], user__isnull=True, journey_key=journey_key)
            .first()
        )
    if draft is None:
        draft = CaseDraft(journey_key=journey_key)
    draft.state = kept
    draft.email = email
    draft.resume_token_hash = token_hash(token)
    draft.expires_at = expires_at
    draft.save()
    row = OutboxEvent.objects.create(
        topic=OutboxTopic.JOURNEY_RESUME,
        key=f"{OutboxTopic.JOURNEY_RESUME}:{draft.pk}:{uuid.uuid4().hex}",
        payload={
            "to": email,
            "url": link_for(token),
            "service": service_name,
            "expires_on": govuk_date(timezone.localdate(expires_at)),
        },
    )
    from services.actions import _enqueue_delivery

    transaction.on_commit(lambda: _enqueue_delivery([row.pk]))
    return draft, token


def find_resumable(token: str, *, lock: bool = False) -> CaseDraft | None:
    """The guest's saved journey a link's token opens, while it lasts."""
    if not token or len(token) > 100:
        return None
    drafts = CaseDraft.objects.resumable(token_hash(token), timezone.now())
    if lock:
        drafts = drafts.select_for_update()
    return drafts.first()


@transaction.atomic
def resume_guest_journey(*, token: str, request) -> CaseDraft | None:
    """Move a saved journey into this browser: the session of a guest, or the
    signed-in resident's own saved journey (which it replaces). The row is
    deleted, so its link works once. ``None`` when the link is unknown, used or
    expired."""
    draft = find_resumable(token, lock=True)
    if draft is None:
        return None
    state = dict(draft.state)
    if request.user.is_authenticated:
        answers = {
            k: v
            for k, v in state.get("answers", {}).items()
            if k not in GUEST_ONLY_STEPS
        }
        CaseDraft.objects.update_or_create(
            user=request.user,
            journey_key=draft.journey_key,
            defaults={"state": {**state, "answers": answers}},
        )
    else:
        request.session[f"journey:{draft.journey_key}"] = state
    draft.delete()
    return draft


def forget_saved(state: dict) -> None:
    """A guest's journey ended (a case was opened): its saved copy goes too."""
    if state.get("saved_id"):
        CaseDraft.objects.filter(pk=state["saved_id"], user__isnull=True).delete()


def delete_expired(*, now=None) -> int:
    """Guests' saved journeys whose link has expired (the retention job)."""
    deleted, _ = CaseDraft.objects.expired(now or timezone.now()).delete()
    return deleted


# -- the journey's save step (TransactionBlock hands these over) --------------------------


def post_save_for_later(request, url, *, store, state, page, value):
    """The POST of the save step: a redirect, or the form with its errors."""
    from services.blocks.transactions import SAVE, SAVED, Bound

    if store.user is not None or store.caller is not None:
        return HttpResponseRedirect(url)
    form = SaveForLaterForm(data=request.POST)
    if not form.is_valid():
        return Bound(SAVE, form)
    if not allow(
        request,
        scope="journey-save",
        limit=SAVE_RATE_LIMIT,
        window=SAVE_RATE_WINDOW_SECONDS,
    ):
        form.add_error(
            None, "You have asked for too many links. Wait an hour and try again."
        )
        return Bound(SAVE, form)
    email = form.cleaned_data["email"]
    draft, _token = save_guest_journey(
        journey_key=store.key,
        state=state,
        email=email,
        service_name=value["heading"] or page.title,
        link_for=lambda token: request.build_absolute_uri(
            reverse("services:resume_journey", args=[token])
        ),
    )
    state["saved_id"] = draft.pk
    state["saved_email"] = email
    store.save(state)
    return HttpResponseRedirect(f"{url}?step={SAVED}")


def save_context(request, journey, journey_url) -> dict:
    from services.blocks.transactions import SAVE, SAVED

    days = settings.JOURNEY_RESUME_DAYS
    if journey.shown == SAVED:
        return {
            "mode": SAVED,
            "journey_heading": "We have sent you a link to come back",
            "saved_email": journey.state.get("saved_email", ""),
            "resume_days": days,
        }
    contact = journey.state["answers"].get("contact", {})
    return {
        "mode": SAVE,
        "journey_heading": "Save your answers and come back later",
        "form": journey.bound.form
        if journey.bound
        else SaveForLaterForm(
            initial={"email": journey.state.get("saved_email") or contact.get("email")}
        ),
        "step_name": SAVE,
        "resume_days": days,
        "back_url": journey_url,
    }


# -- reads --------------------------------------------------------------------------------


def saved_for_resident(user, request=None) -> list[dict]:
    """A signed-in resident's unfinished journeys for My Account: service name,
    when last changed and the link to continue (two queries, however many)."""
    from wagtail.models import Page

    drafts = list(
        CaseDraft.objects.for_resident(user).only("journey_key", "updated_at", "state")
    )
    keys = {d.pk: split_key(d.journey_key) for d in drafts}
    pages = (
        Page.objects.live()
        .specific()
        .in_bulk({page_id for page_id, _b in keys.values()})
    )
    out = []
    for draft in drafts:
        if not draft.state.get("answers"):
            continue  # opened, nothing answered yet
        page_id, block_id = keys[draft.pk]
        page = pages.get(page_id)
        url = journey_url(page, block_id, request) if page else None
        if not url:
            continue
        out.append({"title": page.title, "updated_at": draft.updated_at, "url": url})
    return out


def journey_url(page, block_id: str, request=None) -> str | None:
    """The journey's own pages, or ``None`` when the page is not served."""
    from services.blocks.transactions import JOURNEY_SEGMENT

    base = page.get_url(request=request)
    if not base:
        return None
    if hasattr(page, "journey_url"):
        return page.journey_url(block_id, request=request)
    return f"{base}{JOURNEY_SEGMENT}/{block_id}/"
