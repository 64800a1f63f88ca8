"""'Was this page useful?' answers, stored without personal data."""

from django.db import models


class PageFeedback(models.Model):
    """One answer to 'Was this page useful?'.

    Holds no personal data: no user, IP address, user agent or session. The rate
    limit that protects it keys on a salted hash kept only in the cache.
    """

    page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="+"
    )
    useful = models.BooleanField()
    comment = models.TextField(max_length=1200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "page feedback"
        verbose_name_plural = "page feedback"

    def __str__(self):
        return f"{'Useful' if self.useful else 'Not useful'}: {self.page_id}"
