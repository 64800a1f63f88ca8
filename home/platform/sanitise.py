"""Sanitising editor HTML on output.

Wagtail stores rich text in a restricted format, but content can also arrive through
imports, the API or the database directly, so rendered rich text passes through an
allow-list (nh3) that also adds the GOV.UK typography classes.
"""

from django.utils.safestring import SafeString, mark_safe

from wagtail.rich_text import expand_db_html

import nh3

_ALLOWED_TAGS = {"p", "a", "ul", "ol", "li", "strong", "b", "br", "h2", "h3", "h4"}
_CLASSES = {
    "p": {"class": "govuk-body"},
    "a": {"class": "govuk-link"},
    "ul": {"class": "govuk-list govuk-list--bullet"},
    "ol": {"class": "govuk-list govuk-list--number"},
    "h2": {"class": "govuk-heading-m"},
    "h3": {"class": "govuk-heading-s"},
    "h4": {"class": "govuk-heading-s"},
}


def sanitise_html(html: str) -> SafeString:
    """Allow-listed HTML with GOV.UK classes; scripts, styles and handlers removed."""
    cleaned = nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes={"a": {"href"}},
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel="noopener",
        set_tag_attribute_values=_CLASSES,
    )
    return mark_safe(cleaned)  # noqa: S308 - cleaned by nh3 above


def sanitise_rich_text(source: str) -> SafeString:
    """Expand Wagtail's stored rich text (page and document links) and sanitise it."""
    return sanitise_html(expand_db_html(source or ""))
