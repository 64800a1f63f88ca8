"""Account blocks editors arrange on the My Account page.

Each block reads the request's ``Dashboard`` (``dashboard`` in the page context)
so nothing is queried twice. Blocks whose records come from later issues (requests,
bookings, payments, bin days) show their empty state until a source is registered.
"""

from django.urls import reverse

from wagtail import blocks

from home.blocks import RichTextBlock
from myaccount.enums import TimelineKind


class TimelineBlock(blocks.StructBlock):
    """A list of the resident's records of one kind, newest first."""

    kind = None  # a TimelineKind value; None lists every kind

    heading = blocks.CharBlock(max_length=80)
    limit = blocks.IntegerBlock(min_value=1, max_value=20, default=5)
    empty_text = blocks.CharBlock(
        max_length=200, help_text="Shown when the resident has none yet."
    )

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        dashboard = (parent_context or {}).get("dashboard")
        context["items"] = (
            dashboard.items(self.kind, value["limit"]) if dashboard else []
        )
        context["show_kind"] = self.kind is None
        return context

    class Meta:
        template = "myaccount/blocks/timeline.html"
        group = "Your records"


class ActivityBlock(TimelineBlock):
    class Meta:
        icon = "history"
        description = "Every interaction with the council, newest first"
        preview_value = {
            "heading": "Recent activity",
            "limit": 10,
            "empty_text": "You have no activity yet.",
        }


class MyRequestsBlock(TimelineBlock):
    kind = TimelineKind.REQUEST

    class Meta:
        icon = "tasks"
        description = "The resident's requests with their status and updates"
        preview_value = {
            "heading": "Your requests",
            "limit": 5,
            "empty_text": "You have not made any requests yet.",
        }


class MyBookingsBlock(TimelineBlock):
    kind = TimelineKind.BOOKING

    class Meta:
        icon = "date"
        description = "The resident's bookings"
        preview_value = {
            "heading": "Your bookings",
            "limit": 5,
            "empty_text": "You have no bookings.",
        }


class MyPaymentsBlock(TimelineBlock):
    kind = TimelineKind.PAYMENT

    class Meta:
        icon = "form"
        description = "Payments the resident has made"
        preview_value = {
            "heading": "Your payments",
            "limit": 5,
            "empty_text": "You have not made any payments.",
        }


class MyMessagesBlock(TimelineBlock):
    kind = TimelineKind.MESSAGE

    class Meta:
        icon = "mail"
        description = "Messages from the council"
        preview_value = {
            "heading": "Your messages",
            "limit": 5,
            "empty_text": "You have no messages.",
        }


class BinCollectionBlock(blocks.StructBlock):
    heading = blocks.CharBlock(max_length=80, default="Your bin collection days")

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        dashboard = (parent_context or {}).get("dashboard")
        context["profile"] = dashboard.profile if dashboard else None
        context["address_url"] = reverse("myaccount:address")
        return context

    class Meta:
        icon = "bin"
        template = "myaccount/blocks/bin_collection.html"
        description = "Bin collection days for the resident's address"
        group = "Your home"
        preview_value = {"heading": "Your bin collection days"}


class CouncilTaxSummaryBlock(blocks.StructBlock):
    heading = blocks.CharBlock(max_length=80, default="Your council tax")

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        dashboard = (parent_context or {}).get("dashboard")
        context["accounts"] = dashboard.council_tax if dashboard else []
        context["link_url"] = reverse("myaccount:council_tax_link")
        return context

    class Meta:
        icon = "doc-full"
        template = "myaccount/blocks/council_tax.html"
        description = "Balance and next instalment of linked council tax accounts"
        group = "Your home"
        preview_value = {"heading": "Your council tax"}


class PersonalisedNoticeBlock(blocks.StructBlock):
    AUDIENCES = [
        ("everyone", "Everyone"),
        ("no_address", "Residents who have not added their address"),
        ("no_council_tax", "Residents who have not linked council tax"),
        ("no_mfa", "Residents without two-factor authentication"),
        ("organisation", "Members of an organisation"),
    ]

    title = blocks.CharBlock(max_length=80)
    text = RichTextBlock()
    audience = blocks.ChoiceBlock(choices=AUDIENCES, default="everyone")

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        dashboard = (parent_context or {}).get("dashboard")
        context["show"] = bool(dashboard) and self.applies(value["audience"], dashboard)
        return context

    @staticmethod
    def applies(audience: str, dashboard) -> bool:
        if audience == "no_address":
            return not dashboard.profile.has_address
        if audience == "no_council_tax":
            return not dashboard.council_tax
        if audience == "no_mfa":
            return not dashboard.has_mfa
        if audience == "organisation":
            return bool(dashboard.organisations)
        return True

    class Meta:
        icon = "info-circle"
        template = "myaccount/blocks/notice.html"
        description = "A notice shown to the residents it applies to"
        group = "Notices"
        preview_value = {
            "title": "Add your address",
            "text": "<p>Add your address to see your bin days.</p>",
            "audience": "everyone",
        }


class AccountStoryBlock(blocks.StreamBlock):
    activity = ActivityBlock()
    my_requests = MyRequestsBlock()
    my_bookings = MyBookingsBlock()
    my_payments = MyPaymentsBlock()
    my_messages = MyMessagesBlock()
    bin_collection = BinCollectionBlock()
    council_tax = CouncilTaxSummaryBlock()
    notice = PersonalisedNoticeBlock()
