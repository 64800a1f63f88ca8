"""Segment rules about a resident's account: they live here, with the records they
read, and register themselves with the segment builder
(``personalisation.rule_types``)."""

from django import forms
from django.db import models

from wagtail.admin.panels import FieldPanel

from wagtail_personalisation.rules import AbstractBaseRule

from myaccount.models.council_tax import CouncilTaxLink
from personalisation.rule_types import register_rule_type
from personalisation.rules import signed_in_user


@register_rule_type
class CouncilTaxLinkedRule(AbstractBaseRule):
    """The signed-in resident has (or has not) linked a council tax account (one
    query, once per request). Anonymous visitors match neither."""

    icon = "form"
    # A choice with no default: the segment builder saves a rule only when one of
    # its fields was filled in, so a rule with nothing to choose could not be added.
    linked = models.BooleanField(
        "residents who",
        choices=[
            (True, "have linked a council tax account"),
            (False, "have not linked a council tax account"),
        ],
    )

    panels = [FieldPanel("linked", widget=forms.RadioSelect)]

    class Meta:
        verbose_name = "Council tax account linked rule"

    def test_user(self, request=None):
        if not hasattr(request, "_segment_council_tax"):
            user = signed_in_user(request)
            request._segment_council_tax = (
                None
                if user is None
                else CouncilTaxLink.objects.for_resident(user).exists()
            )
        linked = request._segment_council_tax
        return linked is not None and linked == self.linked

    def description(self):
        return {"title": "Residents who", "value": self.get_linked_display()}
