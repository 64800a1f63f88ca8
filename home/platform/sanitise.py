"""Sanitising editor HTML on output.

Wagtail stores rich text in a restricted format, but content can also arrive through
imports, the API or the database directly, so rendered rich text passes through an
allow-list (nh3) that also adds the GOV.UK typography classes.
"""

import re

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


# -- free text in plain-text emails ----------------------------------------------

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
_SCHEME = re.compile(r"\b([a-z][a-z0-9+.-]{1,15}):(?=\S)", re.IGNORECASE)
_DOTTED = re.compile(r"(?<=\w)\.(?=\w)")


def email_quote(text: str, *, limit: int = 120) -> str:
    """Text a resident typed, made safe to quote in a plain-text email the council
    sends to someone else: one line (control and direction characters removed),
    at most ``limit`` characters, and nothing a mail client would turn into a link
    (``evil.example`` becomes ``evil[.]example``, ``https://`` becomes
    ``https[:]//``, ``@`` becomes ``[at]``). Quote the result as data ("the
    organisation called …"), never put it in a subject."""
    text = " ".join(_CONTROL.sub(" ", text or "").split())
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    text = _SCHEME.sub(lambda m: f"{m.group(1)}[:]", text)
    text = _DOTTED.sub("[.]", text)
    return text.replace("@", "[at]")
