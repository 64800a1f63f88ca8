"""Bulletins residents subscribe to by topic, and the record of their consent.

Residents choose topics on their contact preferences page; every change of that
choice (there, or through a bulletin's unsubscribe link, which works without
signing in) is a ``TopicConsent`` row, so the council can show when and how each
person agreed. Editors write a ``Bulletin`` for a topic and send it once; it goes
through the outbox to every resident subscribed to the topic at that moment, by
email and, to those who chose texts, by text (``myaccount.bulletins``).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from wagtail.admin.panels import FieldPanel

from myaccount.enums import ContactTopic


class ConsentSource(models.TextChoices):
    PREFERENCES = "preferences", "Contact preferences page"
    UNSUBSCRIBE_LINK = "unsubscribe-link", "Unsubscribe link in a bulletin"


class TopicConsent(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    topic = models.CharField(max_length=40, choices=ContactTopic.choices)
    given = models.BooleanField(help_text="Subscribed (or, if not, unsubscribed).")
    source = models.CharField(max_length=20, choices=ConsentSource.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "topic", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.user_id} {self.topic}: {'yes' if self.given else 'no'}"


class Bulletin(models.Model):
    topic = models.CharField(max_length=40, choices=ContactTopic.choices)
    subject = models.CharField(max_length=120)
    body = models.TextField(
        max_length=5000, help_text="Plain text. An unsubscribe link is added."
    )
    sms_text = models.CharField(
        "Text message",
        max_length=300,
        blank=True,
        help_text=(
            "Sent instead of the email to residents who chose texts. Leave empty "
            "to email everyone."
        ),
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        editable=False,
        related_name="+",
    )
    recipients = models.PositiveIntegerField(default=0, editable=False)

    panels = [
        FieldPanel("topic"),
        FieldPanel("subject"),
        FieldPanel("body"),
        FieldPanel("sms_text"),
    ]

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.subject

    @property
    def send_link(self):
        from django.urls import reverse
        from django.utils.html import format_html

        if self.sent_at:
            return format_html(
                "Sent to {} on {}",
                self.recipients,
                timezone.localtime(self.sent_at).strftime("%d/%m/%Y %H:%M"),
            )
        return format_html(
            '<a href="{}">Send</a>',
            reverse("myaccount_admin:bulletin_send", args=[self.pk]),
        )
