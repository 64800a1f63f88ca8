"""Per-segment visit counts by day (counts only: no visitor is identified)."""

from django.db import models


class SegmentDailyVisits(models.Model):
    """How many page views matched a segment on a day.

    Counted in the cache during requests (no database write in a request) and moved
    here by a periodic task (``personalisation.tasks.flush_segment_visits``).
    """

    segment = models.ForeignKey(
        "wagtail_personalisation.Segment", on_delete=models.CASCADE, related_name="+"
    )
    date = models.DateField()
    visits = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["segment", "date"], name="one_count_per_day"
            )
        ]
        ordering = ["-date"]
        verbose_name_plural = "segment daily visits"

    def __str__(self):
        return f"{self.segment_id} on {self.date}: {self.visits}"
