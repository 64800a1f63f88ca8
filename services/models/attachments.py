"""Files a resident attached to a case: street-problem photos and editor-built
forms' file questions.

The file itself lives in the private ``case_uploads`` storage under a random name
with the extension of the type detected at upload; this row says which question it
answered and what the resident called it (a display label only, never used as a
path), so the case page can list it and erasure (``services.erasure``) can delete
it.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from services.api.read_cache import CaseApiQuerySet

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

    objects = CaseApiQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")
