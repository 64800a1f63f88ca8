"""Thin signal handlers; connected when the app is ready (``ServicesConfig.ready``)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from home.actions import purge_site_chrome
from services import case_facts
from services.models import Case, ServiceDefinition


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
