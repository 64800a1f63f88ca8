"""Messages from the council to a resident, and staff notes about a resident."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class ResidentMessageQuerySet(models.QuerySet):
    def for_resident(self, user):
        return self.filter(user=user)


class ResidentMessage(models.Model):
    """A message the council sent to the resident (shown in My Account's messages).

    Later apps (cases, bookings) send their updates as messages too, with their own
    reference, so the resident has one inbox.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="messages"
    )
    reference = models.CharField(max_length=30, db_index=True)
    subject = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    sent_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = ResidentMessageQuerySet.as_manager()

    class Meta:
        ordering = ["-sent_at", "-pk"]
        indexes = [models.Index(fields=["user", "-sent_at"])]

    def __str__(self):
        return self.reference


class StaffNote(models.Model):
    """A note council staff keep about a resident, shown in the single customer view."""

    resident = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_notes"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    text = models.TextField(max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"Note on {self.resident_id}"
