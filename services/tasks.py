"""Celery tasks for cases: thin wrappers around ``services.outbox`` and actions."""

from celery import shared_task

from services import actions, outbox
from services.integrations.notify import NotificationError


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=(NotificationError,),
    retry_backoff=True,
    max_retries=8,
)
def deliver_outbox(self, outbox_id: int) -> bool:
    """Send one outbox row's notifications. Safe to run any number of times."""
    try:
        return outbox.deliver(outbox_id)
    except NotificationError as exc:
        outbox.record_failure(outbox_id, str(exc))
        raise


@shared_task(acks_late=True)
def deliver_pending_outbox() -> int:
    """Sweep rows whose first task was lost (e.g. the broker was down at commit)."""
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
    service's retention period, and expired sessions."""
    from services import retention

    erased = retention.erase_expired_cases()
    retention.clear_expired_sessions()
    return erased


@shared_task(acks_late=True)
def sweep_abandoned_uploads() -> int:
    """Run by Celery beat: delete photos and files of journeys nobody finished,
    once older than ``CASE_UPLOAD_ABANDONED_HOURS``."""
    from services import retention

    return retention.sweep_abandoned_uploads()
