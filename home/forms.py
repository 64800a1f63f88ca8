"""Server-side validation for the website's own forms."""

import re

from django import forms

from wagtail.models import Page

from frontend.forms import GovUKForm

_URL = re.compile(r"(https?://|www\.)", re.IGNORECASE)
MAX_LINKS_IN_COMMENT = 2


class PageFeedbackForm(GovUKForm):
    """'Was this page useful?' with an optional comment."""

    page = forms.IntegerField(widget=forms.HiddenInput)
    useful = forms.TypedChoiceField(
        label="Was this page useful?",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect(attrs={"inline": True}),
        error_messages={"required": "Select yes if this page was useful"},
    )
    comment = forms.CharField(
        label="How could we improve this page?",
        help_text=(
            "Do not include personal information like your name, address or "
            "account numbers. We cannot reply to comments."
        ),
        required=False,
        max_length=1200,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "max_length": "Your comment must be 1,200 characters or fewer "
            "(it has %(show_value)d)"
        },
    )

    def clean_page(self):
        page = Page.objects.live().public().filter(pk=self.cleaned_data["page"]).first()
        if page is None:
            raise forms.ValidationError(
                "The page you are giving feedback on could not be found"
            )
        return page

    def clean_comment(self):
        comment = self.cleaned_data["comment"].strip()
        if "\x00" in comment:
            raise forms.ValidationError(
                "Your comment contains characters we cannot accept"
            )
        if len(_URL.findall(comment)) > MAX_LINKS_IN_COMMENT:
            raise forms.ValidationError(
                "Your comment has too many web links. Remove them and try again"
            )
        return comment
