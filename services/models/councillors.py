"""A councillor's enquiry for a constituent: who the constituent is and how they
agreed to it (``services.councillors``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from .cases import Case


class ConstituentEnquiry(models.Model):
    """The constituent a councillor raised a case for. The councillor is the
    case's resident (they follow it in their account); the constituent hears
    about it by email too (``services.outbox``)."""

    case = models.OneToOneField(
        Case, on_delete=models.CASCADE, related_name="constituent"
    )
    councillor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="constituent_enquiries",
    )
    name = models.CharField(max_length=120)
    email = models.EmailField(blank=True)
    address = models.CharField(max_length=300, blank=True)
    consent = models.CharField(
        max_length=200, help_text="How the constituent agreed, as the councillor said."
    )
    consent_recorded_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.name} ({self.case})"
