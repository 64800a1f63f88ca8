"""Files a resident attached to a case (editor-built forms' file questions).

The file itself lives in the private ``case_uploads`` storage; this row says which
question it answered and what the resident called it, so the case page can list it
and the retention job can delete it.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from .cases import Case


class CaseAttachment(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    question = models.CharField(max_length=120)
    original_name = models.CharField(max_length=200)
    file = models.CharField(
        max_length=255, help_text="Name in the private case_uploads storage."
    )
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.original_name
