"""Delivering outbox rows: who hears about a case change, and what they read.

``deliver(pk)`` is at-least-once and never-twice: the row is locked
(``SELECT … FOR UPDATE SKIP LOCKED``) for the whole send, and ``delivered_at`` is
written in that same transaction. A second run of the task, or a concurrent
duplicate, either skips the locked row or finds it already delivered. If the
process dies after the provider accepted the message but before the commit, the
row is sent again: the provider ``reference`` is the outbox key, so that rare
duplicate is traceable. A provider failure rolls back and the task retries.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from services.enums import OutboxTopic
from services.integrations.notify import Notification, get_notify_client
from services.models import Case, OutboxEvent

SUBJECTS = {
    OutboxTopic.CASE_OPENED: "We have received your request {reference}",
    OutboxTopic.STATUS_CHANGED: "Your request {reference} has been updated",
    OutboxTopic.PUBLIC_UPDATE: "An update on your request {reference}",
    OutboxTopic.TEAM_OVERDUE: "Cases past their due date",
}


def _site_url(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def build_notifications(row: OutboxEvent) -> list[Notification]:
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
    case = row.case
    to = case.contact_email
    body = render_to_string(
        "services/emails/case_update.txt",
        {
            "case": case,
            "event": row.event,
            "topic": row.topic,
            "track_url": _site_url(reverse("services:track")),
            "my_url": _site_url(reverse("services:my_cases")),
        },
    )
    subject = SUBJECTS[row.topic].format(reference=case.reference)
    notifications = (
        [Notification(to=to, subject=subject, body=body, reference=row.key)]
        if to
        else []
    )
    if row.topic != OutboxTopic.CASE_OPENED:
        # Residents who followed this case instead of reporting it again.
        followers = (
            case.followers.exclude(user__email="")
            .exclude(user__email__iexact=to)
            .values_list("user__email", flat=True)
        )
        follower_body = render_to_string(
            "services/emails/case_update.txt",
            {
                "case": case,
                "event": row.event,
                "topic": row.topic,
                "following": True,
                "my_url": _site_url(reverse("services:my_cases")),
            },
        )
        notifications += [
            Notification(
                to=email,
                subject=subject,
                body=follower_body,
                reference=f"{row.key}:{email}",
            )
            for email in sorted(set(followers))
        ]
    return notifications


def deliver(pk: int) -> bool:
    """Send one outbox row if nobody has; True when this call sent it."""
    with transaction.atomic():
        row = (
            OutboxEvent.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("case__resident", "event")
            .filter(pk=pk, delivered_at__isnull=True)
            .first()
        )
        if row is None:
            return False
        client = get_notify_client()
        provider_ids = [client.send_email(n) for n in build_notifications(row)]
        row.delivered_at = timezone.now()
        row.attempts += 1
        row.provider_reference = ",".join(provider_ids)[:120]
        row.save(update_fields=["delivered_at", "attempts", "provider_reference"])
        return True


def record_failure(pk: int, error: str) -> None:
    OutboxEvent.objects.filter(pk=pk).update(last_error=error[:300])


def pending_ids(limit: int = 500) -> list[int]:
    return list(
        OutboxEvent.objects.filter(delivered_at__isnull=True)
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
