"""What other council systems are allowed: API clients and webhook subscriptions.

An ``ApiClient`` is one back-office system (or report-it app, through Open311)
holding a bearer token scoped to some services, read-only or read and write. Only
a SHA-256 hash of the token is kept; the token itself is shown once, when it is
issued or rotated in the admin. ``ApiCallLog`` records every call made with it.

A ``WebhookSubscription`` sends a service's case events to a URL, signed in the
Standard Webhooks format. Each delivery is an ``OutboxEvent`` row (written with
the change, sent by Celery), so webhooks share the outbox's claims, retries and
dead letters (``services.outbox``, ``services.integrations.webhooks``).
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

from wagtail.admin.panels import FieldPanel

from services.api.read_cache import ApiClientChangesQuerySet

TOKEN_PREFIX = "gh_"  # noqa: S105 - a prefix, not a secret


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_webhook_secret() -> str:
    """A Standard Webhooks secret: ``whsec_`` and 32 random bytes in base64."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


class WebhookEventType(models.TextChoices):
    CASE_CREATED = "case.created", "Case created"
    STATUS_CHANGED = "case.status_changed", "Status changed"
    UPDATED = "case.updated", "Case updated (public update)"
    CLOSED = "case.closed", "Case closed"
    BOOKING_CONFIRMED = "booking.confirmed", "Booking confirmed"
    BOOKING_MOVED = "booking.moved", "Booking moved"
    BOOKING_CANCELLED = "booking.cancelled", "Booking cancelled"
    PAYMENT_SUCCEEDED = "payment.succeeded", "Payment succeeded"
    PAYMENT_REFUNDED = "payment.refunded", "Payment refunded"


def all_event_types() -> list[str]:
    return list(WebhookEventType.values)


class ApiClientQuerySet(ApiClientChangesQuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class ApiClient(models.Model):
    """A system that calls the case API or Open311, with its scope."""

    name = models.CharField(max_length=120, unique=True)
    services = models.ManyToManyField(
        "services.ServiceDefinition",
        related_name="api_clients",
        help_text="The services whose cases this system may see.",
    )
    can_write = models.BooleanField(
        "May change cases",
        default=False,
        help_text=(
            "Set status, add public updates, close cases and (through Open311) "
            "report problems. Without it the system may only read."
        ),
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    token_hint = models.CharField(max_length=12, editable=False, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    rotated_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ApiClientQuerySet.as_manager()

    panels = [FieldPanel("name"), FieldPanel("services"), FieldPanel("can_write")]

    class Meta:
        ordering = ["name"]
        verbose_name = "API client"

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if not self.token_hash:
            # A new client has a token nobody knows until staff issue one.
            self.token_hash = hash_token(secrets.token_urlsafe(32))
        super().save(*args, **kwargs)

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @property
    def token_link(self):
        from django.urls import reverse
        from django.utils.html import format_html

        return format_html(
            '<a href="{}">Token and calls</a>',
            reverse("services_integrations:api_client_token", args=[self.pk]),
        )

    def issue_token(self) -> str:
        """Set a new token (the old one stops working) and return it: the only
        time anyone sees it. The caller saves the client."""
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        self.token_hash = hash_token(token)
        self.token_hint = token[:8]
        return token


class ApiCallLog(models.Model):
    """One call to the API: who, what, and the answer given."""

    client = models.ForeignKey(
        ApiClient, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    method = models.CharField(max_length=8)
    path = models.CharField(max_length=300)
    status_code = models.PositiveSmallIntegerField()
    case_reference = models.CharField(max_length=24, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["client", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.method} {self.path} {self.status_code}"


class WebhookSubscriptionQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)

    def for_event(self, *, service_id: int, event_type: str) -> list:
        """Active subscriptions of the service that asked for this event type
        (filtered in Python: JSON containment differs between databases)."""
        return [
            s
            for s in self.active().filter(services__pk=service_id)
            if event_type in (s.events or [])
        ]


class WebhookSubscription(models.Model):
    """A back-office system hearing about a service's case events."""

    name = models.CharField(max_length=120)
    url = models.URLField(
        "Endpoint URL",
        max_length=500,
        help_text="Where events are POSTed (https in production).",
    )
    services = models.ManyToManyField(
        "services.ServiceDefinition", related_name="webhook_subscriptions"
    )
    events = models.JSONField(
        default=all_event_types,
        help_text="Event types sent: " + ", ".join(WebhookEventType.values) + ".",
    )
    active = models.BooleanField(default=True)
    secret = models.CharField(max_length=60, default=new_webhook_secret, editable=False)
    # After a rotation the old secret still signs (a second signature) until
    # previous_secret_expires_at, so the receiver can switch at its own pace.
    previous_secret = models.CharField(max_length=60, blank=True, editable=False)
    previous_secret_expires_at = models.DateTimeField(
        null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = WebhookSubscriptionQuerySet.as_manager()

    panels = [
        FieldPanel("name"),
        FieldPanel("url"),
        FieldPanel("services"),
        FieldPanel("events"),
        FieldPanel("active"),
    ]

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        from django.core.exceptions import ValidationError

        valid = set(WebhookEventType.values)
        if (
            not isinstance(self.events, list)
            or not self.events
            or not all(isinstance(e, str) and e in valid for e in self.events)
        ):
            raise ValidationError(
                {"events": "List one or more of " + ", ".join(sorted(valid))}
            )

    @property
    def secret_link(self):
        from django.urls import reverse
        from django.utils.html import format_html

        return format_html(
            '<a href="{}">Signing secret</a>',
            reverse("services_integrations:webhook_secret", args=[self.pk]),
        )

    def signing_secrets(self, now=None) -> list[str]:
        """The current secret, then the previous one while it is still valid."""
        now = now or timezone.now()
        found = [self.secret]
        if (
            self.previous_secret
            and self.previous_secret_expires_at
            and self.previous_secret_expires_at > now
        ):
            found.append(self.previous_secret)
        return found

    def rotate_secret(self, now=None) -> str:
        """A new secret; the old one keeps signing for the grace period. The
        caller saves."""
        now = now or timezone.now()
        self.previous_secret = self.secret
        self.previous_secret_expires_at = now + datetime.timedelta(
            hours=settings.WEBHOOK_SECRET_GRACE_HOURS
        )
        self.secret = new_webhook_secret()
        return self.secret
