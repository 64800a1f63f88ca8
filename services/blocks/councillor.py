"""A councillor's enquiry for a constituent (``services.councillors``): who the
constituent is, how they agreed, and the enquiry. Only members of the Councillors
group can use it; other signed-in people are told so, and visitors are asked to
sign in."""

from __future__ import annotations

from django import forms
from django.core.validators import RegexValidator

from frontend.forms import GovUKForm
from services.blocks.transactions import Step, TransactionBlock
from services.councillors import is_councillor, open_enquiry

COUNCILLORS_ONLY = "councillors_only"
NO_MARKUP = RegexValidator(
    r"^[^<>{}\[\]]*$", "The name must not contain < > { } [ or ]"
)


class ConstituentForm(GovUKForm):
    name = forms.CharField(
        label="The constituent's full name",
        max_length=120,
        validators=[NO_MARKUP],
        error_messages={"required": "Enter the constituent's full name"},
    )
    email = forms.EmailField(
        label="The constituent's email address",
        max_length=254,
        required=False,
        help_text="We send them the same updates as you. Leave it blank if they "
        "have none.",
        error_messages={
            "invalid": "Enter an email address in the correct format, like "
            "name@example.com"
        },
    )
    address = forms.CharField(
        label="The constituent's address",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "off"}),
        error_messages={
            "required": "Enter the constituent's address",
            "max_length": "The address must be 300 characters or fewer",
        },
    )


CONSENT_CHOICES = [
    ("In writing or by email", "In writing or by email"),
    ("In person", "In person, at a surgery or a visit"),
    ("By phone", "By phone"),
]


class ConsentForm(GovUKForm):
    how = forms.ChoiceField(
        label="How did the constituent agree to you raising this enquiry?",
        choices=CONSENT_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how the constituent agreed"},
    )
    agreed = forms.BooleanField(
        label="The constituent agreed to the council sharing their details and the "
        "reply with me",
        error_messages={
            "required": "Confirm the constituent agreed to the council sharing "
            "their details and the reply with you"
        },
    )


class EnquiryForm(GovUKForm):
    enquiry = forms.CharField(
        label="What is the enquiry?",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": "Enter the enquiry",
            "max_length": "The enquiry must be 5,000 characters or fewer",
        },
    )


class CouncillorEnquiryBlock(TransactionBlock):
    class Meta:
        group = "Transactions"
        icon = "group"
        template = "services/blocks/councillor_enquiry.html"
        cacheable = False
        label = "Councillor enquiry (for a constituent)"
        description = (
            "Councillors raise an enquiry for a constituent, with their consent; "
            "both get the updates."
        )
        preview_value = {"heading": "Raise an enquiry for a constituent"}

    def can_use(self, value, request, caller=None) -> bool:
        return bool(value["service"]) and is_councillor(request.user)

    def entry_context(self, value, request, page, block_id, caller=None) -> dict:
        """Councillors start; anyone else signed in is told it is for councillors;
        a visitor signs in first."""
        context = super().entry_context(value, request, page, block_id, caller)
        if not context["signed_in"]:
            context["mode"] = "sign_in"
        elif not is_councillor(request.user):
            context["mode"] = COUNCILLORS_ONLY
        return context

    def get_steps(self, value, request, state):
        return [
            Step("constituent", "Who is the enquiry for?", ConstituentForm),
            Step("consent", "The constituent's consent", ConsentForm),
            Step("enquiry", "The enquiry", EnquiryForm),
        ]

    def summary_rows(self, value, request, state):
        rows = super().summary_rows(value, request, state)
        for row in rows:
            if row["value"] is True:
                row["value"] = "Yes"
        return rows

    def process_submission(self, value, request, state, *, token):
        answers = state["answers"]
        return open_enquiry(
            service=value["service"],
            councillor=request.user,
            constituent=answers["constituent"],
            consent=answers["consent"]["how"] if answers["consent"]["agreed"] else "",
            enquiry=answers["enquiry"]["enquiry"],
            idempotency_key=token,
        )
