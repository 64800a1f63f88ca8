"""Segment rules about what the council knows of a resident's cases and bookings.

They live here, with the cases, and register themselves with the segment builder
(``personalisation.rule_types``); ``docs/personalisation.md`` lists every rule.
"""

from django.db import models

from wagtail.admin.panels import FieldPanel

from wagtail_personalisation.rules import AbstractBaseRule

from personalisation import bookings
from personalisation.rule_types import register_rule_type
from personalisation.rules import signed_in_user
from services import case_facts


@register_rule_type
class OpenCaseRule(AbstractBaseRule):
    """The resident has an open case (request) of a service, e.g. a pothole report.

    All case rules of a request share one summary of the resident's cases (one
    query, cached briefly per resident and dropped when their cases change: see
    ``services.case_facts``).
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
        user = signed_in_user(request)
        if user is None:
            return False
        return case_facts.has_open_case(
            case_facts.case_facts(request, user), self.service_id
        )

    def description(self):
        return {
            "title": "Residents with an open request of",
            "value": str(self.service),
        }


@register_rule_type
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
        user = signed_in_user(request)
        if user is None:
            return False
        return case_facts.closed_within(
            case_facts.case_facts(request, user), self.service_id, self.days
        )

    def description(self):
        what = str(self.service) if self.service_id else "any service"
        return {
            "title": f"Residents with a case closed in the last {self.days} days of",
            "value": what,
        }


@register_rule_type
class UpcomingBookingRule(AbstractBaseRule):
    """The resident has a booking in the next N days (from the booking providers
    registered with ``personalisation.bookings``; none, no match)."""

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
        user = signed_in_user(request)
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
