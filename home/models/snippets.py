"""Reusable content managed as snippets: alert banners and contact details."""

from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q
from django.utils import timezone

from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import DraftStateMixin, PreviewableMixin, RevisionMixin
from wagtail.search import index

from home.blocks.content import INLINE_RICH_TEXT_FEATURES
from home.enums import AlertSeverity


class AlertBannerQuerySet(models.QuerySet):
    def active_for_site(self, site, now=None):
        """Live alerts showing now on ``site`` (or on every site), most severe first."""
        now = now or timezone.now()
        return (
            self.filter(live=True, starts_at__lte=now)
            .filter(Q(ends_at__isnull=True) | Q(ends_at__gt=now))
            .filter(Q(site__isnull=True) | Q(site=site))
            .order_by("severity_rank", "-starts_at")
        )


class AlertBanner(DraftStateMixin, RevisionMixin, PreviewableMixin, models.Model):
    """A site-wide message such as a service disruption or an emergency.

    Shown at the top of every page of its site (or all sites) between its start and
    end. Residents can hide any alert except an emergency; hiding works without
    JavaScript (see ``home.views.dismiss_alert``).
    """

    title = models.CharField(max_length=120)
    message = RichTextField(features=INLINE_RICH_TEXT_FEATURES, max_length=1000)
    severity = models.CharField(
        max_length=20, choices=AlertSeverity.choices, default=AlertSeverity.ANNOUNCEMENT
    )
    severity_rank = models.PositiveSmallIntegerField(default=3, editable=False)
    starts_at = models.DateTimeField(default=timezone.now)
    ends_at = models.DateTimeField(null=True, blank=True)
    site = models.ForeignKey(
        "wagtailcore.Site",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="Leave empty to show on every site.",
    )
    segment = models.ForeignKey(
        "wagtail_personalisation.Segment",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Show only to people in this segment (for example residents of a "
        "ward). Leave empty to show to everyone.",
    )
    _revisions = GenericRelation(
        "wagtailcore.Revision", related_query_name="alertbanner"
    )

    objects = AlertBannerQuerySet.as_manager()

    panels = [
        FieldPanel("title"),
        FieldPanel("message"),
        FieldPanel("severity"),
        MultiFieldPanel(
            [FieldPanel("starts_at"), FieldPanel("ends_at")], heading="When"
        ),
        FieldPanel("site"),
        FieldPanel("segment"),
    ]
    search_fields = [index.SearchField("title"), index.AutocompleteField("title")]

    class Meta:
        ordering = ["severity_rank", "-starts_at"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.severity_rank = AlertSeverity.rank(self.severity)
        super().save(*args, **kwargs)

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.ends_at and self.starts_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": "The end must be after the start."})

    @property
    def revisions(self):
        return self._revisions

    @property
    def message_html(self) -> str:
        from home.platform.sanitise import sanitise_rich_text

        return sanitise_rich_text(self.message)

    def as_banner(self) -> dict:
        """What the banner template needs, as plain data (cached per generation)."""
        return {
            "pk": self.pk,
            "title": self.title,
            "severity": self.severity,
            "get_severity_display": self.get_severity_display(),
            "message_html": self.message_html,
            "dismissible": self.dismissible,
            "starts_at": self.starts_at,
            "ends_at": self.ends_at,
            "segment_id": self.segment_id,
        }

    @property
    def dismissible(self) -> bool:
        return self.severity != AlertSeverity.EMERGENCY

    def get_preview_template(self, request, mode_name):
        return "home/includes/alert_preview.html"

    def get_preview_context(self, request, mode_name):
        return {"object": self, "alerts": [self], "request": request}


class ContactDetails(index.Indexed, models.Model):
    """Contact details reused on many pages: change them once, every page updates."""

    name = models.CharField(
        max_length=120, help_text="For example 'Waste and recycling'."
    )
    phone = models.CharField(max_length=30, blank=True)
    textphone = models.CharField(max_length=30, blank=True)
    email = models.EmailField(blank=True)
    address = models.TextField(max_length=400, blank=True)
    opening_hours = models.TextField(max_length=400, blank=True)
    contact_form_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The council's own online contact form (a page with a form service).",
    )
    contact_form_url = models.URLField(
        blank=True, help_text="Only for a form on another website, when no page is set."
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("phone"),
        FieldPanel("textphone"),
        FieldPanel("email"),
        FieldPanel("address"),
        FieldPanel("opening_hours"),
        FieldPanel("contact_form_page"),
        FieldPanel("contact_form_url"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        verbose_name = "contact details"
        verbose_name_plural = "contact details"
        ordering = ["name"]

    def __str__(self):
        return self.name
