"""Questions answered in a set shape: a number, an email address, a UK telephone
number, postcode, vehicle registration, National Insurance number or council tax
account number, yes or no, or one option of a dropdown.

Each keeps the standard form of what was typed (``GH1 2BB``, ``QQ 12 34 56 C``)
so staff and back-office systems read one spelling.
"""

from __future__ import annotations

from django import forms

from wagtail import blocks

from frontend import formats
from services.blocks.editor_form.fields import FormatField, GovUKNumberField
from services.blocks.editor_form.questions import QuestionBlock


class NumberQuestionBlock(QuestionBlock):
    whole = blocks.BooleanBlock(
        required=False, default=True, help_text="Only whole numbers (no decimals)."
    )
    minimum = blocks.DecimalBlock(required=False, help_text="Smallest accepted.")
    maximum = blocks.DecimalBlock(required=False, help_text="Largest accepted.")
    error_name = blocks.CharBlock(
        required=False,
        max_length=60,
        help_text="What the number is called in error messages, e.g. Number of "
        "bins (\u201cNumber of bins must be a whole number\u201d).",
    )

    class Meta:
        icon = "order"
        description = "A question answered with a number, within limits you set."
        preview_value = {"label": "How many bins do you need?", "minimum": 1}

    def form_field(self, value):
        name = value.get("error_name") or "The answer"
        field = GovUKNumberField(
            name=name,
            whole=value.get("whole", True) is not False,
            minimum=value.get("minimum"),
            maximum=value.get("maximum"),
        )
        if value.get("error_name"):
            field.error_messages["required"] = f"Enter {name[0].lower()}{name[1:]}"
        return field


def _format_field(*, normalise, invalid, required, autocomplete="off", width=10, **kw):
    return FormatField(
        normalise=normalise,
        invalid=invalid,
        required_message=required,
        widget=forms.TextInput(
            attrs={
                "autocomplete": autocomplete,
                "spellcheck": "false",
                "class": f"govuk-input--width-{width}",
                **kw,
            }
        ),
    )


class EmailQuestionBlock(QuestionBlock):
    class Meta:
        icon = "mail"
        description = "A question answered with an email address."
        preview_value = {"label": "What is your email address?"}

    def form_field(self, value):
        return forms.EmailField(
            max_length=254,
            widget=forms.EmailInput(
                attrs={"autocomplete": "email", "spellcheck": "false"}
            ),
            error_messages={
                "required": "Enter an email address",
                "invalid": "Enter an email address in the correct format, "
                "like name@example.com",
                "max_length": "Email address must be 254 characters or fewer",
            },
        )


class PhoneQuestionBlock(QuestionBlock):
    class Meta:
        icon = "mobile-alt"
        description = "A question answered with a UK telephone number."
        preview_value = {"label": "What is your telephone number?"}

    def form_field(self, value):
        field = _format_field(
            normalise=lambda v: (
                formats.normalise_phone_for_display(v)
                if formats.is_valid_uk_phone(v)
                else ""
            ),
            invalid="Enter a telephone number, like 01632 960 001, "
            "07700 900 982 or +44 808 157 0192",
            required="Enter a telephone number",
            autocomplete="tel",
            width=20,
        )
        field.widget.input_type = "tel"
        return field


class PostcodeQuestionBlock(QuestionBlock):
    class Meta:
        icon = "site"
        description = "A question answered with a UK postcode."
        preview_value = {"label": "What is the postcode?"}

    def form_field(self, value):
        return _format_field(
            normalise=formats.normalise_postcode,
            invalid="Enter a real postcode, like GU1 4AA",
            required="Enter a postcode",
            autocomplete="postal-code",
        )


class VehicleRegistrationQuestionBlock(QuestionBlock):
    class Meta:
        icon = "tag"
        label = "Vehicle registration"
        description = "A question answered with a vehicle registration number."
        preview_value = {"label": "What is the vehicle's registration number?"}

    def form_field(self, value):
        field = _format_field(
            normalise=formats.normalise_vehicle_registration,
            invalid="Enter a real vehicle registration number, like CU57 ABC",
            required="Enter a vehicle registration number",
        )
        field.help_text = "For example, CU57 ABC"
        return field


class NationalInsuranceQuestionBlock(QuestionBlock):
    class Meta:
        icon = "user"
        label = "National Insurance number"
        description = "A question answered with a National Insurance number."
        preview_value = {"label": "What is your National Insurance number?"}

    def form_field(self, value):
        field = _format_field(
            normalise=formats.normalise_ni_number,
            invalid="Enter a National Insurance number in the correct format",
            required="Enter a National Insurance number",
        )
        field.help_text = (
            "It\u2019s on your National Insurance card, benefit letter, payslip "
            "or P60. For example, \u2018QQ 12 34 56 C\u2019."
        )
        return field


class CouncilTaxAccountQuestionBlock(QuestionBlock):
    class Meta:
        icon = "pick"
        label = "Council tax account number"
        description = "A question answered with a council tax account number."
        preview_value = {"label": "What is your council tax account number?"}

    def form_field(self, value):
        field = _format_field(
            normalise=formats.normalise_council_tax_account,
            invalid=formats.COUNCIL_TAX_ACCOUNT_ERROR,
            required="Enter your council tax account number",
            inputmode="numeric",
        )
        field.help_text = formats.COUNCIL_TAX_ACCOUNT_HINT
        return field


class YesNoQuestionBlock(QuestionBlock):
    class Meta:
        icon = "tick-inverse"
        label = "Yes or no"
        description = "A question answered yes or no (radios)."
        preview_value = {"label": "Is the bin damaged?"}

    def form_field(self, value):
        return forms.ChoiceField(
            choices=[("Yes", "Yes"), ("No", "No")],
            widget=forms.RadioSelect(attrs={"inline": True}),
            error_messages={
                "required": f"Select yes or no: {value['label']}",
                "invalid_choice": "Select yes or no",
            },
        )


class SelectQuestionBlock(QuestionBlock):
    choices = blocks.ListBlock(blocks.CharBlock(max_length=100), min_num=2)

    class Meta:
        icon = "list-ol"
        label = "Select (dropdown)"
        description = "A question answered by choosing one option from a long list."
        preview_value = {"label": "Which library?", "choices": ["Central", "North"]}

    def form_field(self, value):
        return forms.ChoiceField(
            choices=[("", "Choose an option")] + [(c, c) for c in value["choices"]],
            widget=forms.Select,
            error_messages={
                "required": f"Select an answer to: {value['label']}",
                "invalid_choice": "Select one of the options",
            },
        )
