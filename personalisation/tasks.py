"""Celery tasks: thin wrappers."""

from celery import shared_task

from personalisation import visits


@shared_task(acks_late=True)
def flush_segment_visits() -> int:
    return visits.flush()
