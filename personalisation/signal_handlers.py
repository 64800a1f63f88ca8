"""Thin: editors' changes to segments and rules reach every worker at once."""

from django.db.models.signals import post_delete, post_save

from personalisation.segments import bump_version


def _changed(sender, **kwargs):
    bump_version()


def connect():
    from wagtail_personalisation.models import Segment
    from wagtail_personalisation.rules import AbstractBaseRule

    for model in [Segment, *AbstractBaseRule.get_descendant_models()]:
        post_save.connect(
            _changed, sender=model, dispatch_uid=f"segments-{model.__name__}"
        )
        post_delete.connect(
            _changed, sender=model, dispatch_uid=f"segments-del-{model.__name__}"
        )
