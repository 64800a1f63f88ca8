"""Per-segment visit counts, the ward lookup table, and My Account notices."""

from django.db import models
from django.db.models import Q
from django.utils import timezone

from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField


def forms_checkboxes():
    from django import forms

    return forms.CheckboxSelectMultiple


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


class AccountNoticeQuerySet(models.QuerySet):
    def showing(self, segment_ids, now=None):
        """Live notices in date for any of ``segment_ids`` (one query)."""
        now = now or timezone.now()
        return (
            self.filter(live=True, segments__in=list(segment_ids))
            .filter(Q(starts_at__isnull=True) | Q(starts_at__lte=now))
            .filter(Q(ends_at__isnull=True) | Q(ends_at__gt=now))
            .distinct()
            .order_by("-starts_at", "-pk")
        )


class AccountNotice(models.Model):
    """A message on the My Account dashboard for residents in chosen segments, e.g.
    "Northfield: your bin day changes" for residents of Northfield ward."""

    title = models.CharField(max_length=120)
    message = RichTextField(features=["bold", "link"])
    segments = models.ManyToManyField(
        "wagtail_personalisation.Segment",
        related_name="+",
        help_text="Shown only to residents in at least one of these segments.",
    )
    starts_at = models.DateTimeField(null=True, blank=True)
    ends_at = models.DateTimeField(null=True, blank=True)
    live = models.BooleanField(default=True)

    objects = AccountNoticeQuerySet.as_manager()

    panels = [
        FieldPanel("title"),
        FieldPanel("message"),
        FieldPanel("segments", widget=forms_checkboxes()),
        MultiFieldPanel(
            [FieldPanel("starts_at"), FieldPanel("ends_at"), FieldPanel("live")],
            heading="When",
        ),
    ]

    class Meta:
        ordering = ["-starts_at", "-pk"]
        verbose_name = "My Account notice"

    def __str__(self):
        return self.title


from personalisation.rules import (  # noqa: E402, F401
    CampaignRule,
    PreferredLanguageRule,
    WardRule,
)
from personalisation.variants import VariantMetadata  # noqa: E402, F401
