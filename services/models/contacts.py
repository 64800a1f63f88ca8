"""Contacts: every person the council deals with, with an account or without.

A ``Contact`` is one person. Their email addresses and phone numbers are
``ContactPoint`` rows, each verified or not: only a *verified* point ever joins a
new record to an existing contact (``services.contacts``), so typing a stranger's
email address or phone number never reaches that stranger's record by itself,
and two people with the same name stay two people. Cases and interactions point
at their contact; a contact may be linked to one user account.

Staff merge duplicates (``ContactMerge`` is the audit trail, with what moved, so a
merge can be undone), record consents (``Consent``) and hand work between teams
(``Handover``).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models
from django.db.models import Q
from django.utils import timezone

from services.enums import Channel


class ContactPointKind(models.TextChoices):
    EMAIL = "email", "Email address"
    PHONE = "phone", "Phone number"


class ConsentPurpose(models.TextChoices):
    EMAIL_UPDATES = "email_updates", "Updates about their requests by email"
    SMS_UPDATES = "sms_updates", "Updates about their requests by text message"
    COUNCIL_NEWS = "council_news", "Council news and consultations"
    RESEARCH = "research", "Taking part in user research"


class MergeReason(models.TextChoices):
    STAFF = "staff", "Merged by staff"
    SIGN_UP = "sign_up", "Joined to the account that verified their email address"


class ContactQuerySet(models.QuerySet):
    def current(self):
        """Contacts that have not been merged into another."""
        return self.filter(merged_into__isnull=True)


class Contact(models.Model):
    """One person, with or without an account."""

    name = models.CharField(max_length=120, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contact",
    )
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merged_from",
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    anonymised_at = models.DateTimeField(null=True, blank=True)

    objects = ContactQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        # The name is searched with a trigram index on PostgreSQL (migration).
        permissions = [("merge_contacts", "Can merge duplicate contacts")]

    def __str__(self) -> str:
        return self.name or f"Contact {self.pk}"

    @property
    def label(self) -> str:
        if self.user_id and self.user and not self.name:
            return self.user.get_full_name() or self.user.get_username()
        return self.name or "Name not given"


class ContactPoint(models.Model):
    """An email address or phone number of a contact, normalised
    (``services.contacts.normalise``). A verified one belongs to one contact."""

    contact = models.ForeignKey(
        Contact, on_delete=models.CASCADE, related_name="points"
    )
    kind = models.CharField(max_length=10, choices=ContactPointKind.choices)
    value = models.CharField(max_length=254)
    verified_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["kind", "-verified_at", "value"]
        indexes = [models.Index(fields=["kind", "value"])]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "value"],
                condition=Q(verified_at__isnull=False),
                name="contact_point_one_verified_owner",
            )
        ]

    def __str__(self) -> str:
        return self.value

    @property
    def verified(self) -> bool:
        return self.verified_at is not None


class Consent(models.Model):
    """What a person agreed to (or withdrew), how, when and recorded by whom.
    The newest row per purpose is the one that counts."""

    contact = models.ForeignKey(
        Contact, on_delete=models.CASCADE, related_name="consents"
    )
    purpose = models.CharField(max_length=20, choices=ConsentPurpose.choices)
    granted = models.BooleanField()
    channel = models.CharField(
        max_length=20, choices=Channel.choices, default=Channel.PHONE
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        indexes = [models.Index(fields=["contact", "purpose", "-recorded_at"])]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()}: {'yes' if self.granted else 'no'}"


class ContactMerge(models.Model):
    """One merge: ``merged`` went into ``kept``. ``moved`` lists the ids of what
    moved (cases, interactions, consents, points), so the merge can be undone
    exactly; ids only, no personal data."""

    kept = models.ForeignKey(
        Contact, on_delete=models.CASCADE, related_name="merges_kept"
    )
    merged = models.ForeignKey(
        Contact, on_delete=models.CASCADE, related_name="merges_merged"
    )
    reason = models.CharField(
        max_length=10, choices=MergeReason.choices, default=MergeReason.STAFF
    )
    moved = models.JSONField(default=dict, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Contact {self.merged_id} into {self.kept_id}"

    KINDS = ("cases", "interactions", "consents", "points")

    @property
    def counts(self) -> dict[str, int]:
        """How many of each kind moved, in a fixed order (jsonb keeps none)."""
        return {k: len(self.moved[k]) for k in self.KINDS if self.moved.get(k)}


class Handover(models.Model):
    """A case, or an interaction's follow-up, handed to another team with a note."""

    case = models.ForeignKey(
        "services.Case",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="handovers",
    )
    interaction = models.ForeignKey(
        "services.Interaction",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="handovers",
    )
    from_team = models.ForeignKey(
        Group, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    to_team = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(max_length=2000)
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Handed to {self.to_team_id}"
