"""Thin signal handlers; connected when the app is ready (``HomeConfig.ready``)."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import (
    page_published,
    page_slug_changed,
    page_unpublished,
    post_page_move,
    published,
    unpublished,
)

from home.actions import purge_site_chrome
from home.models import (
    AccessibilityAuditRun,
    AlertBanner,
    ContactDetails,
    SiteSettings,
)
from home.platform import frontcache
from home.platform.cache import purge_all


@receiver(post_save, sender=get_image_model())
def make_renditions_after_upload(sender, instance, created, **kwargs):
    from home.tasks import generate_renditions

    image_id = instance.pk
    transaction.on_commit(lambda: generate_renditions.delay(image_id))


@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
def purge_after_view_restriction_change(sender, **kwargs):
    """Restrictions change who may see pages: drop every cached page and the cached
    'are there any restrictions' answer, immediately (not on commit), and purge the
    front cache once committed."""
    purge_all()
    frontcache.purge_every_page()


@receiver(post_save, sender=Site)
@receiver(post_delete, sender=Site)
@receiver(post_page_move)
@receiver(page_slug_changed)
def purge_after_structure_change(sender, **kwargs):
    """Sites, moves and new slugs change URLs and menus everywhere (and the
    per-worker site lookup in ``home.platform.cache.remember_site``): start a new
    generation, and purge every page from the front cache."""
    purge_all()
    frontcache.purge_every_page()


@receiver(page_published)
@receiver(page_unpublished)
def purge_pages_touched(sender, instance, **kwargs):
    """The page, the listings and links that show it (``home.platform.frontcache``).
    Unpublishing also runs before a live page is deleted."""
    frontcache.purge_page(instance)


@receiver(post_save, sender=AccessibilityAuditRun)
def purge_after_accessibility_audit(sender, **kwargs):
    """Accessibility statements list the latest audit's known issues."""
    purge_all()


@receiver(post_delete)
def purge_after_page_delete(sender, **kwargs):
    if issubclass(sender, Page):
        purge_all()


@receiver(published, sender=AlertBanner)
@receiver(unpublished, sender=AlertBanner)
@receiver(post_delete, sender=AlertBanner)
@receiver(post_save, sender=ContactDetails)
@receiver(post_delete, sender=ContactDetails)
@receiver(post_save, sender=SiteSettings)
def purge_after_chrome_change(sender, **kwargs):
    purge_site_chrome()
