"""The weekly report summary, emailed to everyone who may see the reports.

``queue_weekly_reports`` (Celery beat, Monday mornings) writes one outbox row per
recipient for the week just ended; the outbox sends it at least once and never
twice for the same person and week (the row key is unique). The email holds the
week's headline figures, from the same query layer as the admin pages, and a
link to Reports → Services for that week.
"""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from services.enums import OutboxTopic
from services.integrations.notify import Notification
from services.models import OutboxEvent
from services.reports import queries
from services.reports.views import PERMISSION


def recipients():
    return (
        get_user_model()
        .objects.with_perm(PERMISSION)
        .filter(is_active=True)
        .exclude(email="")
        .order_by("pk")
    )


def last_week(
    today: datetime.date | None = None,
) -> tuple[datetime.date, datetime.date]:
    """Monday to Sunday of the week before the one ``today`` is in."""
    today = today or timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday() + 7)
    return monday, monday + datetime.timedelta(days=6)


@transaction.atomic
def queue_weekly_reports(*, today: datetime.date | None = None) -> list[int]:
    """One outbox row per recipient for last week; returns the new rows' ids."""
    from services.tasks import deliver_outbox

    start, end = last_week(today)
    rows = OutboxEvent.objects.bulk_create(
        [
            OutboxEvent(
                topic=OutboxTopic.WEEKLY_REPORT,
                key=f"{OutboxTopic.WEEKLY_REPORT}:{user.pk}:{start.isoformat()}",
                payload={
                    "user_id": user.pk,
                    "start": start.isoformat(),
                    "end": end.isoformat(),
                },
            )
            for user in recipients()
        ],
        ignore_conflicts=True,
    )
    ids = list(
        OutboxEvent.objects.filter(
            key__in=[r.key for r in rows], delivered_at__isnull=True
        ).values_list("pk", flat=True)
    )
    for pk in ids:
        transaction.on_commit(lambda pk=pk: deliver_outbox.delay(pk))
    return ids


def weekly_notifications(row: OutboxEvent, *, subject: str) -> list[Notification]:
    user = (
        get_user_model()
        .objects.filter(pk=row.payload.get("user_id"), is_active=True)
        .first()
    )
    if user is None or not user.email or not user.has_perm(PERMISSION):
        return []  # left, or lost the permission, since the row was written
    start = datetime.date.fromisoformat(row.payload["start"])
    end = datetime.date.fromisoformat(row.payload["end"])
    filters = queries.Filters(start=start, end=end)
    report = queries.service_report(filters)
    shift = queries.channel_shift(filters)
    query = urlencode({"start": start.isoformat(), "end": end.isoformat()})
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    body = render_to_string(
        "services/emails/weekly_report.txt",
        {
            "start": start,
            "end": end,
            "report": report,
            "total": report.total,
            "shift": shift,
            "report_url": f"{base}{reverse('service_report')}?{query}",
            "channel_url": f"{base}{reverse('channel_shift_report')}?{query}",
        },
    )
    return [
        Notification(
            to=user.email,
            subject=subject.format(end=end.strftime("%-d %B %Y")),
            body=body,
            reference=row.key,
        )
    ]
