"""Every My Account form, validated on the server with messages that say what to do."""

import unicodedata

from django import forms

from frontend.formats import (
    COUNCIL_TAX_ACCOUNT_DIGITS,
    COUNCIL_TAX_ACCOUNT_ERROR,
    COUNCIL_TAX_ACCOUNT_HINT,
    is_valid_postcode,
    is_valid_uk_phone,
    normalise_phone,
    normalise_postcode,
)
from frontend.forms import GovUKForm, GovUKFormRenderer
from myaccount.enums import ContactTopic, Language


def _too_long(label: str, limit: int) -> dict:
    return {"max_length": f"{label} must be {limit} characters or fewer"}


class ProfileForm(GovUKForm):
    first_name = forms.CharField(
        label="First name",
        max_length=100,
        error_messages={
            "required": "Enter your first name",
            **_too_long("First name", 100),
        },
        widget=forms.TextInput(
            attrs={"autocomplete": "given-name", "spellcheck": "false"}
        ),
    )
    last_name = forms.CharField(
        label="Last name",
        max_length=100,
        error_messages={
            "required": "Enter your last name",
            **_too_long("Last name", 100),
        },
        widget=forms.TextInput(
            attrs={"autocomplete": "family-name", "spellcheck": "false"}
        ),
    )
    phone = forms.CharField(
        label="UK phone number",
        required=False,
        max_length=20,
        help_text="For example, 01632 960 001 or 07700 900 982",
        error_messages=_too_long("Phone number", 20),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )
    language = forms.ChoiceField(
        label="Language you would like us to use",
        choices=Language.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select a language",
            "invalid_choice": "Select a language from the list",
        },
    )

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if phone and not is_valid_uk_phone(phone):
            raise forms.ValidationError(
                "Enter a UK phone number, like 01632 960 001 or 07700 900 982"
            )
        return normalise_phone(phone)


class ContactPreferencesForm(GovUKForm):
    channels = forms.MultipleChoiceField(
        label="How can we contact you?",
        required=False,
        choices=[("email", "Email"), ("sms", "Text message (SMS)")],
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply. We always write to you about requests you make.",
    )
    topics = forms.MultipleChoiceField(
        label="What would you like to hear about?",
        required=False,
        choices=ContactTopic.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply.",
        error_messages={"invalid_choice": "Select topics from the list"},
    )

    def __init__(self, *args, has_phone: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.has_phone = has_phone

    def clean_channels(self):
        channels = self.cleaned_data["channels"]
        if "sms" in channels and not self.has_phone:
            raise forms.ValidationError(
                "Add a phone number to your profile before choosing text messages"
            )
        return channels


class PostcodeForm(GovUKForm):
    postcode = forms.CharField(
        label="Postcode",
        max_length=10,
        error_messages={"required": "Enter a postcode", **_too_long("Postcode", 10)},
        widget=forms.TextInput(
            attrs={"autocomplete": "postal-code", "class": "govuk-input--width-10"}
        ),
    )

    def clean_postcode(self):
        postcode = self.cleaned_data["postcode"]
        if not is_valid_postcode(postcode):
            raise forms.ValidationError("Enter a full UK postcode, like GH1 1AA")
        return normalise_postcode(postcode)


class ChooseAddressForm(GovUKForm):
    postcode = forms.CharField(widget=forms.HiddenInput)
    uprn = forms.ChoiceField(
        label="Select your address",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select your address",
            "invalid_choice": "Select an address from the list",
        },
    )

    def __init__(self, *args, addresses=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.addresses = {a.uprn: a for a in addresses}
        self.fields["uprn"].choices = [(a.uprn, a.label) for a in addresses]


class CouncilTaxLinkForm(GovUKForm):
    account_number = forms.RegexField(
        label="Council tax account number",
        regex=rf"^\d{{{COUNCIL_TAX_ACCOUNT_DIGITS}}}$",
        max_length=12,
        help_text=COUNCIL_TAX_ACCOUNT_HINT,
        error_messages={
            "required": "Enter your council tax account number",
            "invalid": COUNCIL_TAX_ACCOUNT_ERROR,
            **_too_long("Account number", 12),
        },
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "class": "govuk-input--width-10"}
        ),
    )
    postcode = forms.CharField(
        label="Postcode of the property the bill is for",
        max_length=10,
        error_messages={
            "required": "Enter the postcode of the property",
            **_too_long("Postcode", 10),
        },
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "class": "govuk-input--width-10"}
        ),
    )

    def clean_account_number(self):
        return self.cleaned_data["account_number"].strip()

    def clean_postcode(self):
        postcode = self.cleaned_data["postcode"]
        if not is_valid_postcode(postcode):
            raise forms.ValidationError("Enter a full UK postcode, like GH1 1AA")
        return normalise_postcode(postcode)


class DeleteAccountForm(GovUKForm):
    confirm = forms.BooleanField(
        label="I understand my account and personal details will be deleted and cannot be recovered",
        error_messages={"required": "Confirm that you want to delete your account"},
    )


class OrganisationForm(GovUKForm):
    name = forms.CharField(
        label="Organisation name",
        max_length=200,
        error_messages={
            "required": "Enter the organisation name",
            **_too_long("Organisation name", 200),
        },
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    registration_number = forms.RegexField(
        label="Companies House number",
        required=False,
        regex=r"^(?:[A-Za-z]{2}\d{6}|\d{8})$",
        max_length=8,
        help_text="8 characters, for example 01234567 or SC123456",
        error_messages={
            "invalid": "Enter a Companies House number in the right format, like 01234567",
            **_too_long("Companies House number", 8),
        },
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}),
    )

    def clean_name(self):
        """One line of visible text: the name is shown to staff and quoted in
        invitation emails, so line breaks and invisible characters (which could
        forge email headers or reorder what a reader sees) are refused."""
        name = self.cleaned_data["name"]
        if any(unicodedata.category(c) in ("Cc", "Cf") for c in name):
            raise forms.ValidationError(
                "Organisation name must be on one line, without special characters"
            )
        return " ".join(name.split())

    def clean_registration_number(self):
        return self.cleaned_data["registration_number"].strip().upper()


class InvitationForm(GovUKForm):
    email = forms.EmailField(
        label="Email address of the colleague",
        max_length=254,
        error_messages={
            "required": "Enter an email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
            **_too_long("Email address", 254),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


class StaffNoteForm(forms.Form):
    """Used in the Wagtail admin, which renders its own form markup."""

    text = forms.CharField(
        label="Add a note",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the note"},
    )


class StaffSearchForm(forms.Form):
    q = forms.CharField(
        label="Name, email, address, postcode or reference",
        max_length=100,
        required=False,
    )


def govuk_render(form) -> str:
    """Render any Django form (allauth's included) with GOV.UK markup."""
    form.renderer = GovUKFormRenderer()
    for field in form.fields.values():
        # GOV.UK: placeholders are not labels and vanish as you type.
        field.widget.attrs.pop("placeholder", None)
    return form.render()
