"""Server-side validation for every resident and staff form in services."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import forms
from django.core.validators import RegexValidator

from frontend.formats import normalise_postcode
from frontend.forms import GovUKForm
from services.enums import CaseStatus, InteractionChannel, InteractionOutcome
from services.integrations.waste import BIN_TYPES


class PostcodeForm(GovUKForm):
    postcode = forms.CharField(
        label="Postcode",
        max_length=10,
        help_text="For example, GU1 4AA",
        error_messages={"required": "Enter a postcode"},
    )

    def clean_postcode(self):
        postcode = normalise_postcode(self.cleaned_data["postcode"])
        if not postcode:
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
# What residents call each category, for site search (services.models.ServicePage).
STREET_CATEGORY_WORDS = {
    "pothole": ["pothole", "hole in the road", "road damage"],
    "street_light": ["street light", "streetlight", "lamp post", "street lighting"],
    "fly_tipping": ["fly tipping", "flytipping", "dumped rubbish", "illegal dumping"],
    "graffiti": ["graffiti", "vandalism", "tagging"],
    "dog_fouling": ["dog fouling", "dog poo", "dog mess"],
}


def council_bounds() -> tuple[float, float, float, float]:
    """The council's area (south, west, north, east) from ``COUNCIL_BOUNDS``."""
    from django.conf import settings

    south, west, north, east = (float(v) for v in settings.COUNCIL_BOUNDS)
    return south, west, north, east


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


PIN_BROKEN = "The map pin was not set properly. Set it again or choose the street."
PIN_OUTSIDE = "The map pin is outside the council's area. Move it or choose the street."


def _coordinate(value: str) -> Decimal | None:
    """Degrees to six places, or a form error for anything that is not a number of
    degrees (``1e309`` is a finite Decimal too large to round to six places)."""
    value = (value or "").strip()
    if not value:
        return None
    try:
        number = Decimal(value)
        if not number.is_finite() or abs(number) > 180:
            raise InvalidOperation
        return number.quantize(Decimal("0.000001"))
    except InvalidOperation:
        raise forms.ValidationError(PIN_BROKEN) from None


class StreetLocationForm(GovUKForm):
    """A map pin (set by the map when JavaScript runs) or, equally, the street
    (chosen from the council's gazetteer, or typed when none is loaded), a postcode
    to find nearby streets, and a landmark: the fields marked
    ``data-map-alternative`` need no map.

    The map itself is drawn by ``frontend/static_src/js/street-map.mjs`` into the
    container this form's template renders; it only fills the two hidden fields.
    """

    template_name = "services/forms/street_location.html"

    latitude = forms.CharField(
        required=False,
        widget=forms.HiddenInput,
        max_length=20,
        error_messages={"max_length": PIN_BROKEN},
    )
    longitude = forms.CharField(
        required=False,
        widget=forms.HiddenInput,
        max_length=20,
        error_messages={"max_length": PIN_BROKEN},
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
    postcode = forms.CharField(
        label="Or a postcode nearby",
        max_length=10,
        required=False,
        help_text="We will show you the streets near it, for example GH1 2AB",
        error_messages={"max_length": "Enter a real postcode, like GH1 2AB"},
        widget=forms.TextInput(
            attrs={
                "data-map-alternative": "",
                "autocomplete": "postal-code",
                "class": "govuk-input--width-10",
            }
        ),
    )
    landmark = forms.CharField(
        label="Nearest landmark or house number",
        max_length=160,
        required=False,
        help_text="For example, outside number 12 or by the bus stop",
        widget=forms.TextInput(attrs={"data-map-alternative": ""}),
    )

    def __init__(self, *args, **kwargs):
        from services.streets import all_streets

        initial = dict(kwargs.get("initial") or {})
        super().__init__(*args, **kwargs)
        self.streets = all_streets()
        if self.streets:
            # With a gazetteer the street is chosen from a plain list (no script
            # needed); without one it is typed.
            self.fields["street"] = forms.ChoiceField(
                label="Street",
                required=False,
                choices=[("", "Select a street")]
                + [(str(s.pk), s.label) for s in self.streets],
                widget=forms.Select(attrs={"data-map-alternative": ""}),
                help_text="The street where the problem is",
                error_messages={"invalid_choice": "Select a street from the list"},
            )
            if initial.get("street_id"):
                self.initial["street"] = str(initial["street_id"])

    def map_settings(self) -> dict:
        from django.conf import settings

        south, west, north, east = council_bounds()
        if self.streets:  # start where the streets are
            centre = (
                sum(s.latitude for s in self.streets) / len(self.streets),
                sum(s.longitude for s in self.streets) / len(self.streets),
            )
        else:
            centre = ((south + north) / 2, (west + east) / 2)
        return {
            "centre": f"{centre[0]:.6f},{centre[1]:.6f}",
            "tile_url": settings.MAP_TILE_URL,
            "attribution": settings.MAP_TILE_ATTRIBUTION,
            "bounds": ",".join(str(v) for v in council_bounds()),
        }

    def clean_postcode(self):
        typed = self.cleaned_data.get("postcode", "")
        postcode = normalise_postcode(typed)
        if typed.strip() and not postcode:
            raise forms.ValidationError("Enter a real postcode, like GH1 2AB")
        return postcode

    def clean(self):
        from services.streets import get_street, nearest_to_postcode

        data = super().clean()
        try:
            lat = _coordinate(data.get("latitude", ""))
            lng = _coordinate(data.get("longitude", ""))
        except forms.ValidationError as error:
            raise forms.ValidationError(error.messages[0]) from None
        if (lat is None) != (lng is None):
            raise forms.ValidationError(PIN_BROKEN)
        if lat is not None:
            south, west, north, east = council_bounds()
            if not (south <= lat <= north and west <= lng <= east):
                raise forms.ValidationError(PIN_OUTSIDE)
        data["latitude"] = str(lat) if lat is not None else ""
        data["longitude"] = str(lng) if lng is not None else ""
        data["street_id"] = ""
        street = (data.get("street") or "").strip()
        if self.streets and street:
            found = get_street(street)
            if found is None:
                self.add_error("street", "Select a street from the list")
                return data
            data["street_id"], data["street"] = found.pk, found.name
        if lat is None and not street:
            postcode = data.get("postcode", "")
            if postcode and not self.has_error("postcode"):
                if not nearest_to_postcode(postcode):
                    self.add_error(
                        "postcode",
                        "We do not know the streets near that postcode. "
                        + (
                            "Select the street instead"
                            if self.streets
                            else "Enter the street name instead"
                        ),
                    )
            elif not postcode and not self.has_error("postcode"):
                self.add_error(
                    "street",
                    "Select the street where the problem is, or enter a postcode"
                    if self.streets
                    else "Enter the street name where the problem is",
                )
        return data


class NearestStreetForm(GovUKForm):
    """The streets nearest the pin or postcode, as radios."""

    street = forms.ChoiceField(
        label="Which street is the problem on, or nearest to?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the street the problem is on or nearest to",
            "invalid_choice": "Select a street from the list",
        },
    )

    def __init__(self, *args, streets=(), allow_none=False, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(str(s.pk), s.label) for s in streets]
        if allow_none:
            choices.append(("none", "None of these, use my map pin"))
        self.fields["street"].choices = choices


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


class SatisfactionForm(GovUKForm):
    """Asked once, when a case is closed (``services.satisfaction``)."""

    answer = forms.ChoiceField(
        label="Were you satisfied with how we dealt with this?",
        choices=[("yes", "Yes"), ("no", "No")],
        widget=forms.RadioSelect(attrs={"inline": True}),
        error_messages={
            "required": "Select yes if you were satisfied with how we dealt with this",
            "invalid_choice": "Select yes or no",
        },
    )
    comment = forms.CharField(
        label="Tell us why",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Do not include personal information. Up to 1,000 characters.",
        error_messages={"max_length": "Your comment must be 1,000 characters or fewer"},
    )


class GuestSatisfactionForm(SatisfactionForm):
    """The same question for a guest, who proved who they are with the reference
    and email address on the track-a-request page; both are checked again."""

    reference = forms.CharField(widget=forms.HiddenInput, max_length=24)
    email = forms.EmailField(widget=forms.HiddenInput, max_length=254)

    def clean_reference(self):
        return self.cleaned_data["reference"].strip().upper()


class InteractionForm(forms.Form):
    """Log a call, email, visit or letter: choose the reason and send; the rest
    has the usual answer already (a phone call, answered)."""

    reason = forms.ModelChoiceField(
        queryset=None,
        widget=forms.RadioSelect,
        label="Why did they get in touch?",
        empty_label=None,
        error_messages={"required": "Choose why they got in touch"},
    )
    channel = forms.ChoiceField(
        choices=InteractionChannel.choices,
        initial=InteractionChannel.PHONE,
        label="How",
    )
    outcome = forms.ChoiceField(
        choices=InteractionOutcome.choices,
        initial=InteractionOutcome.ANSWERED,
        label="Outcome",
    )
    duration_minutes = forms.IntegerField(
        label="Minutes (optional)", required=False, min_value=0, max_value=600
    )
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        from services.models import InteractionReason

        super().__init__(*args, **kwargs)
        self.fields["reason"].queryset = InteractionReason.objects.filter(live=True)


# The statutory deadline actions on the case page (services.deadlines): each a
# heading, the label of its one text field, the button and the error when empty.
DEADLINE_ACTIONS = {
    "escalate": (
        "Escalate to stage 2",
        "Why the complaint is escalated (sent to the resident)",
        "Escalate to stage 2",
        "",
    ),
    "clarify": (
        "Ask the requester for clarification",
        "What the requester needs to clarify (the clock stops until they reply)",
        "Ask for clarification",
        "Say what the requester needs to clarify",
    ),
    "clarified": (
        "Record the requester's reply",
        "The requester's reply (the 20 working days start again today)",
        "Record the reply",
        "Enter the requester's reply",
    ),
    "respond": (
        "Send the response",
        "The response (sent to the requester; the case is resolved)",
        "Send the response",
        "Write the response",
    ),
}


class DeadlineActionForm(forms.Form):
    """One statutory deadline action: its text (``DEADLINE_ACTIONS``)."""

    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), max_length=10000)

    def __init__(self, *args, action: str, **kwargs):
        kwargs.setdefault("prefix", action)
        super().__init__(*args, **kwargs)
        self.action = action
        heading, label, button, required = DEADLINE_ACTIONS[action]
        self.heading, self.button = heading, button
        self.fields["text"].label = label
        self.fields["text"].required = bool(required)
        if required:
            self.fields["text"].error_messages["required"] = required
