"""Interactions: every call, email, visit or letter staff deal with, logged with
or without a case, for a resident with an account or a person without one.

Reasons are a list editors maintain (a snippet); each reason says how long the
personal details of its interactions are kept (``services.retention``). After
that, or when the resident deletes their account (``services.erasure``), the
interaction stays for the channel-shift figures without the person.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from wagtail.admin.panels import FieldPanel

from services.enums import InteractionChannel, InteractionOutcome


class InteractionReason(models.Model):
    """Why someone got in touch ("Bin collection day", "Council tax balance")."""

    name = models.CharField(max_length=100, unique=True)
    live = models.BooleanField(
        default=True, help_text="Offered to staff when they log an interaction."
    )
    retention_days = models.PositiveIntegerField(
        default=365,
        help_text="Days the person's details on these interactions are kept.",
    )
    sort_order = models.PositiveSmallIntegerField(default=0)

    panels = [
        FieldPanel("name"),
        FieldPanel("live"),
        FieldPanel("retention_days"),
        FieldPanel("sort_order"),
    ]

    class Meta:
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class InteractionQuerySet(models.QuerySet):
    def for_resident(self, user):
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(Q(resident=user) | Q(contact__user=user))

    def holding_personal_data(self):
        return self.filter(anonymised_at__isnull=True)


class Interaction(models.Model):
    channel = models.CharField(max_length=20, choices=InteractionChannel.choices)
    reason = models.ForeignKey(
        InteractionReason, on_delete=models.PROTECT, related_name="interactions"
    )
    outcome = models.CharField(max_length=30, choices=InteractionOutcome.choices)
    duration_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    note = models.TextField(blank=True, max_length=2000)
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Who: a resident account, or a person's details as they gave them.
    resident = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="interactions",
    )
    contact_name = models.CharField(max_length=120, blank=True)
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=30, blank=True)
    contact = models.ForeignKey(
        "services.Contact",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="interactions",
    )
    # A follow-up handed to a team (services.contacts.hand_over).
    follow_up_team = models.ForeignKey(
        "auth.Group",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="interaction_follow_ups",
    )
    case = models.ForeignKey(
        "services.Case",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="interactions",
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    anonymised_at = models.DateTimeField(null=True, blank=True)

    objects = InteractionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["resident", "-created_at"]),
            models.Index(fields=["contact", "-created_at"]),
            models.Index(fields=["contact_email"]),
            models.Index(fields=["contact_phone"]),
            models.Index(
                fields=["reason", "created_at"],
                name="interaction_retention_idx",
                condition=Q(anonymised_at__isnull=True),
            ),
        ]
        permissions = [("log_interaction", "Can log an interaction with a person")]

    def __str__(self) -> str:
        return f"{self.get_channel_display()}: {self.reason}"

    @property
    def who(self) -> str:
        if self.contact_id and self.contact:
            return self.contact.label
        if self.resident_id and self.resident:
            return self.resident.get_full_name() or self.resident.get_username()
        return self.contact_name or self.contact_email or self.contact_phone
