"""Which webhook messages a case change makes, and what they say.

``queue_for_change`` runs inside the action's transaction (``services.actions``):
one ``OutboxEvent`` per subscription that asked for the event type, each with its
own message id, delivered after commit like every other outbox row. The body is
fixed when the row is written, so every retry and resend sends the same bytes.

The body holds what a back-office system needs to act (reference, service,
status, where the problem is, the public text of the change), never the
resident's name, email address or phone number.
"""

from __future__ import annotations

import uuid

from django.db import transaction
from django.utils import timezone

from services.enums import CLOSED_STATUSES, OutboxTopic
from services.models import (
    Case,
    CaseEvent,
    OutboxEvent,
    WebhookEventType,
    WebhookSubscription,
)


def event_types(topic: str, event: CaseEvent | None) -> list[str]:
    if topic == OutboxTopic.CASE_OPENED:
        return [WebhookEventType.CASE_CREATED]
    if topic == OutboxTopic.PUBLIC_UPDATE:
        return [WebhookEventType.UPDATED]
    if topic == OutboxTopic.STATUS_CHANGED:
        types = [WebhookEventType.STATUS_CHANGED]
        if (
            event is not None
            and event.to_status in CLOSED_STATUSES
            and event.from_status not in CLOSED_STATUSES
        ):
            types.append(WebhookEventType.CLOSED)
        return types
    return []


def case_data(case: Case) -> dict:
    return {
        "reference": case.reference,
        "service": case.service.reference_prefix,
        "service_name": case.service.name,
        "case_type": case.case_type,
        "category": case.category,
        "summary": case.summary,
        "status": case.status,
        "channel": case.channel,
        "address": case.address,
        "postcode": case.postcode,
        "uprn": case.uprn,
        "location_description": case.location_description,
        "latitude": None if case.latitude is None else str(case.latitude),
        "longitude": None if case.longitude is None else str(case.longitude),
        "due_date": case.due_date.isoformat() if case.due_date else None,
        "created_at": case.created_at.isoformat(),
        "closed_at": case.closed_at.isoformat() if case.closed_at else None,
    }


def event_data(event: CaseEvent | None) -> dict | None:
    if event is None:
        return None
    return {
        "kind": event.kind,
        "text": event.text if event.public else "",
        "from_status": event.from_status,
        "to_status": event.to_status,
        "at": event.created_at.isoformat(),
    }


def queue_for_change(*, case: Case, topic: str, event: CaseEvent | None) -> list[int]:
    """Write the webhook rows for one change; deliver them after commit."""
    rows = []
    for event_type in event_types(topic, event):
        rows += _rows(case, event_type, {"event": event_data(event)}, event=event)
    return _save_and_enqueue(rows)


def queue_event(*, case: Case, event_type: str, data: dict) -> list[int]:
    """Webhook rows for a booking or payment event of ``case`` (``data`` is
    added beside the case: ``{"booking": …}`` or ``{"payment": …}``), written in
    the caller's transaction and delivered after commit."""
    return _save_and_enqueue(_rows(case, event_type, data))


def booking_data(booking) -> dict:
    slot = booking.slot
    return {
        "id": str(booking.uuid),
        "status": booking.status,
        "calendar": slot.calendar.name,
        "kind": slot.kind,
        "location": slot.location,
        "starts_at": slot.starts_at.isoformat(),
        "ends_at": slot.ends_at.isoformat(),
    }


def payment_data(payment, *, refund=None) -> dict:
    data = {
        "id": str(payment.uuid),
        "reference": payment.reference,
        "description": payment.description,
        "amount": payment.amount,
        "refunded_amount": payment.refunded_amount,
        "currency": "GBP",
        "status": payment.status,
    }
    if refund is not None:
        data["refund"] = {"amount": refund.amount, "reason": refund.reason}
    return data


def _rows(case: Case, event_type: str, extra: dict, *, event=None) -> list:
    subscriptions = WebhookSubscription.objects.for_event(
        service_id=case.service_id, event_type=event_type
    )
    if not subscriptions:
        return []
    body = {
        "type": str(event_type),
        "timestamp": timezone.now().isoformat(),
        "data": {"case": case_data(case), **extra},
    }
    return [
        OutboxEvent(
            topic=OutboxTopic.WEBHOOK,
            key=f"msg_{uuid.uuid4().hex}",
            case=case,
            event=event,
            subscription=subscription,
            payload=body,
        )
        for subscription in subscriptions
    ]


def _save_and_enqueue(rows: list) -> list[int]:
    if not rows:
        return []
    OutboxEvent.objects.bulk_create(rows)
    ids = [r.pk for r in rows]

    def enqueue():
        from services.tasks import deliver_outbox

        for pk in ids:
            deliver_outbox.delay(pk)

    transaction.on_commit(enqueue)
    return ids
