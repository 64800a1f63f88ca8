"""Every change to a case. Keyword-only, each owns its transaction.

Views, forms, the admin and tasks call these; nothing else writes cases. A change a
resident must hear about writes an ``OutboxEvent`` in the same transaction and
enqueues delivery only once that transaction has committed.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone

from sequences import get_next_value

from services import contacts
from services.deadlines import first_due_date
from services.enums import (
    CLOSED_STATUSES,
    CaseEventKind,
    CaseStatus,
    Channel,
    OutboxTopic,
)
from services.models import Case, CaseEvent, OutboxEvent, ServiceDefinition

if TYPE_CHECKING:
    from services.on_behalf import Caller


class InvalidTransition(Exception):
    """The service's workflow does not allow this status change."""


class NotPermitted(Exception):
    """The user may not make this change to this case."""


def _enqueue_delivery(outbox_ids: list[int]) -> None:
    from services.tasks import deliver_outbox

    for pk in outbox_ids:
        deliver_outbox.delay(pk)


def _outbox(*, case: Case, topic: str, event: CaseEvent | None, payload=None):
    row = OutboxEvent.objects.create(
        topic=topic,
        key=f"{topic}:{case.pk}:{event.pk if event else uuid.uuid4().hex}",
        case=case,
        event=event,
        payload=payload or {},
    )
    transaction.on_commit(lambda: _enqueue_delivery([row.pk]))
    from services.webhooks import queue_for_change

    queue_for_change(case=case, topic=topic, event=event)
    return row


def next_reference(service: ServiceDefinition, year: int) -> str:
    """``BIN-2026-000123``: gapless per service and year. Must run inside the
    transaction that creates the case, so a rollback gives the number back."""
    number = get_next_value(f"case:{service.reference_prefix}:{year}")
    return f"{service.reference_prefix}-{year}-{number:06d}"


@transaction.atomic
def open_case(
    *,
    service: ServiceDefinition,
    answers: dict,
    resident=None,
    guest_email: str = "",
    contact_name: str = "",
    channel: str = Channel.WEB,
    idempotency_key: uuid.UUID | str | None = None,
    summary: str = "",
    category: str = "",
    address: str = "",
    postcode: str = "",
    uprn: str = "",
    latitude=None,
    longitude=None,
    location_description: str = "",
    actor=None,
    street_id: int | None = None,
    caller: Caller | None = None,
) -> Case:
    """Open a case, its first timeline entry and the "case opened" outbox row.

    With an ``idempotency_key`` a repeated call (double click, back and resubmit,
    a retried POST, even concurrently) returns the case the first call made.
    ``case.created`` tells the caller which happened.

    The ward comes from the street, the map pin or the postcode
    (``services.streets.ward_id_for``). When contact-centre staff run the journey
    for a ``caller`` (``services.on_behalf``), the case takes the caller's channel,
    name and phone number and the member of staff is the actor of its first entry.
    """
    from services.streets import ward_id_for

    contact = _contact(
        caller,
        channel=channel,
        actor=actor or resident,
        name=contact_name,
    )
    existing = _existing_case(idempotency_key)
    if existing is not None:
        return existing
    if resident is None and not guest_email and not contact.phone:
        raise ValueError("A case needs a resident or a guest email address.")
    now = timezone.now()
    fields = {
        "service": service,
        "case_type": service.case_type,
        "category": category,
        "summary": summary[:200],
        "answers": answers,
        "resident": resident,
        "guest_email": "" if resident else guest_email,
        "contact_name": contact.name,
        "contact_phone": contact.phone,
        "channel": contact.channel,
        "ward_id": ward_id_for(
            street_id=street_id,
            latitude=latitude,
            longitude=longitude,
            postcode=postcode,
        ),
        "team_id": service.team_id,
        "due_date": first_due_date(service, timezone.localdate(now)),
        "idempotency_key": idempotency_key or None,
        "address": address,
        "postcode": postcode,
        "uprn": uprn,
        "latitude": latitude,
        "longitude": longitude,
        "location_description": location_description,
        "created_at": now,
    }
    case = _create_case(service, fields, idempotency_key=idempotency_key)
    if not case.created:
        return case
    event = _record_submission(case, contact, caller, at=now)
    contacts.attach_case(case)
    _outbox(case=case, topic=OutboxTopic.CASE_OPENED, event=event)
    return case


@dataclass(frozen=True)
class _Contact:
    """How a new case came in: channel, who is named on it, who opened it."""

    channel: str
    name: str
    phone: str
    actor: object


def _contact(caller: Caller | None, *, channel: str, actor, name: str) -> _Contact:
    """The caller's channel, name and phone, and the member of staff as the actor,
    when staff serve a caller; otherwise what the journey said."""
    if caller is None:
        return _Contact(channel=channel, name=name, phone="", actor=actor)
    return _Contact(
        channel=caller.channel,
        name=name or caller.name,
        phone=caller.phone,
        actor=caller.staff,
    )


def _existing_case(idempotency_key) -> Case | None:
    """The case an earlier call with the same idempotency key opened."""
    if not idempotency_key:
        return None
    existing = Case.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        existing.created = False
    return existing


def _create_case(service: ServiceDefinition, fields: dict, *, idempotency_key) -> Case:
    """The case row with its reference, or the one a concurrent call with the same
    idempotency key made first (``created`` says which)."""
    try:
        # The reference is taken inside the savepoint: a duplicate that loses the
        # race on the idempotency key gives its number back.
        with transaction.atomic():
            year = timezone.localdate(fields["created_at"]).year
            case = Case.objects.create(
                reference=next_reference(service, year), **fields
            )
    except IntegrityError:
        if not idempotency_key:
            raise
        case = Case.objects.get(idempotency_key=idempotency_key)
        case.created = False
        return case
    case.created = True
    return case


def _record_submission(case: Case, contact: _Contact, caller, *, at) -> CaseEvent:
    """The case's first timeline entry, which the resident sees."""
    text = f"{case.case_type} request received."
    data = {"channel": contact.channel}
    if caller is not None:
        staff_name = caller.staff.get_full_name() or caller.staff.get_username()
        # Residents see this entry: the staff member is its actor (shown to staff
        # in the admin timeline), not named in the text.
        text = f"{case.case_type} request received by {caller.channel_label}."
        data |= {"on_behalf": True, "staff": staff_name}
    return CaseEvent.objects.create(
        case=case,
        kind=CaseEventKind.SUBMITTED,
        actor=contact.actor,
        public=True,
        to_status=CaseStatus.SUBMITTED,
        text=text,
        data=data,
        created_at=at,
    )


@transaction.atomic
def change_status(
    *, case: Case, to_status: str, actor, message: str = "", data: dict | None = None
) -> Case:
    """Move a case along its service's workflow; the resident is told. ``data``
    says where the change came from when no person made it (an API client)."""
    case = Case.objects.select_for_update().select_related("service").get(pk=case.pk)
    if not case.service.can_transition(case.status, to_status):
        raise InvalidTransition(
            f"{CaseStatus(case.status).label} cannot become "
            f"{CaseStatus(to_status).label if to_status in CaseStatus.values else to_status}."
        )
    from_status = case.status
    case.status = to_status
    case.closed_at = timezone.now() if to_status in CLOSED_STATUSES else None
    case.save(update_fields=["status", "closed_at", "updated_at"])
    event = CaseEvent.objects.create(
        case=case,
        kind=CaseEventKind.STATUS_CHANGED,
        actor=actor,
        public=True,
        from_status=from_status,
        to_status=to_status,
        text=message,
        data=data or {},
    )
    _outbox(case=case, topic=OutboxTopic.STATUS_CHANGED, event=event)
    return case


@transaction.atomic
def add_note(
    *, case: Case, actor, text: str, public: bool = False, data: dict | None = None
) -> CaseEvent:
    """An internal note (staff only) or a public update (the resident is told)."""
    text = text.strip()
    if not text:
        raise ValueError("A note needs some text.")
    event = CaseEvent.objects.create(
        case=case,
        kind=CaseEventKind.PUBLIC_UPDATE if public else CaseEventKind.INTERNAL_NOTE,
        actor=actor,
        public=public,
        text=text,
        data=data or {},
    )
    Case.objects.filter(pk=case.pk).update(updated_at=timezone.now())
    if public:
        _outbox(case=case, topic=OutboxTopic.PUBLIC_UPDATE, event=event)
    return event


def attach_file(
    *, case: Case, checked, question: str = "", actor=None, data: dict | None = None
):
    """Keep a file a back-office system (or staff) sent for the case: a checked
    file (``services.uploads.clean_document``: size, viruses, type by content)
    stored privately, a ``CaseAttachment``, and an internal timeline entry. The
    file is stored before the transaction; if the transaction fails, the sweep of
    abandoned uploads removes it."""
    from services.models import CaseAttachment
    from services.uploads import display_label, stored_file

    stored = stored_file(checked, token=f"case-{case.pk}")
    with transaction.atomic():
        attachment = CaseAttachment.objects.create(
            case=case,
            question=(question or "Attached file")[:120],
            original_name=display_label(stored["name"]),
            file=stored["path"],
            content_type=stored["content_type"],
            size=stored["size"],
        )
        CaseEvent.objects.create(
            case=case,
            kind=CaseEventKind.INTERNAL_NOTE,
            actor=actor,
            public=False,
            text=f"File attached: {attachment.original_name}",
            data={"attachment": attachment.pk, **(data or {})},
        )
        Case.objects.filter(pk=case.pk).update(updated_at=timezone.now())
    return attachment


@transaction.atomic
def assign(*, case: Case, actor, assignee=None, partner=None) -> Case:
    """Give a case to a member of staff and/or route it to a partner group.

    Partner users may not reassign: only staff of the owning team (or superusers).
    """
    if actor is not None and not actor.is_superuser:
        if not actor.groups.filter(pk=case.team_id).exists():
            raise NotPermitted("Only the owning team can assign this case.")
    case = Case.objects.select_for_update().get(pk=case.pk)
    changes = {}
    if assignee is not None and assignee.pk != case.assignee_id:
        case.assignee = assignee
        changes["assignee"] = assignee.get_full_name() or assignee.get_username()
    if partner is not None and partner.pk != case.partner_id:
        case.partner = partner
        changes["partner"] = partner.name
    if not changes:
        return case
    case.save(update_fields=["assignee", "partner", "updated_at"])
    CaseEvent.objects.create(
        case=case,
        kind=CaseEventKind.ASSIGNED,
        actor=actor,
        text="; ".join(f"{k}: {v}" for k, v in changes.items()),
        data=changes,
    )
    return case


@transaction.atomic
def follow_case(*, case: Case, user) -> bool:
    """A resident follows an existing case instead of reporting it again; True when
    they were not following it already."""
    from services.models import CaseFollower

    _follower, created = CaseFollower.objects.get_or_create(case=case, user=user)
    if created:
        CaseEvent.objects.create(
            case=case,
            kind=CaseEventKind.FOLLOWED,
            actor=user,
            text="A resident reported the same problem and now follows this case.",
        )
    return created


class AlreadyAnswered(Exception):
    """The resident has told us already how satisfied they were with this case."""


class NotClosed(Exception):
    """Satisfaction is asked only once a case is closed."""


@transaction.atomic
def record_satisfaction(*, case: Case, answer: str, comment: str = "", actor=None):
    """Record the resident's one answer to "Were you satisfied with how we dealt
    with this?" and put it in the case timeline. A second answer (even sent at the
    same moment) raises ``AlreadyAnswered``."""
    from services.models import CaseSatisfaction

    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.is_open:
        raise NotClosed("This request is not closed yet.")
    if CaseSatisfaction.objects.filter(case=case).exists():
        raise AlreadyAnswered("You have already told us about this request.")
    satisfaction = CaseSatisfaction.objects.create(
        case=case, answer=answer, comment=comment.strip()
    )
    label = satisfaction.get_answer_display()
    CaseEvent.objects.create(
        case=case,
        kind=CaseEventKind.SATISFACTION,
        actor=actor,
        text=f"Satisfied: {label}."
        + (f" Comment: {satisfaction.comment}" if satisfaction.comment else ""),
        data={"answer": answer},
    )
    return satisfaction


def bulk_assign(*, cases, actor, assignee) -> int:
    """Assign several cases, one transaction each; returns how many changed."""
    changed = 0
    for case in cases:
        before = case.assignee_id
        if assign(case=case, actor=actor, assignee=assignee).assignee_id != before:
            changed += 1
    return changed


@transaction.atomic
def flag_overdue(*, today: datetime.date | None = None) -> list[int]:
    """Mark open cases past their due date (once each) and tell each team.

    Returns the ids of the cases newly flagged.
    """
    today = today or timezone.localdate()
    cases = list(
        Case.objects.overdue(today)
        .filter(overdue_flagged_at__isnull=True)
        .select_for_update(skip_locked=True)
        .only("pk", "team_id")
    )
    if not cases:
        return []
    now = timezone.now()
    ids = [c.pk for c in cases]
    Case.objects.filter(pk__in=ids).update(overdue_flagged_at=now)
    CaseEvent.objects.bulk_create(
        [
            CaseEvent(
                case_id=c.pk, kind=CaseEventKind.OVERDUE, text="Past its due date."
            )
            for c in cases
        ]
    )
    by_team: dict[int, list[int]] = {}
    for c in cases:
        by_team.setdefault(c.team_id, []).append(c.pk)
    rows = OutboxEvent.objects.bulk_create(
        [
            OutboxEvent(
                topic=OutboxTopic.TEAM_OVERDUE,
                key=f"{OutboxTopic.TEAM_OVERDUE}:{team_id}:{today.isoformat()}",
                case_id=pks[0],
                payload={"team_id": team_id, "case_ids": pks},
            )
            for team_id, pks in by_team.items()
            if team_id
        ],
        ignore_conflicts=True,
    )
    row_ids = list(
        OutboxEvent.objects.filter(
            key__in=[r.key for r in rows], delivered_at__isnull=True
        ).values_list("pk", flat=True)
    )
    transaction.on_commit(lambda: _enqueue_delivery(row_ids))
    return ids


@transaction.atomic
def log_interaction(
    *,
    staff,
    reason,
    channel: str,
    outcome: str,
    resident=None,
    contact_name: str = "",
    contact_email: str = "",
    contact_phone: str = "",
    case: Case | None = None,
    duration_minutes: int | None = None,
    note: str = "",
    person=None,
):
    """Record one call, email, visit or letter, for a resident with an account or
    a person as they gave their details (or ``person``, their contact), with or
    without a case."""
    from services.models import Interaction

    if resident is None and case is not None and case.resident_id:
        resident = case.resident
    if (
        person is None
        and resident is None
        and not (contact_name or contact_email or contact_phone)
    ):
        if case is None:
            raise ValueError("An interaction needs a person or a case.")
        contact_name = case.contact_name
        contact_email = case.guest_email
        contact_phone = case.contact_phone
    person = person or contacts.contact_for_interaction(
        resident=resident,
        case=case,
        name=contact_name,
        email=contact_email,
        phone=contact_phone,
    )
    return Interaction.objects.create(
        contact=person,
        staff=staff,
        reason=reason,
        channel=channel,
        outcome=outcome,
        resident=resident,
        contact_name="" if resident else contact_name,
        contact_email="" if resident else contact_email,
        contact_phone="" if resident else contact_phone,
        case=case,
        duration_minutes=duration_minutes,
        note=note.strip(),
    )
