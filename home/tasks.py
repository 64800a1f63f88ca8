"""Celery tasks for the website: thin wrappers around actions."""

from django.core.management import call_command

from celery import shared_task

from home.actions import generate_image_renditions
from home.platform.queue import SweptTask


# Enqueued on commit after an upload; lost while the broker is down, the renditions
# are made when a page first shows the image instead.
@shared_task(
    base=SweptTask,
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=3,
)
def generate_renditions(image_id: int) -> int:
    """Make every standard rendition of an image. Idempotent: existing ones are kept."""
    return generate_image_renditions(image_id=image_id)


@shared_task
def publish_scheduled() -> None:
    """Publish pages and snippets whose scheduled time has come, and unpublish
    expired ones (Wagtail's ``publish_scheduled``). Run every minute by Celery beat."""
    call_command("publish_scheduled")
