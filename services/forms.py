"""Server-side validation for every resident and staff form in services."""

from __future__ import annotations

from django import forms
from django.core.validators import RegexValidator

from frontend.forms import GovUKForm
from services.enums import CaseStatus
from services.integrations.waste import BIN_TYPES, POSTCODE_RE, normalise_postcode


class PostcodeForm(GovUKForm):
    postcode = forms.CharField(
        label="Postcode",
        max_length=10,
        help_text="For example, GU1 4AA",
        error_messages={"required": "Enter a postcode"},
    )

    def clean_postcode(self):
        postcode = normalise_postcode(self.cleaned_data["postcode"])
        if not POSTCODE_RE.match(postcode):
            raise forms.ValidationError("Enter a real postcode, like GU1 4AA")
        return postcode


class AddressChoiceForm(GovUKForm):
    """Choose one property found for the postcode (choices from the back office)."""

    uprn = forms.ChoiceField(
        label="Select the address",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the address",
            "invalid_choice": "Select an address from the list",
        },
    )

    def __init__(self, *args, properties=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["uprn"].choices = [(p["uprn"], p["address"]) for p in properties]


class BinTypeForm(GovUKForm):
    bin_type = forms.ChoiceField(
        label="Which bin was not collected?",
        choices=BIN_TYPES,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select which bin was not collected",
            "invalid_choice": "Select which bin was not collected",
        },
    )


class GuestContactForm(GovUKForm):
    name = forms.CharField(
        label="Your name",
        max_length=120,
        required=False,
        validators=[
            RegexValidator(
                r"^[^<>{}\[\]]*$", "Your name must not contain < > { } [ or ]"
            )
        ],
    )
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="We will send your reference number to this address.",
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
    )


class TrackCaseForm(GovUKForm):
    reference = forms.CharField(
        label="Reference number",
        max_length=24,
        help_text="For example, BIN-2026-000123",
        error_messages={"required": "Enter your reference number"},
    )
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="The email address you gave when you made the request.",
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
    )

    def clean_reference(self):
        return self.cleaned_data["reference"].strip().upper()


class StatusChangeForm(forms.Form):
    """Staff: move a case to one of the statuses its service allows next."""

    to_status = forms.ChoiceField(label="New status")
    message = forms.CharField(
        label="Message to the resident (optional)",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_status"].choices = [
            (s, CaseStatus(s).label)
            for s in case.service.next_statuses(case.status)
            if s in CaseStatus.values
        ]


class NoteForm(forms.Form):
    text = forms.CharField(
        label="Text",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        required=False,
        help_text="Leave empty to send the canned response chosen below.",
    )
    public = forms.BooleanField(
        label="Send to the resident as a public update", required=False
    )
    canned = forms.ChoiceField(label="Canned response", required=False)

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["canned"].choices = [("", "None")] + [
            (text, title) for text, title in case.service.canned_response_choices
        ]

    def clean(self):
        data = super().clean()
        data["text"] = (data.get("text") or "").strip() or data.get("canned", "")
        if not data["text"]:
            self.add_error("text", "Write a note or choose a canned response.")
        return data


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(queryset=None, required=False, label="Assign to")
    partner = forms.ModelChoiceField(
        queryset=None, required=False, label="Route to partner"
    )

    def __init__(self, *args, case, **kwargs):
        from django.contrib.auth import get_user_model
        from django.contrib.auth.models import Group

        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = (
            get_user_model()
            .objects.filter(groups=case.team_id, is_active=True)
            .order_by("username")
        )
        self.fields["partner"].queryset = Group.objects.filter(
            partner__isnull=False
        ).order_by("name")


STREET_CATEGORIES = [
    ("pothole", "Pothole"),
    ("street_light", "Street light not working"),
    ("fly_tipping", "Fly-tipping"),
    ("graffiti", "Graffiti"),
    ("dog_fouling", "Dog fouling"),
]
# The council's area: a map pin outside it is refused.
COUNCIL_BOUNDS = {"lat": (51.0, 51.5), "lng": (-1.0, -0.2)}


class StreetCategoryForm(GovUKForm):
    category = forms.ChoiceField(
        label="What is the problem?",
        choices=STREET_CATEGORIES,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select what the problem is",
            "invalid_choice": "Select what the problem is",
        },
    )


class StreetLocationForm(GovUKForm):
    """A map pin (set by the map when JavaScript runs) or, equally, a street and
    landmark typed in: the fields marked ``data-map-alternative`` need no map."""

    latitude = forms.DecimalField(
        required=False, widget=forms.HiddenInput, max_digits=9, decimal_places=6
    )
    longitude = forms.DecimalField(
        required=False, widget=forms.HiddenInput, max_digits=9, decimal_places=6
    )
    street = forms.CharField(
        label="Street name",
        max_length=120,
        required=False,
        help_text="The street where the problem is, for example Market Street",
        widget=forms.TextInput(
            attrs={"data-map-alternative": "", "autocomplete": "off"}
        ),
    )
    landmark = forms.CharField(
        label="Nearest landmark or house number",
        max_length=160,
        required=False,
        help_text="For example, outside number 12 or by the bus stop",
        widget=forms.TextInput(attrs={"data-map-alternative": ""}),
    )

    def clean(self):
        data = super().clean()
        lat, lng = data.get("latitude"), data.get("longitude")
        if (lat is None) != (lng is None):
            raise forms.ValidationError(
                "The map pin was not set properly. Set it again or type the street."
            )
        if lat is not None:
            in_area = (
                COUNCIL_BOUNDS["lat"][0] <= lat <= COUNCIL_BOUNDS["lat"][1]
                and COUNCIL_BOUNDS["lng"][0] <= lng <= COUNCIL_BOUNDS["lng"][1]
            )
            if not in_area:
                raise forms.ValidationError(
                    "The map pin is outside the council's area. Move it or type the street."
                )
        elif not data.get("street", "").strip():
            self.add_error("street", "Enter the street name where the problem is")
        return data


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [super(PhotosField, self).clean(f, initial) for f in files]


class StreetDescriptionForm(GovUKForm):
    description = forms.CharField(
        label="Describe the problem",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Do not include personal information. Up to 1,000 characters.",
        error_messages={
            "required": "Describe the problem",
            "max_length": "Description must be 1,000 characters or fewer",
        },
    )
    photos = PhotosField(
        label="Photos",
        required=False,
        help_text="Up to 3 photos (JPG, PNG or WebP, each smaller than 10MB)",
    )

    def clean_photos(self):
        from services.uploads import clean_photo

        photos = self.cleaned_data.get("photos") or []
        if len(photos) > 3:
            raise forms.ValidationError("Select up to 3 photos")
        cleaned, errors = [], []
        for upload in photos:
            try:
                cleaned.append(clean_photo(upload))
            except forms.ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise forms.ValidationError(errors)
        return cleaned


class DuplicateChoiceForm(GovUKForm):
    choice = forms.ChoiceField(
        label="What do you want to do?",
        choices=[
            ("follow", "Follow the existing report instead"),
            ("new", "Report a different problem"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select what you want to do"},
    )
