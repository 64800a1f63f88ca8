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


class Ward(models.Model):
    name = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class WardPostcode(models.Model):
    """A postcode prefix (outward code or sector) and the ward it lies in."""

    prefix = models.CharField(max_length=8, unique=True)
    ward = models.ForeignKey(Ward, on_delete=models.CASCADE, related_name="postcodes")

    def __str__(self):
        return f"{self.prefix} → {self.ward}"


from personalisation.rules import CouncilTaxLinkedRule, PreferredLanguageRule, WardRule  # noqa: E402, F401
