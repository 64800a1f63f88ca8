"""Payments residents make for a case, and the refunds staff give.

Money is always integer pence. A ``Payment`` mirrors one payment at the provider
(GOV.UK Pay, or the local sandbox): its state only ever comes from the provider's
API or a verified webhook (``services.payments.actions``), never from the browser
coming back.
"""

from __future__ import annotations

import uuid as uuidlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


def pounds(pence: int) -> str:
    """``3500`` → ``"£35.00"``."""
    sign = "-" if pence < 0 else ""
    pence = abs(int(pence))
    return f"{sign}£{pence // 100:,}.{pence % 100:02d}"


class PaymentStatus(models.TextChoices):
    # GOV.UK Pay's own state names, so the provider's answer maps one to one.
    CREATED = "created", "Not yet paid"
    STARTED = "started", "Payment started"
    SUBMITTED = "submitted", "Payment being processed"
    CAPTURABLE = "capturable", "Payment being processed"
    SUCCESS = "success", "Paid"
    FAILED = "failed", "Payment failed"
    CANCELLED = "cancelled", "Payment cancelled"
    ERROR = "error", "Payment error"


IN_PROGRESS_STATUSES = (
    PaymentStatus.CREATED,
    PaymentStatus.STARTED,
    PaymentStatus.SUBMITTED,
    PaymentStatus.CAPTURABLE,
)
FINISHED_STATUSES = (
    PaymentStatus.SUCCESS,
    PaymentStatus.FAILED,
    PaymentStatus.CANCELLED,
    PaymentStatus.ERROR,
)


class PaymentQuerySet(models.QuerySet):
    def for_resident(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(case__resident=user)

    def in_progress(self):
        return self.filter(status__in=IN_PROGRESS_STATUSES)

    def paid(self):
        return self.filter(status=PaymentStatus.SUCCESS)


class Payment(models.Model):
    """One attempt to take money for a case."""

    uuid = models.UUIDField(default=uuidlib.uuid4, unique=True, editable=False)
    case = models.ForeignKey(
        "services.Case", on_delete=models.PROTECT, related_name="payments"
    )
    amount = models.PositiveIntegerField(help_text="In pence.")
    vat_amount = models.PositiveIntegerField(default=0, help_text="In pence.")
    description = models.CharField(max_length=255)
    # The council's reference sent to the provider (the case reference).
    reference = models.CharField(max_length=255)
    provider = models.CharField(max_length=20)
    provider_id = models.CharField(max_length=64, blank=True, db_index=True)
    next_url = models.URLField(max_length=500, blank=True)
    # Sent as the provider's Idempotency-Key: a retried create makes no second
    # payment at the provider.
    idempotency_key = models.UUIDField(default=uuidlib.uuid4, unique=True)
    status = models.CharField(
        max_length=20, choices=PaymentStatus.choices, default=PaymentStatus.CREATED
    )
    failure_code = models.CharField(max_length=20, blank=True)
    failure_message = models.CharField(max_length=255, blank=True)
    card_brand = models.CharField(max_length=40, blank=True)
    last_digits = models.CharField(max_length=4, blank=True)
    refunded_amount = models.PositiveIntegerField(default=0)
    # Where the resident returns to (the journey's page) and the journey's key.
    return_path = models.CharField(max_length=300, blank=True)
    journey_key = models.CharField(max_length=80, blank=True)
    # What completing the payment must do (e.g. confirm the booking it pays for).
    purpose = models.JSONField(default=dict, blank=True)
    # Only for the local sandbox provider, which keeps its side of the payment
    # here (what its card page did); GOV.UK Pay keeps its own.
    sandbox_state = models.JSONField(default=dict, blank=True)
    # Set once success has been acted on (booking confirmed or payment refunded).
    fulfilled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = PaymentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(refunded_amount__lte=models.F("amount")),
                name="payment_refund_not_over_amount",
            )
        ]
        indexes = [
            models.Index(
                fields=["created_at"],
                name="payment_in_progress_idx",
                condition=Q(status__in=IN_PROGRESS_STATUSES),
            )
        ]

    def __str__(self) -> str:
        return f"{self.reference} {pounds(self.amount)}"

    @property
    def amount_display(self) -> str:
        return pounds(self.amount)

    @property
    def refundable(self) -> int:
        if self.status != PaymentStatus.SUCCESS:
            return 0
        return self.amount - self.refunded_amount

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED_STATUSES


class Refund(models.Model):
    payment = models.ForeignKey(
        Payment, on_delete=models.PROTECT, related_name="refunds"
    )
    amount = models.PositiveIntegerField(help_text="In pence.")
    reason = models.CharField(max_length=255)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    provider_id = models.CharField(max_length=64, blank=True)
    status = models.CharField(max_length=20, default="submitted")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.payment_id} refund {pounds(self.amount)}"

    @property
    def amount_display(self) -> str:
        return pounds(self.amount)


class PaymentWebhookMessage(models.Model):
    """Each verified webhook message once: a replay finds its id here."""

    message_id = models.CharField(max_length=64, unique=True)
    event_type = models.CharField(max_length=60)
    resource_id = models.CharField(max_length=64)
    received_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.message_id
