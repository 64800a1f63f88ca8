"""Per-site settings: branding, navigation and footer for the council and microsites."""

from django.core.exceptions import ValidationError
from django.db import models

from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField

from home.blocks import LinkBlock
from home.colours import contrast_ratio, is_hex_colour

MIN_CONTRAST = 4.5


def validate_brand_colour(value: str) -> None:
    if not is_hex_colour(value):
        raise ValidationError("Enter a colour as a hex code, like #00594f.")
    ratio = contrast_ratio(value, "#ffffff")
    if ratio < MIN_CONTRAST:
        raise ValidationError(
            f"White text on {value} has a contrast ratio of {ratio:.1f}:1. "
            f"Choose a darker colour (at least {MIN_CONTRAST}:1)."
        )


@register_setting(icon="site")
class SiteSettings(BaseSiteSetting):
    """Branding and chrome for one site (the council site or a microsite)."""

    organisation_name = models.CharField(
        max_length=100,
        default="Guildhall Borough Council",
        help_text="Shown in the header, page titles and footer.",
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Optional. Shown beside the organisation name.",
    )
    brand_colour = models.CharField(
        max_length=7,
        default="#00594f",
        validators=[validate_brand_colour],
        help_text="Header and accent colour. Must keep white text readable.",
    )
    navigation = StreamField([("link", LinkBlock())], blank=True)
    footer_links = StreamField([("link", LinkBlock())], blank=True)
    footer_text = models.CharField(
        max_length=250,
        blank=True,
        help_text="For example the council's address or a short statement.",
    )
    show_search = models.BooleanField(default=True)

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("organisation_name"),
                FieldPanel("logo"),
                FieldPanel("brand_colour"),
            ],
            heading="Branding",
        ),
        FieldPanel("navigation"),
        MultiFieldPanel(
            [FieldPanel("footer_links"), FieldPanel("footer_text")], heading="Footer"
        ),
        FieldPanel("show_search"),
    ]

    class Meta:
        verbose_name = "site settings"
