"""Every email and text handed to the notifications provider, with its delivery
status as GOV.UK Notify's receipts report it.

One row per message: written when the provider takes it (``services.outbox``),
updated by Notify's delivery receipt (``services.notify_receipts``). Staff see the
rows on the case and on the person; a permanent failure of an email address flags
the contact, and a permanent failure of a text falls back to email. The recipient
is kept only as a masked hint (``07••• •••123``): the address itself stays on the
case or the account, where erasure finds it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class MessageChannel(models.TextChoices):
    EMAIL = "email", "Email"
    SMS = "sms", "Text message"


class MessageStatus(models.TextChoices):
    SENDING = "sending", "Sending"
    DELIVERED = "delivered", "Delivered"
    PERMANENT_FAILURE = "permanent-failure", "Permanent failure"
    TEMPORARY_FAILURE = "temporary-failure", "Temporary failure"
    TECHNICAL_FAILURE = "technical-failure", "Technical failure"


# Notify sends one receipt per message, with one of these: nothing changes after.
FINAL_STATUSES = frozenset(
    (
        MessageStatus.DELIVERED,
        MessageStatus.PERMANENT_FAILURE,
        MessageStatus.TEMPORARY_FAILURE,
        MessageStatus.TECHNICAL_FAILURE,
    )
)


def mask_recipient(to: str, channel: str) -> str:
    """Enough for staff to recognise the address, not to use it."""
    to = (to or "").strip()
    if channel == MessageChannel.SMS:
        digits = "".join(ch for ch in to if ch.isdigit())
        return f"••••• •••{digits[-3:]}" if digits else ""
    local, _, domain = to.partition("@")
    return f"{local[:1]}•••@{domain}" if domain else ""


class NotifyMessageQuerySet(models.QuerySet):
    def for_case(self, case):
        return self.filter(case=case).order_by("-created_at", "-pk")

    def for_person(self, user):
        return self.filter(user=user).select_related("case").order_by("-created_at")

    def email_bounced(self):
        return self.filter(
            channel=MessageChannel.EMAIL, status=MessageStatus.PERMANENT_FAILURE
        )


class NotifyMessage(models.Model):
    outbox = models.ForeignKey(
        "services.OutboxEvent",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="messages",
    )
    case = models.ForeignKey(
        "services.Case",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="messages",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notify_messages",
    )
    channel = models.CharField(max_length=8, choices=MessageChannel.choices)
    # The reference sent to the provider: one message per reference, so a retried
    # delivery never sends a message the provider already took.
    reference = models.CharField(max_length=160, unique=True)
    recipient_hint = models.CharField(max_length=80, blank=True)
    provider = models.CharField(max_length=20)
    provider_id = models.CharField(max_length=160, db_index=True)
    status = models.CharField(
        max_length=20, choices=MessageStatus.choices, default=MessageStatus.SENDING
    )
    created_at = models.DateTimeField(default=timezone.now)
    status_at = models.DateTimeField(null=True, blank=True)

    objects = NotifyMessageQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.channel} {self.reference}: {self.status}"

    @property
    def is_failure(self) -> bool:
        return self.status in (
            MessageStatus.PERMANENT_FAILURE,
            MessageStatus.TEMPORARY_FAILURE,
            MessageStatus.TECHNICAL_FAILURE,
        )
