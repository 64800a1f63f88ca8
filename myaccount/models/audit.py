"""The audit log of access to, and changes of, residents' personal data."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from myaccount.enums import AuditAction


class AuditLogEntry(models.Model):
    """Who did what to whose record, and when.

    ``detail`` holds no personal data (ids and counts only), so entries can be kept
    after the resident's account is erased: they then point at the anonymised user.
    """

    action = models.CharField(max_length=30, choices=AuditAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audit_entries",
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "audit log entries"

    def __str__(self):
        return f"{self.get_action_display()} ({self.created_at:%Y-%m-%d %H:%M})"
