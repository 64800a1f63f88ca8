"""Celery tasks for the website: thin wrappers around actions."""

from celery import shared_task

from home.actions import generate_image_renditions


@shared_task(
    acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=3
)
def generate_renditions(image_id: int) -> int:
    """Make every standard rendition of an image. Idempotent: existing ones are kept."""
    return generate_image_renditions(image_id=image_id)
