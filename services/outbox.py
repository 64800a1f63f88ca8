"""Delivering outbox rows: who hears about a case change, and what they read.

``deliver(pk)`` is at-least-once with at most the send in flight repeated:

1. claim: in a short transaction, lock the row (``SKIP LOCKED``), check it is
   pending and not claimed by a live delivery, set ``claimed_at`` and count the
   attempt. A row whose attempts are used up becomes a dead letter instead.
2. send, outside any transaction (no lock held while the provider answers).
3. record ``delivered_at`` (before the task returns, so before Celery acks it).

A second run of the task, the sweep or a concurrent duplicate finds the row claimed
or delivered and sends nothing. If the worker dies between 1 and 3, the claim
expires after ``OUTBOX_LEASE_SECONDS`` and the sweep sends the row again: the
message in flight may then arrive twice (the provider ``reference`` is the outbox
key, so that duplicate is traceable), never more. Every claim counts as an
attempt, so a row that kills its worker every time still ends as a dead letter.
A provider failure releases the claim and the task retries; after
``OUTBOX_MAX_ATTEMPTS`` the row is a dead letter that staff see in the admin and
resend (``resend``).
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import replace

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from services import contact_routes
from services.enums import CLOSED_STATUSES, CaseStatus, OutboxTopic
from services.integrations import webhooks
from services.integrations.notify import (
    CLOSED,
    CONFIRMATION,
    EMAIL,
    SMS,
    UPDATE,
    Notification,
    NotificationError,
    PermanentNotificationError,
    get_notify_client,
)
from services.models import Case, MessageStatus, NotifyMessage, OutboxEvent
from services.models.notifications import mask_recipient
from services.notify_receipts import after_final_status

logger = logging.getLogger(__name__)

# The sweep leaves rows this young to the task enqueued when they were written.
SWEEP_GRACE_SECONDS = 30


def _grace() -> datetime.timedelta:
    return datetime.timedelta(
        seconds=min(SWEEP_GRACE_SECONDS, settings.OUTBOX_LEASE_SECONDS)
    )


def _lease() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.OUTBOX_LEASE_SECONDS)


SUBJECTS = {
    OutboxTopic.CASE_OPENED: "We have received your request {reference}",
    OutboxTopic.STATUS_CHANGED: "Your request {reference} has been updated",
    OutboxTopic.PUBLIC_UPDATE: "An update on your request {reference}",
    OutboxTopic.TEAM_OVERDUE: "Cases past their due date",
    OutboxTopic.WEEKLY_REPORT: "Service figures for the week to {end}",
    OutboxTopic.RENEWAL_DUE: "Time to renew: {reference}",
    OutboxTopic.JOURNEY_RESUME: "Come back to your answers: {service}",
}


def _site_url(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


# Builders of other apps' messages, by outbox topic (``register_builder``): an
# app above services (myaccount's bulletins) writes rows this module delivers.
TOPIC_BUILDERS: dict = {}


def register_builder(topic: str, builder) -> None:
    """``builder(row) -> list[Notification]`` for rows of ``topic``."""
    TOPIC_BUILDERS[topic] = builder


def build_notifications(row: OutboxEvent) -> list[Notification]:
    if row.topic in TOPIC_BUILDERS:
        return TOPIC_BUILDERS[row.topic](row)
    if row.topic == OutboxTopic.WEEKLY_REPORT:
        from services.reports.emails import weekly_notifications

        return weekly_notifications(row, subject=SUBJECTS[row.topic])
    if row.topic == OutboxTopic.JOURNEY_RESUME:
        payload = row.payload
        body = render_to_string("services/emails/journey_resume.txt", payload)
        return [
            Notification(
                to=payload["to"],
                subject=SUBJECTS[row.topic].format(service=payload["service"]),
                body=body,
                reference=row.key,
            )
        ]
    if row.topic == OutboxTopic.TEAM_OVERDUE:
        case_ids = row.payload.get("case_ids", [])
        cases = list(Case.objects.filter(pk__in=case_ids).only("reference", "due_date"))
        members = (
            get_user_model()
            .objects.filter(groups__pk=row.payload.get("team_id"), is_active=True)
            .exclude(email="")
            .values_list("email", flat=True)
        )
        body = render_to_string(
            "services/emails/team_overdue.txt",
            {"cases": cases, "admin_url": _site_url(reverse("wagtailadmin_home"))},
        )
        return [
            Notification(
                to=email,
                subject=SUBJECTS[row.topic],
                body=body,
                reference=f"{row.key}:{email}",
            )
            for email in sorted(set(members))
        ]
    if row.topic == OutboxTopic.SMS_FALLBACK:
        return _fallback_notifications(row)
    return _case_notifications(row)


def _case_context(row: OutboxEvent, **extra) -> dict:
    return {
        "case": row.case,
        "event": row.event,
        "topic": row.topic,
        "track_url": _site_url(reverse("services:track")),
        "my_url": _site_url(reverse("services:my_cases")),
        **extra,
    }


def message_kind(row: OutboxEvent) -> str:
    """Which of a service's Notify templates a case message uses: the
    confirmation of a new request, an update (a status change or a public
    update), or the news that it is closed."""
    if row.topic == OutboxTopic.CASE_OPENED:
        return CONFIRMATION
    event = row.event
    if (
        row.topic == OutboxTopic.STATUS_CHANGED
        and event is not None
        and event.to_status in CLOSED_STATUSES
    ):
        return CLOSED
    return UPDATE


def _case_template(row: OutboxEvent, channel: str) -> dict:
    """The service's template for this message and the fields it may use (the
    status the message is about, even when the case has moved on since)."""
    case = row.case
    status = (row.event.to_status if row.event else "") or case.status
    return {
        "template_id": case.service.notify_template(message_kind(row), channel),
        "fields": (
            ("reference", case.reference),
            ("service", case.service.name),
            ("status", CaseStatus(status).label),
        ),
    }


def _case_email(row: OutboxEvent, *, to: str, reference: str) -> Notification:
    case = row.case
    return Notification(
        to=to,
        subject=SUBJECTS[row.topic].format(reference=case.reference),
        body=render_to_string("services/emails/case_update.txt", _case_context(row)),
        reference=reference,
        user_id=case.resident_id,
        **_case_template(row, EMAIL),
    )


def _case_notifications(row: OutboxEvent) -> list[Notification]:
    """The resident hears as they chose (``services.contact_routes``): a text
    when they chose texts and gave a mobile number, an email when they chose
    email or cannot be texted; a guest by email. Followers by email."""
    case = row.case
    to = case.contact_email
    route = contact_routes.route_for(case.resident) if case.resident_id else None
    route = route or contact_routes.ContactRoute()
    notifications = []
    if route.sms_to:
        notifications.append(
            Notification(
                to=route.sms_to,
                subject="",
                body=" ".join(
                    render_to_string(
                        "services/emails/case_update_sms.txt", _case_context(row)
                    ).split()
                ),
                reference=f"{row.key}:sms",
                channel=SMS,
                user_id=case.resident_id,
                **_case_template(row, SMS),
            )
        )
    if to and route.email:
        notifications.append(_case_email(row, to=to, reference=row.key))
    from services.councillors import constituent_email

    constituent = constituent_email(case) if case.resident_id else ""
    if constituent and constituent.lower() != (to or "").lower():
        # A councillor's enquiry: the constituent hears what the councillor hears
        # (by email; the message is not the councillor's account's).
        notifications.append(
            replace(
                _case_email(row, to=constituent, reference=f"{row.key}:constituent"),
                user_id=None,
            )
        )
    if row.topic != OutboxTopic.CASE_OPENED:
        # Residents who followed this case instead of reporting it again.
        followers = (
            case.followers.exclude(user__email="")
            .exclude(user__email__iexact=to)
            .values_list("user__email", "user_id")
        )
        follower_body = render_to_string(
            "services/emails/case_update.txt", _case_context(row, following=True)
        )
        subject = SUBJECTS[row.topic].format(reference=case.reference)
        template = _case_template(row, EMAIL)
        notifications += [
            Notification(
                to=email,
                subject=subject,
                body=follower_body,
                reference=f"{row.key}:{email}",
                user_id=user_id,
                **template,
            )
            for email, user_id in sorted(set(followers))
        ]
    return notifications


def _fallback_notifications(row: OutboxEvent) -> list[Notification]:
    """The email the resident would have had, in place of a text that failed
    for good (``services.notify_receipts``); nothing if the case has no email
    address any more or the original message is gone."""
    original = (
        OutboxEvent.objects.select_related("case__resident", "event")
        .filter(pk=row.payload.get("outbox"))
        .first()
    )
    if original is None or original.case is None or not original.case.contact_email:
        return []
    if original.topic not in SUBJECTS:
        return []
    return [_case_email(original, to=original.case.contact_email, reference=row.key)]


def max_attempts(row: OutboxEvent) -> int:
    """Emails: ``OUTBOX_MAX_ATTEMPTS``. Webhooks: one try, then one more after
    each wait in ``WEBHOOK_RETRY_SCHEDULE`` (about 27 hours by default)."""
    if row.topic == OutboxTopic.WEBHOOK:
        return len(settings.WEBHOOK_RETRY_SCHEDULE) + 1
    return settings.OUTBOX_MAX_ATTEMPTS


def _claim(pk: int) -> OutboxEvent | None:
    """Claim the row for this delivery, or None if it is not ours to send."""
    now = timezone.now()
    with transaction.atomic():
        row = (
            OutboxEvent.objects.select_for_update(skip_locked=True, of=("self",))
            .claimable(now, _lease())
            .filter(pk=pk)
            .first()
        )
        if row is None:
            return None
        if row.attempts >= max_attempts(row):
            row.dead_at = now
            row.claimed_at = None
            row.last_error = (row.last_error or "Gave up: no delivery finished")[:300]
            row.save(update_fields=["dead_at", "claimed_at", "last_error"])
            logger.error("Outbox row %s is a dead letter: %s", row.key, row.last_error)
            return None
        row.claimed_at = now
        row.attempts += 1
        row.save(update_fields=["claimed_at", "attempts"])
    return row


def deliver(pk: int) -> bool:
    """Send one outbox row if nobody has or is; True when this call sent it."""
    row = _claim(pk)
    if row is None:
        return False
    if row.topic == OutboxTopic.WEBHOOK:
        return _deliver_webhook(row)
    row = (
        OutboxEvent.objects.select_related(
            "case__resident", "case__service", "event"
        ).filter(pk=pk)
    ).first()
    try:
        provider_ids = send_notifications(row, build_notifications(row))
    except NotificationError as exc:
        record_failure(pk, str(exc))
        raise
    sent = {"payload": {}} if row.topic == OutboxTopic.JOURNEY_RESUME else {}
    OutboxEvent.objects.filter(pk=pk).update(
        delivered_at=timezone.now(),
        claimed_at=None,
        last_error="",
        provider_reference=",".join(provider_ids)[:120],
        **sent,  # a sent resume link (a key to someone's answers) is not kept
    )
    return True


def send_notifications(row: OutboxEvent, notifications: list[Notification]) -> list:
    """Hand each message to the provider once, recording it as a
    ``NotifyMessage`` (whose status Notify's receipts update). A retry of the
    row skips the messages the provider already took, so a failure halfway
    through a list resends nothing twice. A message the provider refuses for
    good is recorded as a permanent failure and the others still go."""
    client = get_notify_client()
    done = set(
        NotifyMessage.objects.filter(
            reference__in=[n.reference for n in notifications]
        ).values_list("reference", flat=True)
    )
    provider_ids = []
    for notification in notifications:
        if notification.reference in done:
            continue
        message = NotifyMessage(
            outbox=row,
            case=row.case,
            user_id=notification.user_id,
            channel=notification.channel,
            reference=notification.reference,
            recipient_hint=mask_recipient(notification.to, notification.channel),
            provider=client.name,
        )
        try:
            sent = client.send(notification)
        except PermanentNotificationError as exc:
            logger.error("Outbox row %s: %s refused: %s", row.key, message, exc)
            message.provider_id = ""
            message.status = MessageStatus.PERMANENT_FAILURE
            message.status_at = timezone.now()
            with transaction.atomic():
                message.save()
                after_final_status(message)
            continue
        message.provider_id = sent.provider_id
        message.status = sent.status
        if sent.status != MessageStatus.SENDING:
            message.status_at = timezone.now()
        message.save()
        provider_ids.append(sent.provider_id)
    return provider_ids


def _deliver_webhook(row: OutboxEvent) -> bool:
    """POST a claimed webhook row. A failure is not raised (no Celery retry):
    the row waits until ``next_attempt_at`` and the sweep sends it again, so
    waits of hours survive worker restarts."""
    subscription = row.subscription
    if subscription is None or not subscription.active:
        _webhook_failed(row, "The subscription is switched off", None, final=True)
        return False
    try:
        status = webhooks.send(
            url=subscription.url,
            secrets=subscription.signing_secrets(),
            msg_id=row.key,
            payload=row.payload,
        )
    except webhooks.WebhookError as exc:
        _webhook_failed(row, str(exc), exc.status)
        return False
    OutboxEvent.objects.filter(pk=row.pk).update(
        delivered_at=timezone.now(),
        claimed_at=None,
        next_attempt_at=None,
        last_error="",
        response_code=status,
    )
    return True


def retry_delay(attempts: int) -> datetime.timedelta:
    """The wait after the ``attempts``-th failed try (exponential by default)."""
    schedule = settings.WEBHOOK_RETRY_SCHEDULE
    return datetime.timedelta(seconds=schedule[min(attempts, len(schedule)) - 1])


def _webhook_failed(row: OutboxEvent, error: str, status, *, final=False) -> None:
    now = timezone.now()
    dead = final or row.attempts >= max_attempts(row)
    OutboxEvent.objects.filter(pk=row.pk, delivered_at__isnull=True).update(
        last_error=error[:300],
        response_code=status,
        claimed_at=None,
        dead_at=now if dead else None,
        next_attempt_at=None if dead else now + retry_delay(row.attempts),
    )
    if dead:
        logger.error("Webhook %s is a dead letter: %s", row.key, error[:300])


def record_failure(pk: int, error: str) -> None:
    """Release the claim after a failed send; a row out of attempts is dead."""
    row = OutboxEvent.objects.filter(pk=pk).only("attempts").first()
    if row is None:
        return
    dead = row.attempts >= settings.OUTBOX_MAX_ATTEMPTS
    OutboxEvent.objects.filter(pk=pk, delivered_at__isnull=True).update(
        last_error=error[:300],
        claimed_at=None,
        dead_at=timezone.now() if dead else None,
    )
    if dead:
        logger.error("Outbox row %s is a dead letter: %s", pk, error[:300])


def pending_ids(limit: int = 500) -> list[int]:
    """Rows the sweep should (re)enqueue: pending, unclaimed or with an expired
    claim, and older than the grace its own first task has."""
    now = timezone.now()
    return list(
        OutboxEvent.objects.claimable(now, _lease())
        .filter(created_at__lt=now - _grace())
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )


def resend(*, rows, by) -> list[int]:
    """Give dead letters a fresh set of attempts and send them (staff, in the
    admin). Returns the ids queued; delivered rows are never sent again."""
    from services.tasks import deliver_outbox

    ids = list(rows.dead().values_list("pk", flat=True))
    OutboxEvent.objects.filter(pk__in=ids).dead().update(
        dead_at=None, claimed_at=None, attempts=0, next_attempt_at=None
    )
    logger.info("Outbox rows %s resent by user %s", ids, getattr(by, "pk", None))
    for pk in ids:
        transaction.on_commit(lambda pk=pk: deliver_outbox.delay(pk))
    return ids
