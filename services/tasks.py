"""Celery tasks for cases: thin wrappers around ``services.outbox`` and actions."""

import datetime

from django.db import DatabaseError

from celery import shared_task

from home.platform.queue import SweptTask
from services import actions, outbox
from services.integrations.notify import NotificationError


# Enqueued on commit by services.actions: a broker outage there is logged, not
# raised (SweptTask), and the sweep below sends the row once the broker is back.
@shared_task(
    base=SweptTask,
    acks_late=True,
    autoretry_for=(NotificationError, DatabaseError),
    retry_backoff=True,
    retry_backoff_max=300,
    max_retries=8,
)
def deliver_outbox(outbox_id: int) -> bool:
    """Send one outbox row's notifications. Safe to run any number of times:
    ``services.outbox.deliver`` claims the row first, and every claim counts
    towards ``OUTBOX_MAX_ATTEMPTS``, after which the row is a dead letter."""
    return outbox.deliver(outbox_id)


@shared_task(
    acks_late=True,
    autoretry_for=(DatabaseError,),
    retry_backoff=True,
    max_retries=5,
)
def deliver_pending_outbox() -> int:
    """Run every minute by Celery beat: enqueue rows whose task was lost (the
    broker was down at commit, a worker died mid-send and its claim expired)."""
    ids = outbox.pending_ids()
    for pk in ids:
        deliver_outbox.delay(pk)
    return len(ids)


@shared_task(acks_late=True)
def flag_overdue_cases() -> int:
    """Run by Celery beat: flag open cases past their due date, tell each team."""
    return len(actions.flag_overdue())


@shared_task(acks_late=True)
def erase_expired_cases() -> int:
    """Run by Celery beat: erase the personal data of closed cases past their
    service's retention period, interactions past their reason's, expired
    sessions and guests' saved journeys whose link has expired."""
    from services import retention, saved_journeys

    erased = retention.erase_expired_cases()
    retention.erase_expired_interactions()
    retention.clear_expired_sessions()
    saved_journeys.delete_expired()
    return erased


@shared_task(acks_late=True)
def sweep_abandoned_uploads() -> int:
    """Run by Celery beat: delete photos and files of journeys nobody finished,
    once older than ``CASE_UPLOAD_ABANDONED_HOURS``."""
    from services import retention

    return retention.sweep_abandoned_uploads()


@shared_task(acks_late=True, autoretry_for=(DatabaseError,), retry_backoff=True)
def rollup_reports() -> int:
    """Run hourly by Celery beat: recompute the report figures for yesterday
    (final once the day is over) and today so far. Idempotent."""
    from services.reports.rollup import rollup_day, yesterday

    for day in (yesterday(), yesterday() + datetime.timedelta(days=1)):
        rollup_day(day)
    return 2


@shared_task(acks_late=True, autoretry_for=(DatabaseError,), retry_backoff=True)
def email_weekly_reports() -> int:
    """Run by Celery beat on Monday mornings: last week's summary to everyone who
    may see the reports, through the outbox (once per person and week)."""
    from services.reports.emails import queue_weekly_reports

    return len(queue_weekly_reports())


@shared_task(acks_late=True)
def mop_up_payments() -> dict:
    """Run by Celery beat: check payments still in progress after a few minutes
    with the provider, and fulfil paid ones (a resident who closed the tab after
    paying still gets their booking)."""
    from services.payments.actions import mop_up

    return mop_up()


@shared_task(acks_late=True)
def expire_booking_holds() -> int:
    """Run by Celery beat: mark lapsed holds expired (they stopped counting
    against capacity when they lapsed)."""
    from services.bookings.actions import expire_holds

    return expire_holds()


@shared_task(acks_late=True)
def send_renewal_reminders() -> int:
    """Run by Celery beat: email each garden waste subscription or parking
    permit holder once, ``reminder_days`` before it ends (idempotent)."""
    from services.permits.actions import send_renewal_reminders as send

    return send()
