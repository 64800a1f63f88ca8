"""Erasing personal data from case records: one routine per kind of record.

Two things erase cases, and both call these routines, so they cannot drift apart:

* **account deletion** (``myaccount``'s "cases" data handler,
  ``myaccount/sources_cases.py``): the resident's cases, the cases they follow and
  their half-finished journeys;
* **retention** (``services.retention``): closed cases kept past their service's
  ``retention_days``, with everyone following them.

What a case keeps, for the council's statistics: reference, service, case type,
category, summary (set by the journey, never typed by the resident), status,
channel, team, partner, assignee, ward, the outward code of the postcode (``GU1``,
shared by thousands of addresses), dates, and the shape of its timeline (each
entry's kind, status change, time and member of staff). What goes: the resident
link, guest email, contact name and phone, address, UPRN, full postcode, map pin,
location description, every answer, the text of every timeline entry a person wrote
(notes, public updates, status messages, the satisfaction answer's text: replaced by
``ERASED``), the satisfaction comment (the yes/no answer stays), the resident as the
actor of timeline entries, outbox payloads and delivery errors, and every file
(rows and stored files; the files are deleted only once the transaction commits).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from frontend.formats import parse_postcode
from services.enums import CaseEventKind
from services.models import (
    Case,
    CaseAttachment,
    CaseDraft,
    CaseEvent,
    CaseFollower,
    CaseSatisfaction,
    ConstituentEnquiry,
    OutboxEvent,
    Permit,
)
from services.uploads import delete_stored, paths_in, uploads_storage

ERASED = "[erased]"
# Timeline entries whose text a person wrote (the others are written by the system).
PERSON_TEXT_KINDS = (
    CaseEventKind.STATUS_CHANGED,
    CaseEventKind.PUBLIC_UPDATE,
    CaseEventKind.INTERNAL_NOTE,
    CaseEventKind.SATISFACTION,
)
CASE_FIELDS = [
    "answers",
    "resident",
    "contact",
    "guest_email",
    "contact_name",
    "contact_phone",
    "address",
    "uprn",
    "location_description",
    "postcode",
    "latitude",
    "longitude",
]


def outward_code(postcode: str) -> str:
    """``GU1 4AA`` (or ``gu14aa``) → ``GU1``: the postcode district, kept for area
    statistics; a value that is not a postcode is not kept at all."""
    parsed = parse_postcode(postcode or "")
    return parsed.outward if parsed is not None else ""


def _after_commit_delete(names: list[str]) -> None:
    if names:
        transaction.on_commit(lambda: delete_stored(names))


@transaction.atomic
def erase_cases(
    case_ids: Iterable[int], *, reason: str, anonymised_at=None, now=None
) -> int:
    """Erase the personal data of these cases (see the module docstring); each gets
    a "Personal data erased" timeline entry saying ``reason``. ``anonymised_at``
    (the retention job's mark) records that the case is erased for good. Returns
    how many cases were erased. Safe to run again on the same cases."""
    now = now or timezone.now()
    cases = list(
        Case.objects.filter(pk__in=list(case_ids))
        .only("pk", "answers", "postcode", "resident_id", "contact_id")
        .order_by("pk")
    )
    if not cases:
        return 0
    ids = [c.pk for c in cases]
    people = {c.contact_id for c in cases if c.contact_id}
    files = [p for c in cases for p in paths_in(c.answers)]
    files += CaseAttachment.objects.filter(case_id__in=ids).values_list(
        "file", flat=True
    )
    CaseAttachment.objects.filter(case_id__in=ids).delete()
    # A councillor's enquiry: the constituent's details and consent go with it.
    ConstituentEnquiry.objects.filter(case_id__in=ids).delete()
    # The resident's own timeline entries no longer point at them.
    CaseEvent.objects.filter(case_id__in=ids, actor_id=F("case__resident_id")).update(
        actor=None
    )
    CaseEvent.objects.filter(case_id__in=ids, kind__in=PERSON_TEXT_KINDS).exclude(
        text=""
    ).update(text=ERASED)
    CaseEvent.objects.filter(case_id__in=ids, kind__in=PERSON_TEXT_KINDS).exclude(
        kind=CaseEventKind.SATISFACTION
    ).update(data={})
    CaseSatisfaction.objects.filter(case_id__in=ids).update(comment="")
    # A permit keeps its number and period (the council's record), not whose it was.
    Permit.objects.filter(case_id__in=ids).update(
        user=None, address="", uprn="", postcode="", vehicle_registration=""
    )
    OutboxEvent.objects.filter(case_id__in=ids).update(payload={}, last_error="")
    for case in cases:
        case.answers = {}
        case.resident = None
        case.contact = None
        case.guest_email = case.contact_name = case.contact_phone = ""
        case.address = case.uprn = case.location_description = ""
        case.postcode = outward_code(case.postcode)
        case.latitude = case.longitude = None
        if anonymised_at is not None:
            case.anonymised_at = anonymised_at
    fields = CASE_FIELDS + (["anonymised_at"] if anonymised_at is not None else [])
    Case.objects.bulk_update(cases, fields)
    CaseEvent.objects.bulk_create(
        CaseEvent(
            case_id=pk, kind=CaseEventKind.ANONYMISED, text=reason, created_at=now
        )
        for pk in ids
    )
    erase_contacts_left_without_records(people, now=now)
    _after_commit_delete(files)
    return len(ids)


@transaction.atomic
def erase_follows(follows) -> int:
    """Remove residents from cases they followed (a ``CaseFollower`` queryset);
    their "followed" timeline entries stay, without them. Returns how many."""
    pairs = list(follows.values_list("pk", "case_id", "user_id"))
    for _pk, case_id, user_id in pairs:
        CaseEvent.objects.filter(
            case_id=case_id, kind=CaseEventKind.FOLLOWED, actor_id=user_id
        ).update(actor=None)
    CaseFollower.objects.filter(pk__in=[pk for pk, _c, _u in pairs]).delete()
    return len(pairs)


def _journey_folders(state) -> set[str]:
    """The upload folders (``uploads/<day>/<token>``) a journey's state points at."""
    return {path.rsplit("/", 1)[0] for path in paths_in(state) if path.count("/") >= 3}


def files_in_folders(folders: Iterable[str]) -> list[str]:
    storage = uploads_storage()
    names = []
    for folder in folders:
        if storage.exists(folder):
            _dirs, files = storage.listdir(folder)
            names += [f"{folder}/{name}" for name in files]
    return names


@transaction.atomic
def erase_drafts(drafts) -> int:
    """Delete half-finished journeys (a ``CaseDraft`` queryset) and every file
    uploaded in them, including photos the resident replaced. Returns how many."""
    rows = list(drafts.values_list("pk", "state"))
    folders = set().union(*(_journey_folders(state) for _pk, state in rows))
    files = [p for _pk, state in rows for p in paths_in(state)]
    files += files_in_folders(folders)
    CaseDraft.objects.filter(pk__in=[pk for pk, _s in rows]).delete()
    _after_commit_delete(sorted(set(files)))
    return len(rows)


def erase_interactions(interactions, *, now=None) -> int:
    """An interaction keeps its channel, reason, outcome, duration, staff member,
    case and time (the channel-shift figures); it loses the person: their account
    link, name, email address, phone number and the note staff typed."""
    people = set(
        interactions.exclude(contact=None).values_list("contact_id", flat=True)
    )
    count = interactions.update(
        resident=None,
        contact=None,
        contact_name="",
        contact_email="",
        contact_phone="",
        note="",
        anonymised_at=now or timezone.now(),
    )
    erase_contacts_left_without_records(people, now=now)
    return count


def erase_contacts_left_without_records(contact_ids, *, now=None) -> None:
    """Guests' and callers' contacts (no account) that no case or interaction
    points at any more: nothing is kept about the person."""
    from services.models import Contact, Interaction

    if not contact_ids:
        return
    orphans = (
        Contact.objects.filter(
            pk__in=list(contact_ids), user__isnull=True, anonymised_at__isnull=True
        )
        .exclude(
            pk__in=Case.objects.filter(contact_id__in=list(contact_ids)).values(
                "contact_id"
            )
        )
        .exclude(
            pk__in=Interaction.objects.filter(contact_id__in=list(contact_ids)).values(
                "contact_id"
            )
        )
    )
    for contact in orphans:
        erase_contact(contact, now=now)


def erase_contact(contact, *, now=None) -> None:
    """A person's contact record loses their name, email addresses, phone
    numbers and consents; what they did stays (anonymised) for the figures, and
    the merge log keeps ids only. The link to the (anonymised) account stays, so
    the other erasure handlers still find the records through it."""
    from services.models import Consent, ContactPoint

    ContactPoint.objects.filter(contact=contact).delete()
    Consent.objects.filter(contact=contact).delete()
    type(contact).objects.filter(pk=contact.pk).update(
        name="", anonymised_at=now or timezone.now()
    )
