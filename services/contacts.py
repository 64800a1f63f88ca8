"""Contacts: who a case or an interaction is about, matching, merging, handover.

The matching rules (tested in ``tests/services/test_contacts.py``):

* a record made with an account belongs to that account's contact;
* a guest's or caller's record joins an existing contact only through a
  *verified* email address or phone number of that contact; an unverified match
  (two guest reports with the same email address that nobody has verified) never
  joins anything, and a name never does: staff see such contacts as possible
  duplicates and merge them if they are one person;
* when someone verifies an email address on their account, every contact holding
  that address joins their contact (``join_contacts_by_email``, called by the
  guest claim): the same rule as the guest claim, which only a verified address
  triggers.

A merge moves cases, interactions, consents and points and logs their ids
(``ContactMerge``), so ``undo_merge`` puts exactly those back.
"""

from __future__ import annotations

import re

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from services.enums import CaseEventKind
from services.models import (
    Case,
    CaseEvent,
    Consent,
    Contact,
    ContactMerge,
    ContactPoint,
    ContactPointKind,
    Handover,
    Interaction,
    MergeReason,
)


class MergeRefused(Exception):
    """The merge (or its undo) cannot be done; the message says why, for staff."""


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def normalise_phone(phone: str) -> str:
    """Digits only, a UK international prefix written as the national 0:
    "+44 (0)7700 900123", "07700 900123" and "447700900123" are one number."""
    digits = re.sub(r"\D", "", phone or "")
    if digits.startswith("440"):
        digits = digits[2:]
    elif digits.startswith("44") and len(digits) == 12:
        digits = "0" + digits[2:]
    return digits


def looks_like_phone(text: str) -> bool:
    return (
        bool(re.fullmatch(r"[0-9 +()-]{6,30}", text.strip()))
        and sum(c.isdigit() for c in text) >= 6
    )


def _points(email: str, phone: str) -> list[tuple[str, str]]:
    found = []
    if email := normalise_email(email):
        found.append((ContactPointKind.EMAIL, email))
    if phone := normalise_phone(phone):
        found.append((ContactPointKind.PHONE, phone))
    return found


def _add_points(contact: Contact, points, *, verified=False) -> None:
    have = set(contact.points.values_list("kind", "value"))
    now = timezone.now() if verified else None
    ContactPoint.objects.bulk_create(
        ContactPoint(contact=contact, kind=kind, value=value, verified_at=now)
        for kind, value in points
        if (kind, value) not in have
    )


def contact_for_user(user) -> Contact:
    """The account's contact, made the first time it is needed."""
    contact, created = Contact.objects.get_or_create(
        user=user, defaults={"name": user.get_full_name()}
    )
    if created and user.email:
        _add_points(contact, _points(user.email, ""))
    return contact


def contact_for_details(*, name: str = "", email: str = "", phone: str = "") -> Contact:
    """The contact for a guest or caller: the one holding one of these details
    *verified*, or a new one. Never matched by name or by an unverified detail."""
    points = _points(email, phone)
    if points:
        match = Q()
        for kind, value in points:
            match |= Q(kind=kind, value=value)
        owner = (
            ContactPoint.objects.filter(match, verified_at__isnull=False)
            .select_related("contact")
            .order_by("kind")  # an email address first
            .first()
        )
        if owner is not None:
            contact = owner.contact
            _add_points(contact, points)
            if name and not contact.name:
                contact.name = name
                contact.save(update_fields=["name"])
            return contact
    contact = Contact.objects.create(name=name.strip())
    _add_points(contact, points)
    return contact


def attach_case(case: Case) -> Contact:
    """Give a new case its contact (from ``services.actions.open_case``)."""
    if case.resident_id:
        contact = contact_for_user(case.resident)
    else:
        contact = contact_for_details(
            name=case.contact_name, email=case.guest_email, phone=case.contact_phone
        )
    Case.objects.filter(pk=case.pk).update(contact=contact)
    case.contact = contact
    return contact


def contact_for_interaction(*, resident, case, name, email, phone) -> Contact:
    if case is not None and case.contact_id:
        return case.contact
    if resident is not None:
        return contact_for_user(resident)
    return contact_for_details(name=name, email=email, phone=phone)


@transaction.atomic
def verify_point(*, contact: Contact, kind: str, value: str) -> bool:
    """Mark a detail of ``contact`` verified (the person proved it is theirs).
    Refused (False) when another contact already holds it verified."""
    value = normalise_email(value) if kind == ContactPointKind.EMAIL else value
    if kind == ContactPointKind.PHONE:
        value = normalise_phone(value)
    taken = (
        ContactPoint.objects.filter(kind=kind, value=value, verified_at__isnull=False)
        .exclude(contact=contact)
        .exists()
    )
    if taken:
        return False
    _add_points(contact, [(kind, value)])
    contact.points.filter(kind=kind, value=value, verified_at__isnull=True).update(
        verified_at=timezone.now()
    )
    return True


@transaction.atomic
def join_contacts_by_email(*, user, email: str) -> list[ContactMerge]:
    """``user`` has verified ``email``: their contact holds it verified, and every
    other contact without an account that holds it joins theirs (logged as a
    merge, so staff can undo it)."""
    contact = contact_for_user(user)
    email = normalise_email(email)
    ContactPoint.objects.filter(
        kind=ContactPointKind.EMAIL, value=email, verified_at__isnull=False
    ).exclude(contact=contact).filter(contact__user__isnull=True).update(
        verified_at=None
    )
    if not verify_point(contact=contact, kind=ContactPointKind.EMAIL, value=email):
        return []
    others = (
        Contact.objects.current()
        .filter(
            user__isnull=True,
            points__kind=ContactPointKind.EMAIL,
            points__value=email,
        )
        .exclude(pk=contact.pk)
        .distinct()
    )
    return [
        merge_contacts(
            keep=contact, merge=other, actor=user, reason=MergeReason.SIGN_UP
        )
        for other in others
    ]


def possible_duplicates(contact: Contact, limit: int = 10, points=None):
    """Other contacts sharing an email address or phone number with this one
    (verified or not): for staff to confirm, never merged by the system.
    ``points``: the contact's details when the caller has them already."""
    points = list(contact.points.all()) if points is None else points
    if not points:
        return Contact.objects.none()
    match = Q()
    for point in points:
        match |= Q(points__kind=point.kind, points__value=point.value)
    return (
        Contact.objects.current()
        .filter(match)
        .exclude(pk=contact.pk)
        .select_related("user")
        .distinct()
        .order_by("-created_at")[:limit]
    )


MOVABLE = {
    "cases": Case,
    "interactions": Interaction,
    "consents": Consent,
    "points": ContactPoint,
}


@transaction.atomic
def merge_contacts(
    *, keep: Contact, merge: Contact, actor, reason: str = MergeReason.STAFF
) -> ContactMerge:
    """Move everything of ``merge`` onto ``keep`` and log it. The contact with an
    account is the one kept; two accounts' contacts are never merged (their
    owners would see each other's records)."""
    locked = {
        c.pk: c
        for c in Contact.objects.select_for_update().filter(pk__in=[keep.pk, merge.pk])
    }
    if keep.pk == merge.pk or len(locked) != 2:
        raise MergeRefused("Choose two different people to merge.")
    keep, merge = locked[keep.pk], locked[merge.pk]
    if keep.merged_into_id or merge.merged_into_id:
        raise MergeRefused("One of these people has already been merged.")
    if keep.user_id and merge.user_id:
        raise MergeRefused(
            "Both people have an account: they cannot be merged, ask them which "
            "account to keep."
        )
    if merge.user_id:
        keep, merge = merge, keep
    moved = {}
    for key, model in MOVABLE.items():
        rows = model.objects.filter(contact=merge)
        if model is ContactPoint:
            # A detail the kept person already holds stays behind (and is
            # there again if the merge is undone).
            for kind, value in keep.points.values_list("kind", "value"):
                rows = rows.exclude(kind=kind, value=value)
        moved[key] = list(rows.values_list("pk", flat=True))
        rows.update(contact=keep)
    if merge.name and not keep.name:
        keep.name = merge.name
        keep.save(update_fields=["name"])
        moved["name"] = [merge.name]
    merge.merged_into = keep
    merge.save(update_fields=["merged_into"])
    return ContactMerge.objects.create(
        kept=keep, merged=merge, actor=actor, reason=reason, moved=moved
    )


@transaction.atomic
def undo_merge(*, merge: ContactMerge, actor) -> ContactMerge:
    """Put back exactly what ``merge`` moved. A later merge involving either
    person must be undone first (it may have moved the same records on)."""
    merge = ContactMerge.objects.select_for_update().get(pk=merge.pk)
    if merge.undone_at:
        raise MergeRefused("This merge has already been undone.")
    people = [merge.kept_id, merge.merged_id]
    later = (
        ContactMerge.objects.filter(undone_at__isnull=True, pk__gt=merge.pk)
        .filter(Q(kept_id__in=people) | Q(merged_id__in=people))
        .exists()
    )
    if later:
        raise MergeRefused("Undo the later merge of these people first.")
    for key, model in MOVABLE.items():
        model.objects.filter(
            pk__in=merge.moved.get(key, []), contact_id=merge.kept_id
        ).update(contact_id=merge.merged_id)
    if merge.moved.get("name"):
        Contact.objects.filter(pk=merge.kept_id).update(name="")
    Contact.objects.filter(pk=merge.merged_id).update(merged_into=None)
    merge.undone_at = timezone.now()
    merge.undone_by = actor
    merge.save(update_fields=["undone_at", "undone_by"])
    return merge


@transaction.atomic
def record_consent(*, contact: Contact, purpose: str, granted: bool, channel, staff):
    return Consent.objects.create(
        contact=contact,
        purpose=purpose,
        granted=granted,
        channel=channel,
        recorded_by=staff,
    )


def current_consents(contact: Contact) -> list[Consent]:
    """The newest answer per purpose (one query)."""
    newest = {}
    for consent in Consent.objects.filter(contact=contact).select_related(
        "recorded_by"
    ):
        newest.setdefault(consent.purpose, consent)
    return list(newest.values())


@transaction.atomic
def hand_over_case(*, case: Case, to_team, note: str, staff) -> Handover:
    """The case moves to ``to_team``'s queue (unassigned) with a note on its
    timeline for staff."""
    from_team = case.team
    handover = Handover.objects.create(
        case=case, from_team=from_team, to_team=to_team, note=note.strip(), staff=staff
    )
    Case.objects.filter(pk=case.pk).update(
        team=to_team, assignee=None, updated_at=timezone.now()
    )
    CaseEvent.objects.create(
        case=case,
        kind=CaseEventKind.HANDED_OVER,
        actor=staff,
        public=False,
        text=f"Handed from {from_team or 'no team'} to {to_team}: {note.strip()}",
        data={"from_team": getattr(from_team, "pk", None), "to_team": to_team.pk},
    )
    case.team = to_team
    case.assignee = None
    return handover


@transaction.atomic
def hand_over_follow_up(
    *, interaction: Interaction, to_team, note: str, staff
) -> Handover:
    """An interaction's follow-up goes to ``to_team`` with a note, listed with
    the interaction on the person's page."""
    handover = Handover.objects.create(
        interaction=interaction,
        from_team=interaction.follow_up_team,
        to_team=to_team,
        note=note.strip(),
        staff=staff,
    )
    Interaction.objects.filter(pk=interaction.pk).update(follow_up_team=to_team)
    interaction.follow_up_team = to_team
    return handover
