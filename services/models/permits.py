"""Subscriptions and permits residents pay for by the year: garden waste
collection (one or more bins) and resident parking (one vehicle each).

A ``PermitScheme`` is what the council sets in the admin: its price list (bins,
permit types), whether its year is fixed (garden waste: April to March) or runs
12 months from the day it starts (parking), whether a part year is charged
pro rata, and when to remind residents to renew. A ``Permit`` is one resident's
subscription or permit for one period: pending until paid, then active with a
permit number (``services.permits.actions``). A renewal is a new ``Permit`` for
the next period, pointing at the one it renews.
"""

from __future__ import annotations

import uuid as uuidlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from wagtail.admin.panels import FieldPanel, MultiFieldPanel


class PermitKind(models.TextChoices):
    GARDEN_WASTE = "garden_waste", "Garden waste subscription"
    RESIDENT_PARKING = "resident_parking", "Resident parking permit"


class PermitScheme(models.Model):
    name = models.CharField(max_length=120)
    slug = models.SlugField(unique=True)
    kind = models.CharField(max_length=30, choices=PermitKind.choices)
    service = models.ForeignKey(
        "services.ServiceDefinition",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The service whose cases hold these permits (and renewals).",
    )
    price_list = models.ForeignKey(
        "services.PriceList",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Garden waste: one item (a bin). Parking: one item per permit type.",
    )
    number_prefix = models.CharField(
        max_length=6, help_text="Permit numbers start with this, e.g. GW."
    )
    year_start_month = models.PositiveSmallIntegerField(
        default=0,
        help_text="The month (1 to 12) every subscription year starts, e.g. 4 for "
        "April to March; 0 for 12 months from the day each permit starts.",
    )
    pro_rata = models.BooleanField(
        default=False,
        help_text="In a fixed year, charge only for the months left (the month "
        "someone subscribes in counts as a whole month).",
    )
    reminder_days = models.PositiveSmallIntegerField(
        default=28, help_text="Email a renewal reminder this many days before the end."
    )
    postcode_prefixes = models.TextField(
        blank=True,
        help_text="Postcode districts or sectors the scheme covers, one a line "
        "(e.g. a parking zone's GH1 2); blank for everywhere.",
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("kind"),
        FieldPanel("service"),
        FieldPanel("price_list"),
        FieldPanel("number_prefix"),
        MultiFieldPanel(
            [
                FieldPanel("year_start_month"),
                FieldPanel("pro_rata"),
                FieldPanel("reminder_days"),
                FieldPanel("postcode_prefixes"),
            ],
            heading="Rules",
        ),
    ]

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def covers(self, postcode: str) -> bool:
        prefixes = [
            line.replace(" ", "").upper()
            for line in self.postcode_prefixes.splitlines()
            if line.strip()
        ]
        compact = (postcode or "").replace(" ", "").upper()
        return not prefixes or any(compact.startswith(p) for p in prefixes)


class PermitStatus(models.TextChoices):
    PENDING = "pending", "Waiting for payment"
    ACTIVE = "active", "Active"
    CANCELLED = "cancelled", "Cancelled"


class PermitQuerySet(models.QuerySet):
    def for_resident(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(user=user)

    def active(self):
        return self.filter(status=PermitStatus.ACTIVE)

    def current(self, on=None):
        """Active and covering ``on`` (today by default)."""
        on = on or timezone.localdate()
        return self.active().filter(valid_from__lte=on, valid_until__gte=on)


class Permit(models.Model):
    uuid = models.UUIDField(default=uuidlib.uuid4, unique=True, editable=False)
    scheme = models.ForeignKey(
        PermitScheme, on_delete=models.PROTECT, related_name="permits"
    )
    case = models.ForeignKey(
        "services.Case", on_delete=models.PROTECT, related_name="permits"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Set when the permit becomes active (paid): GW-000123.
    number = models.CharField(max_length=20, blank=True, db_index=True)
    status = models.CharField(
        max_length=20, choices=PermitStatus.choices, default=PermitStatus.PENDING
    )
    item_code = models.SlugField(max_length=40)  # the price list item (permit type)
    item_name = models.CharField(max_length=120)
    quantity = models.PositiveSmallIntegerField(default=1)  # bins
    vehicle_registration = models.CharField(max_length=10, blank=True)
    address = models.CharField(max_length=255)
    uprn = models.CharField(max_length=20, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    amount = models.PositiveIntegerField(help_text="In pence.")
    valid_from = models.DateField()
    valid_until = models.DateField()
    renewal_of = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="renewal",
    )
    # Set in the same transaction as the reminder's outbox row: sent once.
    reminded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    activated_at = models.DateTimeField(null=True, blank=True)

    objects = PermitQuerySet.as_manager()

    class Meta:
        ordering = ["-valid_until", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gte=models.F("valid_from")),
                name="permit_ends_after_start",
            ),
            models.UniqueConstraint(
                fields=["number"],
                condition=~Q(number=""),
                name="unique_permit_number",
            ),
        ]
        indexes = [
            models.Index(
                fields=["valid_until"],
                name="permit_renewal_due_idx",
                condition=Q(status="active", reminded_at__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return self.number or f"{self.scheme} (pending)"

    @property
    def description(self) -> str:
        if self.scheme.kind == PermitKind.GARDEN_WASTE:
            bins = "1 bin" if self.quantity == 1 else f"{self.quantity} bins"
            return f"Garden waste, {bins}"
        return f"{self.item_name}, {self.vehicle_registration}"

    @property
    def period_label(self) -> str:
        return f"{self.valid_from:%-d %B %Y} to {self.valid_until:%-d %B %Y}"
