"""Council rules for the segment builder, beside wagtail-personalisation's own:
where a resident lives, the language they prefer, the campaign a visitor came from.

Rules about records of the apps above this one live with those records and
register themselves (``personalisation.rule_types``): cases and bookings in
``services``, the council tax link in ``myaccount``. They use the helpers here.

Each rule tests the request defensively (anonymous visitors and residents with no
profile simply do not match) and reads what it needs at most once per request: the
resident's profile is kept on the request.
"""

from django.conf import settings
from django.db import models

from wagtail.admin.panels import FieldPanel

from wagtail_personalisation.rules import AbstractBaseRule

from personalisation import campaigns
from personalisation.wards import ward_id_for_postcode


def signed_in_user(request):
    """The signed-in user, or ``None`` (an anonymous request never loads the
    session: no session cookie, no user)."""
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return None
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def resident_profile(request):
    """The signed-in resident's profile, read once per request (or ``None``)."""
    if not hasattr(request, "_segment_profile"):
        user = signed_in_user(request)
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


class CampaignRule(AbstractBaseRule):
    """The visitor arrived from a campaign (``?utm_campaign=…`` or another
    parameter); remembered in a signed cookie only with their consent."""

    icon = "link"
    campaign = models.CharField(
        max_length=100, help_text="The campaign's value in the link, e.g. bins-2027."
    )
    parameter = models.CharField(
        max_length=40,
        default="utm_campaign",
        help_text="The query parameter that carries the campaign.",
    )

    panels = [FieldPanel("campaign"), FieldPanel("parameter")]

    class Meta:
        verbose_name = "Campaign rule"

    def test_user(self, request=None):
        return campaigns.arrived_from(request, self.parameter, self.campaign)

    def description(self):
        return {
            "title": "Visitors who arrived from the campaign",
            "value": f"{self.parameter}={self.campaign}",
        }
