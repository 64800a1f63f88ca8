"""Council rules for the segment builder, beside wagtail-personalisation's own.

Each tests the request defensively (anonymous visitors, residents with no profile
and accounts without a linked record simply do not match) and reads what it needs at
most once per request: the resident's profile and whether a council tax account is
linked are kept on the request. Records from the accounts app are found by model
name (``apps.get_model``) because this app sits below it.
"""

from django.apps import apps
from django.conf import settings
from django.db import models

from wagtail.admin.panels import FieldPanel

from wagtail_personalisation.rules import AbstractBaseRule

from personalisation.wards import ward_id_for_postcode


def _signed_in_user(request):
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return None
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def resident_profile(request):
    """The signed-in resident's profile, read once per request (or ``None``)."""
    if not hasattr(request, "_segment_profile"):
        user = _signed_in_user(request)
        request._segment_profile = (
            getattr(user, "resident_profile", None) if user is not None else None
        )
    return request._segment_profile


class WardRule(AbstractBaseRule):
    """The resident lives in a ward (from the postcode on their profile)."""

    icon = "site"
    ward = models.ForeignKey("personalisation.Ward", on_delete=models.CASCADE)

    panels = [FieldPanel("ward")]

    class Meta:
        verbose_name = "Ward rule"

    def test_user(self, request=None):
        profile = resident_profile(request)
        postcode = getattr(profile, "postcode", "") if profile is not None else ""
        return bool(postcode) and ward_id_for_postcode(postcode) == self.ward_id

    def description(self):
        return {"title": "Residents who live in", "value": str(self.ward)}


class PreferredLanguageRule(AbstractBaseRule):
    """The resident prefers a language (from their profile)."""

    icon = "doc-full"
    language = models.CharField(
        max_length=5, help_text="A language code from residents' profiles, e.g. cy, pl."
    )

    panels = [FieldPanel("language")]

    class Meta:
        verbose_name = "Preferred language rule"

    def test_user(self, request=None):
        profile = resident_profile(request)
        return profile is not None and getattr(profile, "language", "") == self.language

    def description(self):
        return {"title": "Residents who prefer the language", "value": self.language}


class CouncilTaxLinkedRule(AbstractBaseRule):
    """The resident has linked a council tax account."""

    icon = "form"

    class Meta:
        verbose_name = "Council tax account linked rule"

    def test_user(self, request=None):
        if not hasattr(request, "_segment_council_tax"):
            user = _signed_in_user(request)
            linked = False
            if user is not None:
                try:
                    link_model = apps.get_model("myaccount", "CouncilTaxLink")
                except LookupError:
                    link_model = None
                if link_model is not None:
                    linked = link_model.objects.filter(user=user).exists()
            request._segment_council_tax = linked
        return request._segment_council_tax

    def description(self):
        return {"title": "Residents who have", "value": "linked a council tax account"}
