"""Thin signal handlers; connected when the app is ready (``ServicesConfig.ready``)."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from home.actions import purge_site_chrome
from services import case_facts
from services.api import read_cache
from services.models import (
    ApiClient,
    Case,
    CaseAttachment,
    CaseEvent,
    ServiceDefinition,
)


@receiver(post_save, sender=ServiceDefinition)
@receiver(post_delete, sender=ServiceDefinition)
def purge_after_service_change(sender, **kwargs):
    """A service's name and whether guests may use it show on cached pages (the
    transaction block's start button or its "sign in" prompt)."""
    purge_site_chrome()


@receiver(post_save, sender=Case)
@receiver(post_delete, sender=Case)
def forget_case_facts(sender, instance, **kwargs):
    """A resident's case changed: the case segment rules read them afresh."""
    case_facts.forget(instance.resident_id)


@receiver(post_save, sender=Case)
@receiver(post_delete, sender=Case)
@receiver(post_save, sender=CaseEvent)
@receiver(post_delete, sender=CaseEvent)
@receiver(post_save, sender=CaseAttachment)
@receiver(post_delete, sender=CaseAttachment)
@receiver(post_save, sender=ServiceDefinition)
@receiver(post_delete, sender=ServiceDefinition)
def case_api_data_changed(sender, **kwargs):
    """The case API's cached reads are out of date (``services.api.read_cache``)."""
    read_cache.changed()


@receiver(post_save, sender=ApiClient)
@receiver(post_delete, sender=ApiClient)
@receiver(m2m_changed, sender=ApiClient.services.through)
def api_client_changed(sender, action=None, **kwargs):
    """A client was revoked, given a new token or other services: each worker
    looks its token up again, and its cached reads are out of date."""
    if action is None or action.startswith("post_"):
        read_cache.changed(clients=True)
