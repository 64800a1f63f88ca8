"""Body blocks matching GOV.UK Frontend components.

Every block renders through its own template under ``home/blocks/`` with GOV.UK
classes; editors get one block per component so pages stay consistent. Rich text is
limited to a few features and sanitised again on output (``home.platform.sanitise``).
"""

import re
from urllib.parse import parse_qs, urlsplit

from django.core.exceptions import ValidationError
from django.forms.utils import ErrorList
from django.utils.functional import cached_property
from django.utils.text import slugify

from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock as WagtailTableBlock
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock

from home.platform.sanitise import sanitise_rich_text
from personalisation.blocks import PersonalisedBlock

RICH_TEXT_FEATURES = ["bold", "link", "document-link", "ol", "ul"]
INLINE_RICH_TEXT_FEATURES = ["bold", "link", "document-link"]


class RichTextBlock(blocks.RichTextBlock):
    """Rich text with a small feature set, sanitised and given GOV.UK classes on output."""

    def __init__(self, features=None, **kwargs):
        kwargs.setdefault("template", "home/blocks/rich_text.html")
        super().__init__(features=features or RICH_TEXT_FEATURES, **kwargs)

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["html"] = sanitise_rich_text(value.source if value else "")
        return context

    class Meta:
        icon = "pilcrow"
        description = "Paragraphs, lists and links"
        preview_value = "<p>Your bins are collected every week on the same day.</p>"


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=120)
    level = blocks.ChoiceBlock(
        choices=[("h2", "Section heading (H2)"), ("h3", "Sub-heading (H3)")],
        default="h2",
    )

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["anchor"] = slugify(value["text"])
        return context

    class Meta:
        icon = "title"
        template = "home/blocks/heading.html"
        description = "A section heading that appears in the page's structure"
        preview_value = {"text": "How to pay", "level": "h2"}


class InsetTextBlock(blocks.StructBlock):
    text = RichTextBlock(features=INLINE_RICH_TEXT_FEATURES)

    class Meta:
        icon = "openquote"
        template = "home/blocks/inset_text.html"
        description = "Text set apart from the content around it (GOV.UK inset text)"
        preview_value = {"text": "<p>It can take up to 8 weeks to process.</p>"}


class WarningTextBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=300)

    class Meta:
        icon = "warning"
        template = "home/blocks/warning_text.html"
        description = "Something important residents must know (GOV.UK warning text)"
        preview_value = {"text": "You can be fined up to £1,000 if you do not pay."}


class DetailsBlock(blocks.StructBlock):
    summary = blocks.CharBlock(max_length=120)
    content = RichTextBlock()

    class Meta:
        icon = "collapse-down"
        template = "home/blocks/details.html"
        description = "A short expandable section (GOV.UK details)"
        preview_value = {
            "summary": "Help with your account number",
            "content": "<p>It is on your bill.</p>",
        }


class AccordionSectionBlock(blocks.StructBlock):
    heading = blocks.CharBlock(max_length=120)
    summary = blocks.CharBlock(max_length=200, required=False)
    content = RichTextBlock()


class AccordionBlock(blocks.StructBlock):
    sections = blocks.ListBlock(AccordionSectionBlock(), min_num=1)

    class Meta:
        icon = "list-ul"
        template = "home/blocks/accordion.html"
        description = "Several sections that open and close (GOV.UK accordion)"
        preview_value = {
            "sections": [
                {"heading": "Blue bin", "content": "<p>Paper and card.</p>"},
                {"heading": "Green bin", "content": "<p>Garden waste.</p>"},
            ]
        }


class TableBlock(WagtailTableBlock):
    def __init__(self, **kwargs):
        super().__init__(
            table_options={
                "contextMenu": [
                    "row_above",
                    "row_below",
                    "col_left",
                    "col_right",
                    "remove_row",
                    "remove_col",
                    "undo",
                    "redo",
                ]
            },
            **kwargs,
        )

    class Meta:
        icon = "table"
        template = "home/blocks/table.html"
        description = "A table of data with a caption (GOV.UK table)"
        preview_value = {
            "first_row_is_table_header": True,
            "table_caption": "Charges",
            "data": [["Item", "Charge"], ["Sofa", "£25"]],
        }


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock()
    alt_text = blocks.CharBlock(
        max_length=250,
        help_text="Describe the image for people who cannot see it.",
    )
    caption = blocks.CharBlock(max_length=250, required=False)

    class Meta:
        icon = "image"
        template = "home/blocks/image.html"
        description = "An image with required alternative text"


class DocumentLinksBlock(blocks.StructBlock):
    heading = blocks.CharBlock(max_length=120, required=False)
    documents = blocks.ListBlock(DocumentChooserBlock(), min_num=1)

    class Meta:
        icon = "doc-full"
        template = "home/blocks/document_links.html"
        description = "Links to documents with their type and size"


class LinkStructValue(blocks.StructValue):
    """Templates use ``{{ link|link_href:request }}`` for site-relative URLs; ``href``
    serves code without a request (it is absolute when there are several Sites)."""

    @cached_property
    def href(self) -> str:
        page = self.get("page")
        if page:
            return page.url or ""
        return self.get("url") or ""

    @cached_property
    def text(self) -> str:
        if self.get("link_text"):
            return self["link_text"]
        page = self.get("page")
        return page.title if page else self.get("url", "")


class LinkBlock(blocks.StructBlock):
    link_text = blocks.CharBlock(max_length=120, required=False)
    page = blocks.PageChooserBlock(required=False)
    url = blocks.URLBlock(required=False, label="External URL")

    def clean(self, value):
        value = super().clean(value)
        if bool(value.get("page")) == bool(value.get("url")):
            raise blocks.StructBlockValidationError(
                block_errors={
                    "page": ErrorList(
                        [ValidationError("Choose a page or enter a URL, not both.")]
                    )
                }
            )
        if value.get("url") and not value.get("link_text"):
            raise blocks.StructBlockValidationError(
                block_errors={
                    "link_text": ErrorList(
                        [ValidationError("Enter the link text for an external URL.")]
                    )
                }
            )
        return value

    class Meta:
        icon = "link"
        value_class = LinkStructValue
        description = "A link to a page or another website"


class CallToActionBlock(blocks.StructBlock):
    link = LinkBlock()
    start_button = blocks.BooleanBlock(
        required=False,
        help_text="Show as a 'Start now' button (for the start of a service)",
    )

    class Meta:
        icon = "pick"
        template = "home/blocks/call_to_action.html"
        description = "A button linking to the next thing to do"
        group = "Actions"


class ContactCardBlock(SnippetChooserBlock):
    def __init__(self, **kwargs):
        super().__init__("home.ContactDetails", **kwargs)

    class Meta:
        icon = "mail"
        template = "home/blocks/contact_card.html"
        description = "Reusable contact details (phone, email, address, opening hours)"


class RelatedLinksBlock(blocks.StructBlock):
    heading = blocks.CharBlock(max_length=80, default="Related content")
    links = blocks.ListBlock(LinkBlock(), min_num=1)

    class Meta:
        icon = "list-ul"
        template = "home/blocks/related_links.html"
        description = "A list of related pages or websites"


_YOUTUBE_HOSTS = {"youtube.com", "www.youtube.com", "m.youtube.com", "youtu.be"}
_VIMEO_HOSTS = {"vimeo.com", "www.vimeo.com", "player.vimeo.com"}


def video_embed_url(url: str) -> str | None:
    """A privacy-enhanced player URL for a YouTube or Vimeo link, or None.

    Built from the URL alone so pages render without calling an oEmbed provider.
    """
    parts = urlsplit(url)
    host = parts.netloc.lower()
    video_id = None
    if host in _YOUTUBE_HOSTS:
        if host == "youtu.be":
            video_id = parts.path.strip("/")
        elif parts.path.startswith(("/embed/", "/shorts/")):
            video_id = parts.path.split("/")[2]
        else:
            video_id = parse_qs(parts.query).get("v", [None])[0]
        if video_id and re.fullmatch(r"[A-Za-z0-9_-]{6,20}", video_id):
            return f"https://www.youtube-nocookie.com/embed/{video_id}"
    if host in _VIMEO_HOSTS:
        video_id = parts.path.rstrip("/").rsplit("/", 1)[-1]
        if video_id.isdigit():
            return f"https://player.vimeo.com/video/{video_id}?dnt=1"
    return None


class VideoEmbedBlock(blocks.StructBlock):
    title = blocks.CharBlock(
        max_length=150, help_text="Describes the video for screen reader users."
    )
    url = blocks.URLBlock(help_text="A YouTube or Vimeo link.")
    transcript = blocks.PageChooserBlock(
        required=False, help_text="A page with the transcript."
    )

    def clean(self, value):
        value = super().clean(value)
        if not video_embed_url(value["url"]):
            raise blocks.StructBlockValidationError(
                block_errors={
                    "url": ErrorList(
                        [ValidationError("Enter a YouTube or Vimeo video link.")]
                    )
                }
            )
        return value

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["embed_url"] = video_embed_url(value["url"])
        return context

    class Meta:
        icon = "media"
        template = "home/blocks/video_embed.html"
        description = "A YouTube or Vimeo video with an accessible title"


class PersonalisableStoryBlock(blocks.StreamBlock):
    """The blocks a personalised block can show (no nesting)."""

    heading = HeadingBlock()
    paragraph = RichTextBlock()
    inset_text = InsetTextBlock()
    warning_text = WarningTextBlock()
    details = DetailsBlock()
    call_to_action = CallToActionBlock()
    contact = ContactCardBlock()
    related_links = RelatedLinksBlock()


class PersonalisedContentBlock(PersonalisedBlock):
    """Content for one segment, and what everyone else sees instead."""

    content = PersonalisableStoryBlock()
    fallback = PersonalisableStoryBlock(
        required=False, help_text="Shown to everyone not in the segment (optional)."
    )

    class Meta:
        # Rendered per set of segments (home.templatetags.council.story).
        cacheable = "per-segment"


class BaseStoryBlock(blocks.StreamBlock):
    """The body blocks every content page offers."""

    heading = HeadingBlock(group="Text")
    paragraph = RichTextBlock(group="Text")
    inset_text = InsetTextBlock(group="Text")
    warning_text = WarningTextBlock(group="Text")
    details = DetailsBlock(group="Text")
    accordion = AccordionBlock(group="Text")
    table = TableBlock(group="Text")
    image = ImageBlock(group="Media")
    video = VideoEmbedBlock(group="Media")
    documents = DocumentLinksBlock(group="Media")
    call_to_action = CallToActionBlock(group="Actions")
    contact = ContactCardBlock(group="Actions")
    related_links = RelatedLinksBlock(group="Actions")
    personalised = PersonalisedContentBlock(group="Personalisation")

    class Meta:
        template = "home/blocks/story.html"
