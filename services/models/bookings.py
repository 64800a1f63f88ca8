"""Calendars of slots with capacity, and the bookings that take them.

A ``Calendar`` (bulky waste collections, registrar appointments) has ``Slot`` rows,
each with a capacity. A ``Booking`` starts as a hold that reserves one place for
``Calendar.hold_minutes`` and is confirmed (usually once paid) or lapses on its
own: a hold past ``hold_expires_at`` no longer counts against capacity, whether or
not the sweep has marked it expired yet. ``services.bookings.actions`` takes a
place only while holding the slot's row lock, so capacity is never oversold.

Rounds divide a calendar by area: a slot on a round is offered only to addresses
on that round (by UPRN, else the longest matching postcode prefix).
"""

from __future__ import annotations

import uuid as uuidlib

from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.utils import timezone

from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel

from frontend.formats import normalise_postcode


class PriceList(ClusterableModel):
    """What a service charges, item by item (bulky waste items, garden waste bins,
    permit types). Prices are set here, never taken from the browser."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(unique=True)
    max_items = models.PositiveSmallIntegerField(
        default=0, help_text="Most items in one request (0 means no limit)."
    )
    vat_rate_percent = models.PositiveSmallIntegerField(
        default=0, help_text="VAT included in these prices, in per cent (0 if none)."
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("max_items"),
        FieldPanel("vat_rate_percent"),
        InlinePanel("items", label="Items"),
    ]

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PriceItem(models.Model):
    price_list = ParentalKey(PriceList, on_delete=models.CASCADE, related_name="items")
    code = models.SlugField(max_length=40)
    name = models.CharField(max_length=120)
    price = models.PositiveIntegerField(help_text="In pence.")
    concession_price = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="In pence, for residents with a confirmed concession (blank: full price).",
    )
    max_quantity = models.PositiveSmallIntegerField(default=5)
    sort_order = models.PositiveSmallIntegerField(default=0)

    panels = [
        FieldPanel("code"),
        FieldPanel("name"),
        FieldPanel("price"),
        FieldPanel("concession_price"),
        FieldPanel("max_quantity"),
    ]

    class Meta:
        ordering = ["sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["price_list", "code"], name="unique_price_item_code"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Calendar(models.Model):
    name = models.CharField(max_length=120)
    slug = models.SlugField(unique=True)
    hold_minutes = models.PositiveSmallIntegerField(
        default=30, help_text="How long a place is held while the resident finishes."
    )
    cutoff_hours = models.PositiveSmallIntegerField(
        default=24,
        help_text="Bookings and cancellations close this many hours before a slot.",
    )
    skip_bank_holidays = models.BooleanField(default=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        MultiFieldPanel(
            [
                FieldPanel("hold_minutes"),
                FieldPanel("cutoff_hours"),
                FieldPanel("skip_bank_holidays"),
            ],
            heading="Rules",
        ),
    ]

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class RoundQuerySet(models.QuerySet):
    def for_address(self, *, postcode: str = "", uprn: str = ""):
        """The round serving an address: its UPRN listed on a round, else the
        round with the longest postcode prefix the postcode starts with."""
        rounds = list(self)
        if uprn:
            for candidate in rounds:
                if uprn in candidate.uprn_list:
                    return candidate
        compact = (normalise_postcode(postcode) or "").replace(" ", "")
        best, best_len = None, -1
        for candidate in rounds:
            for prefix in candidate.prefix_list:
                if compact.startswith(prefix) and len(prefix) > best_len:
                    best, best_len = candidate, len(prefix)
        return best


class Round(models.Model):
    calendar = models.ForeignKey(
        Calendar, on_delete=models.CASCADE, related_name="rounds"
    )
    name = models.CharField(max_length=120)
    postcode_prefixes = models.TextField(
        blank=True,
        help_text="Postcode districts or sectors this round serves, one a line "
        "(e.g. GU1, GU2 4).",
    )
    uprns = models.TextField(
        "UPRNs", blank=True, help_text="Single properties on this round, one a line."
    )

    objects = RoundQuerySet.as_manager()

    panels = [
        FieldPanel("calendar"),
        FieldPanel("name"),
        FieldPanel("postcode_prefixes"),
        FieldPanel("uprns"),
    ]

    class Meta:
        ordering = ["calendar", "name"]

    def __str__(self) -> str:
        return f"{self.calendar}: {self.name}"

    @property
    def prefix_list(self) -> list[str]:
        return [
            line.replace(" ", "").upper()
            for line in self.postcode_prefixes.splitlines()
            if line.strip()
        ]

    @property
    def uprn_list(self) -> set[str]:
        return {line.strip() for line in self.uprns.splitlines() if line.strip()}


class BlackoutDay(models.Model):
    """A day with no slots (bank holidays, depot closures); no calendar means
    every calendar."""

    calendar = models.ForeignKey(
        Calendar,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="blackout_days",
    )
    date = models.DateField()
    reason = models.CharField(max_length=120)

    panels = [FieldPanel("calendar"), FieldPanel("date"), FieldPanel("reason")]

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(
                fields=["calendar", "date"], name="unique_blackout_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.date}: {self.reason}"


class BookingStatus(models.TextChoices):
    HELD = "held", "Held"
    CONFIRMED = "confirmed", "Confirmed"
    CANCELLED = "cancelled", "Cancelled"
    EXPIRED = "expired", "Hold expired"


def live_bookings_q(now=None, prefix: str = "") -> Q:
    """Bookings that take a place: confirmed ones, and holds not yet lapsed."""
    now = now or timezone.now()
    return Q(**{f"{prefix}status": BookingStatus.CONFIRMED}) | Q(
        **{f"{prefix}status": BookingStatus.HELD, f"{prefix}hold_expires_at__gt": now}
    )


class SlotQuerySet(models.QuerySet):
    def with_taken(self, now=None):
        return self.annotate(
            taken=Count("bookings", filter=live_bookings_q(now, prefix="bookings__"))
        )


class Slot(models.Model):
    calendar = models.ForeignKey(
        Calendar, on_delete=models.CASCADE, related_name="slots"
    )
    round = models.ForeignKey(
        Round, null=True, blank=True, on_delete=models.CASCADE, related_name="slots"
    )
    # What the slot is for, when one calendar offers several (registrar: birth
    # registration at the town hall); blank for a plain collection day.
    kind = models.CharField(max_length=60, blank=True)
    location = models.CharField(max_length=120, blank=True)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    capacity = models.PositiveIntegerField()

    objects = SlotQuerySet.as_manager()

    panels = [
        FieldPanel("calendar"),
        FieldPanel("round"),
        FieldPanel("kind"),
        FieldPanel("location"),
        FieldPanel("starts_at"),
        FieldPanel("ends_at"),
        FieldPanel("capacity"),
    ]

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["calendar", "round", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="slot_ends_after"
            )
        ]

    def __str__(self) -> str:
        local = timezone.localtime(self.starts_at)
        return f"{self.calendar}: {local:%d %B %Y %H:%M}"

    @property
    def date_label(self) -> str:
        return f"{timezone.localtime(self.starts_at):%A %-d %B %Y}"

    @property
    def time_label(self) -> str:
        start = timezone.localtime(self.starts_at)
        end = timezone.localtime(self.ends_at)
        return f"{start:%-I:%M%p}".lower() + " to " + f"{end:%-I:%M%p}".lower()


class BookingQuerySet(models.QuerySet):
    def for_resident(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(case__resident=user)

    def live(self, now=None):
        return self.filter(live_bookings_q(now))

    def upcoming(self, now=None):
        now = now or timezone.now()
        return self.filter(status=BookingStatus.CONFIRMED, slot__starts_at__gte=now)

    def past(self, now=None):
        now = now or timezone.now()
        return self.filter(status=BookingStatus.CONFIRMED, slot__starts_at__lt=now)


class Booking(models.Model):
    uuid = models.UUIDField(default=uuidlib.uuid4, unique=True, editable=False)
    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="bookings")
    case = models.ForeignKey(
        "services.Case",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="bookings",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        max_length=20, choices=BookingStatus.choices, default=BookingStatus.HELD
    )
    hold_expires_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    objects = BookingQuerySet.as_manager()

    class Meta:
        ordering = ["slot__starts_at", "pk"]
        indexes = [
            models.Index(
                fields=["slot"],
                name="booking_live_idx",
                condition=Q(status__in=["held", "confirmed"]),
            )
        ]

    def __str__(self) -> str:
        return f"{self.slot} ({self.get_status_display()})"

    @property
    def is_live_hold(self) -> bool:
        return (
            self.status == BookingStatus.HELD
            and self.hold_expires_at is not None
            and self.hold_expires_at > timezone.now()
        )
