"""Thin: editors' changes to segments and rules (of every app's rule types) reach
every worker at once."""

from django.db.models.signals import post_delete, post_save

from personalisation.segments import bump_version


def _changed(sender, **kwargs):
    bump_version()


def _page_published(sender, instance, **kwargs):
    """A variant going live or off changes which variants are served."""
    from personalisation.segments import page_variants

    if instance.pk in page_variants().variant_ids:
        bump_version()


def connect():
    from wagtail.signals import page_published, page_unpublished

    from wagtail_personalisation.models import PersonalisablePageMetadata, Segment
    from wagtail_personalisation.rules import AbstractBaseRule

    page_published.connect(_page_published, dispatch_uid="segments-variant-pub")
    page_unpublished.connect(_page_published, dispatch_uid="segments-variant-unpub")
    from personalisation.variants import VariantMetadata

    models_ = [
        Segment,
        PersonalisablePageMetadata,
        VariantMetadata,  # a proxy sends its own signals
        *AbstractBaseRule.get_descendant_models(),
    ]
    for model in models_:
        post_save.connect(
            _changed, sender=model, dispatch_uid=f"segments-{model.__name__}"
        )
        post_delete.connect(
            _changed, sender=model, dispatch_uid=f"segments-del-{model.__name__}"
        )
