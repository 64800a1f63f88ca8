"""Management information: daily roll-ups of cases, channel costs, journey counts.

Reports never scan every case on a page view. ``services.reports.rollup`` writes,
once a day (Celery beat) and again for any past day on demand:

- ``ClosedCaseFact``: one row per closed case (keyed by the case, so a case closed,
  reopened and closed again on another day moves; it is never counted twice);
- ``ServiceDayStats``: per day and per service, team, ward and channel, the cases
  opened, repeat reports, cases open and overdue at the end of the day, and the
  closed-case figures summed from the facts of that day, with time to close kept
  as a histogram of whole days (``CLOSE_DAY_BUCKETS``) so a median and a 90th
  percentile over any period come from sums alone.

- ``ServiceWeekStats``: the same per week (Monday to Sunday), summed from the
  days whenever a day of the week is rolled up, so a long period reads weeks;
- ``InteractionDayStats``: per day and channel, the logged interactions (calls,
  emails, visits, letters) that did not open a case, for the channel-shift
  report (a call that opened a case is already counted as that case).

``JourneyStepCount`` counts, per day, what residents did on each step of each
journey (no cookies, no personal data). ``ChannelCosts`` are the unit costs per
contact the council sets in the admin (defaults: SOCITM).
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth.models import Group
from django.db import models

from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from services.enums import Channel

# Time to close in whole days (closed date − opened date), bucketed: one bucket a
# day for the first fortnight, then wider ones. (lower, upper) inclusive; None is
# "or more". A median that falls in a wide bucket is reported as its range.
CLOSE_DAY_BUCKETS: tuple[tuple[int, int | None], ...] = (
    *((d, d) for d in range(15)),
    (15, 20),
    (21, 27),
    (28, 41),
    (42, 59),
    (60, 89),
    (90, 179),
    (180, None),
)


def bucket_field(lower: int, upper: int | None) -> str:
    if upper == lower:
        return f"closed_in_{lower}d"
    if upper is None:
        return f"closed_in_{lower}d_plus"
    return f"closed_in_{lower}_{upper}d"


BUCKET_FIELDS = tuple(bucket_field(lo, hi) for lo, hi in CLOSE_DAY_BUCKETS)


def bucket_for(days: int) -> str:
    for lower, upper in CLOSE_DAY_BUCKETS:
        if days >= lower and (upper is None or days <= upper):
            return bucket_field(lower, upper)
    return BUCKET_FIELDS[0]  # a clock set backwards: closed "before" opened


class ClosedCaseFact(models.Model):
    """A closed case as the reports count it, on the day it (last) closed."""

    case = models.OneToOneField(
        "services.Case",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="closed_fact",
    )
    day = models.DateField()
    service = models.ForeignKey(
        "services.ServiceDefinition", on_delete=models.CASCADE, related_name="+"
    )
    team = models.ForeignKey(
        Group, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    ward = models.ForeignKey(
        "personalisation.Ward", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    channel = models.CharField(max_length=20, choices=Channel.choices)
    days_to_close = models.PositiveIntegerField()
    # None: the case had no due date.
    sla_met = models.BooleanField(null=True)
    satisfaction = models.CharField(max_length=3, blank=True)

    class Meta:
        indexes = [models.Index(fields=["day"])]

    def __str__(self) -> str:
        return f"{self.case_id} closed {self.day}"


class ServiceFigures(models.Model):
    """What is summed over days and weeks, per service, team, ward and channel."""

    service = models.ForeignKey(
        "services.ServiceDefinition", on_delete=models.CASCADE, related_name="+"
    )
    team = models.ForeignKey(
        Group, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    ward = models.ForeignKey(
        "personalisation.Ward", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    channel = models.CharField(max_length=20, choices=Channel.choices)
    opened = models.PositiveIntegerField(default=0)
    repeats = models.PositiveIntegerField(
        default=0,
        help_text="Cases opened at a property (UPRN) with another case of the "
        "same service opened in the 90 days before.",
    )
    closed = models.PositiveIntegerField(default=0)
    sla_due = models.PositiveIntegerField(
        default=0, help_text="Closed cases that had a due date."
    )
    sla_met = models.PositiveIntegerField(
        default=0, help_text="Closed cases closed on or before their due date."
    )
    satisfied = models.PositiveIntegerField(default=0)
    dissatisfied = models.PositiveIntegerField(default=0)
    for _name in BUCKET_FIELDS:
        locals()[_name] = models.PositiveIntegerField(default=0)
    del _name

    class Meta:
        abstract = True


class ServiceDayStats(ServiceFigures):
    """One day's figures for one service, team, ward and channel."""

    day = models.DateField()
    open_at_end = models.PositiveIntegerField(default=0)
    overdue_at_end = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name_plural = "service day stats"
        indexes = [
            models.Index(fields=["day", "service"]),
        ]
        permissions = [
            ("view_management_reports", "Can see the management reports"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.service_id}"


class ServiceWeekStats(ServiceFigures):
    """A week's day rows summed (Monday to Sunday), kept by the roll-up whenever it
    writes a day of the week: a year's report reads 53 weeks of these instead of
    365 days (a seventh of the rows), and only the days of a period's part-weeks at
    either end from ``ServiceDayStats``. Open and overdue are not summed (they are
    counts at the end of a day, read from the period's last day)."""

    week = models.DateField(help_text="The Monday the week starts on.")

    class Meta:
        verbose_name_plural = "service week stats"
        indexes = [models.Index(fields=["week", "service"])]

    def __str__(self) -> str:
        return f"week of {self.week} {self.service_id}"


class InteractionDayStats(models.Model):
    """Logged interactions that did not open a case, per day and channel (the
    interaction's channel mapped onto ``Channel``: a visit is face to face)."""

    day = models.DateField()
    channel = models.CharField(max_length=20, choices=Channel.choices)
    contacts = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name_plural = "interaction day stats"
        constraints = [
            models.UniqueConstraint(
                fields=["day", "channel"], name="unique_interaction_day_channel"
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.channel}: {self.contacts}"


class JourneyEvent(models.TextChoices):
    VIEW = "view", "Step viewed"
    ERROR = "error", "Error shown"
    CHECK = "check", "Check answers reached"
    SUBMITTED = "submitted", "Submitted"


class JourneyStepCount(models.Model):
    """How often something happened on one step of one journey on one day.

    Written with an upsert (``services.reports.journeys``); holds no personal
    data: an error is its question's field name and the message as written in
    the code, before any value is put into it.
    """

    day = models.DateField()
    page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="+"
    )
    block_id = models.CharField(max_length=64)
    step = models.CharField(max_length=40)
    event = models.CharField(max_length=10, choices=JourneyEvent.choices)
    field = models.CharField(max_length=60, blank=True, default="")
    message = models.CharField(max_length=200, blank=True, default="")
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "page", "block_id", "step", "event", "field", "message"],
                name="unique_journey_step_count",
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.page_id}:{self.block_id} {self.step} {self.event}"


@register_setting(icon="table")
class ChannelCosts(BaseGenericSetting):
    """What one contact costs the council, by channel (Reports → Channel shift)."""

    online = models.DecimalField(
        "Online (web)",
        max_digits=7,
        decimal_places=2,
        default=Decimal("0.15"),
        help_text="Pounds per contact. SOCITM's figure is £0.15.",
    )
    phone = models.DecimalField(
        max_digits=7,
        decimal_places=2,
        default=Decimal("2.83"),
        help_text="Pounds per contact. SOCITM's figure is £2.83.",
    )
    face_to_face = models.DecimalField(
        "Face to face",
        max_digits=7,
        decimal_places=2,
        default=Decimal("8.62"),
        help_text="Pounds per contact. SOCITM's figure is £8.62.",
    )
    # SOCITM publishes no figure for these three: the defaults are the nearest
    # channel's (an email is handled like a call, a letter like a visit, a report
    # from another app like one made online). Councils set their own.
    email = models.DecimalField(
        max_digits=7,
        decimal_places=2,
        default=Decimal("2.83"),
        help_text="Pounds per contact. The default is the phone figure.",
    )
    letter = models.DecimalField(
        max_digits=7,
        decimal_places=2,
        default=Decimal("8.62"),
        help_text="Pounds per contact. The default is the face to face figure.",
    )
    api = models.DecimalField(
        "Other systems (API, Open311)",
        max_digits=7,
        decimal_places=2,
        default=Decimal("0.15"),
        help_text="Pounds per contact. The default is the online figure.",
    )

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("online"),
                FieldPanel("phone"),
                FieldPanel("face_to_face"),
                FieldPanel("email"),
                FieldPanel("letter"),
                FieldPanel("api"),
            ],
            heading="Cost per contact",
        )
    ]

    class Meta:
        verbose_name = "channel costs"

    def cost_for(self, channel: str) -> Decimal:
        return {
            Channel.WEB: self.online,
            Channel.PHONE: self.phone,
            Channel.FACE_TO_FACE: self.face_to_face,
            Channel.EMAIL: self.email,
            Channel.LETTER: self.letter,
            Channel.API: self.api,
        }.get(channel, Decimal("0"))
