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

from personalisation import bookings, campaigns, cases
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


class OpenCaseRule(AbstractBaseRule):
    """The resident has an open case (request) of a service, e.g. a pothole report.

    All case rules of a request share one summary of the resident's cases (one
    query, cached briefly per resident and dropped when their cases change: see
    ``personalisation.cases``).
    """

    icon = "form"
    service = models.ForeignKey(
        "services.ServiceDefinition",
        on_delete=models.CASCADE,
        related_name="+",
        help_text="Residents with an open request of this service.",
    )

    panels = [FieldPanel("service")]

    class Meta:
        verbose_name = "Open case rule"

    def test_user(self, request=None):
        user = _signed_in_user(request)
        if user is None:
            return False
        return cases.has_open_case(cases.case_facts(request, user), self.service_id)

    def description(self):
        return {
            "title": "Residents with an open request of",
            "value": str(self.service),
        }


class RecentlyClosedCaseRule(AbstractBaseRule):
    """A case of the resident was closed in the last N days (of one service, or any)."""

    icon = "form"
    service = models.ForeignKey(
        "services.ServiceDefinition",
        on_delete=models.CASCADE,
        related_name="+",
        null=True,
        blank=True,
        help_text="Leave empty for a case of any service.",
    )
    days = models.PositiveSmallIntegerField(
        default=14, help_text="How many days back a case may have been closed."
    )

    panels = [FieldPanel("service"), FieldPanel("days")]

    class Meta:
        verbose_name = "Case closed recently rule"

    def test_user(self, request=None):
        user = _signed_in_user(request)
        if user is None:
            return False
        return cases.closed_within(
            cases.case_facts(request, user), self.service_id, self.days
        )

    def description(self):
        what = str(self.service) if self.service_id else "any service"
        return {
            "title": f"Residents with a case closed in the last {self.days} days of",
            "value": what,
        }


class UpcomingBookingRule(AbstractBaseRule):
    """The resident has a booking in the next N days (from the booking providers
    other apps register: ``personalisation.bookings``; none, no match)."""

    icon = "date"
    days = models.PositiveSmallIntegerField(
        default=14, help_text="How many days ahead to look."
    )
    kind = models.CharField(
        "booking type",
        max_length=60,
        blank=True,
        help_text="Only bookings of this type (as the booking service names it); "
        "empty for any.",
    )

    panels = [FieldPanel("days"), FieldPanel("kind")]

    class Meta:
        verbose_name = "Upcoming booking rule"

    def test_user(self, request=None):
        user = _signed_in_user(request)
        if user is None:
            return False
        return bookings.has_upcoming_booking(
            request, user, within_days=self.days, kind=self.kind
        )

    def description(self):
        return {
            "title": f"Residents with a booking in the next {self.days} days",
            "value": self.kind or "of any type",
        }


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
