"""Delivery receipts: what became of each email and text.

GOV.UK Notify posts one receipt per message to ``/api/notify/receipts/``
(``services.api.notify_callback``), which calls ``apply_receipt``. The message's
status moves once, from "sending" to a final status; a receipt for a message
already final (a replay, or a late duplicate) changes nothing. When a text fails
for good (``permanent-failure``: not a mobile, or no longer in service) and the
resident was not also emailed, the outbox sends the same news by email instead.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone

from services.enums import OutboxTopic
from services.models import MessageChannel, MessageStatus, NotifyMessage, OutboxEvent
from services.models.notifications import FINAL_STATUSES

logger = logging.getLogger(__name__)


@transaction.atomic
def apply_receipt(*, provider_id: str, status: str) -> bool:
    """Record a receipt; True when it changed the message. An unknown message
    (sent by another service on the same Notify account) is ignored."""
    if status not in MessageStatus.values:
        raise ValueError(f"Unknown status {status!r}")
    message = (
        NotifyMessage.objects.select_for_update()
        .filter(provider_id=provider_id)
        .exclude(provider_id="")
        .first()
    )
    if message is None:
        logger.info("Receipt for a message we did not send: %s", provider_id)
        return False
    if message.status in FINAL_STATUSES or status not in FINAL_STATUSES:
        return False
    message.status = status
    message.status_at = timezone.now()
    message.save(update_fields=["status", "status_at"])
    after_final_status(message)
    return True


def after_final_status(message: NotifyMessage) -> OutboxEvent | None:
    """A text that failed for good becomes an email, once (the outbox key is
    unique), unless the resident was emailed the same news already."""
    if not (
        message.channel == MessageChannel.SMS
        and message.status == MessageStatus.PERMANENT_FAILURE
        and message.outbox_id
    ):
        return None
    emailed = NotifyMessage.objects.filter(
        outbox_id=message.outbox_id, channel=MessageChannel.EMAIL, user=message.user
    ).exists()
    if emailed:
        return None
    row, created = OutboxEvent.objects.get_or_create(
        key=f"sms-fallback:{message.pk}",
        defaults={
            "topic": OutboxTopic.SMS_FALLBACK,
            "case_id": message.case_id,
            "payload": {"message": message.pk, "outbox": message.outbox_id},
        },
    )
    if created:
        from services.tasks import deliver_outbox

        transaction.on_commit(lambda: deliver_outbox.delay(row.pk))
    return row
