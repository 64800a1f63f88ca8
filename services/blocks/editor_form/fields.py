"""Form fields the editor-built form's questions use: the GOV.UK date input, the
UK formats (number, email, phone, postcode, vehicle registration, National
Insurance number, council tax account number) and the address form.

Every field validates on the server and words its errors as the GOV.UK Design
System does; each format's parsing lives once, in ``frontend.formats``.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils import timezone

from frontend.formats import normalise_postcode
from frontend.forms import GovUKForm


def _error_name(label: str) -> str:
    return label.rstrip("?:. ")


# -- the date question ----------------------------------------------------------------


class DateInputWidget(forms.Widget):
    """GOV.UK date input: three text inputs named ``<name>_day``, ``_month``,
    ``_year``. The day input carries the field's own id, so the error summary and
    a label's ``for`` land on it."""

    template_name = "services/forms/date_input.html"
    parts = ("day", "month", "year")

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.error_parts: set[str] = set()

    def __deepcopy__(self, memo):
        copy = super().__deepcopy__(memo)
        copy.error_parts = set()
        return copy

    def value_from_datadict(self, data, files, name):
        return {part: data.get(f"{name}_{part}", "") for part in self.parts}

    def value_omitted_from_data(self, data, files, name):
        return not any(f"{name}_{part}" in data for part in self.parts)

    def format_value(self, value):
        if isinstance(value, dict):
            return {part: str(value.get(part, "")) for part in self.parts}
        if isinstance(value, str) and value:
            try:
                value = datetime.date.fromisoformat(value)
            except ValueError:
                return dict.fromkeys(self.parts, "")
        if isinstance(value, datetime.date):
            return {"day": value.day, "month": value.month, "year": value.year}
        return dict.fromkeys(self.parts, "")

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        base_id = context["widget"]["attrs"].get("id") or f"id_{name}"
        values = self.format_value(value)
        every = not self.error_parts or self.error_parts == set(self.parts)
        context["widget"]["inputs"] = [
            {
                "part": part,
                "label": part.capitalize(),
                "name": f"{name}_{part}",
                "id": base_id if part == "day" else f"{base_id}_{part}",
                "value": values.get(part, ""),
                "width": 4 if part == "year" else 2,
                "error": bool(self.error_parts) and (every or part in self.error_parts),
            }
            for part in self.parts
        ]
        return context


class GovUKDateField(forms.Field):
    """A date from day/month/year with the GOV.UK error messages.

    ``when`` is ``any``, ``past`` (today or earlier) or ``future`` (today or later).
    """

    widget = DateInputWidget
    template_name = "services/forms/date_field.html"

    def __init__(self, *, name: str, when: str = "any", **kwargs):
        self.name = _error_name(name)
        self.when = when
        super().__init__(**kwargs)

    def _fail(self, message: str, parts=("day", "month", "year"), code="invalid"):
        self.widget.error_parts = set(parts)
        raise forms.ValidationError(message, code=code)

    def to_python(self, value):
        if not isinstance(value, dict):
            return None
        parts = {k: str(value.get(k, "")).strip() for k in ("day", "month", "year")}
        missing = [k for k, v in parts.items() if not v]
        if len(missing) == 3:
            if self.required:
                self._fail(f"Enter {self.name.lower()}", code="required")
            return None
        if missing:
            named = " and a ".join(missing) if len(missing) == 2 else missing[0]
            self._fail(f"{self.name} must include a {named}", missing, code="missing")
        if not all(re.fullmatch(r"\d{1,4}", v) for v in parts.values()):
            self._fail(f"{self.name} must be a real date")
        if len(parts["year"]) != 4:
            self._fail("Year must include 4 numbers", ["year"])
        try:
            return datetime.date(
                int(parts["year"]), int(parts["month"]), int(parts["day"])
            )
        except ValueError:
            self._fail(f"{self.name} must be a real date")

    def validate(self, value):
        if value is None:
            return
        today = timezone.localdate()
        if self.when == "past" and value > today:
            self._fail(f"{self.name} must be today or in the past", code="future")
        if self.when == "future" and value < today:
            self._fail(f"{self.name} must be today or in the future", code="past")

    def clean(self, value):
        self.widget.error_parts = set()
        return super().clean(value)


class AddressForm(GovUKForm):
    line_1 = forms.CharField(
        label="Address line 1",
        max_length=100,
        error_messages={
            "required": "Enter address line 1, typically the building and street",
            "max_length": "Address line 1 must be 100 characters or fewer",
        },
        widget=forms.TextInput(attrs={"autocomplete": "address-line1"}),
    )
    line_2 = forms.CharField(
        label="Address line 2",
        max_length=100,
        required=False,
        error_messages={"max_length": "Address line 2 must be 100 characters or fewer"},
        widget=forms.TextInput(attrs={"autocomplete": "address-line2"}),
    )
    town = forms.CharField(
        label="Town or city",
        max_length=60,
        error_messages={
            "required": "Enter town or city",
            "max_length": "Town or city must be 60 characters or fewer",
        },
        widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
    )
    postcode = forms.CharField(
        label="Postcode",
        max_length=10,
        error_messages={
            "required": "Enter postcode",
            "max_length": "Enter a real postcode, like GU1 4AA",
        },
        widget=forms.TextInput(
            attrs={"autocomplete": "postal-code", "class": "govuk-input--width-10"}
        ),
    )
    uprn = forms.CharField(required=False, widget=forms.HiddenInput, max_length=12)

    def clean_postcode(self):
        postcode = normalise_postcode(self.cleaned_data["postcode"])
        if not postcode:
            raise forms.ValidationError("Enter a real postcode, like GU1 4AA")
        return postcode

    def clean_uprn(self):
        uprn = self.cleaned_data.get("uprn", "")
        if uprn and not uprn.isdigit():
            raise forms.ValidationError("The address was not recognised")
        return uprn


def format_address(stored: dict) -> str:
    parts = [stored.get(k, "") for k in ("line_1", "line_2", "town", "postcode")]
    return ", ".join(p for p in parts if p)


def address_from_profile(user) -> dict | None:
    """The signed-in resident's address from their account, if it has one.

    Read by attribute (``user.resident_profile``) so services need not import the
    accounts app, which depends on services.
    """
    profile = getattr(user, "resident_profile", None) if user.is_authenticated else None
    if not profile or not getattr(profile, "address_line_1", ""):
        return None
    return {
        "line_1": profile.address_line_1,
        "line_2": getattr(profile, "address_line_2", ""),
        "town": getattr(profile, "town", ""),
        "postcode": getattr(profile, "postcode", ""),
        "uprn": getattr(profile, "uprn", ""),
    }


# -- numbers and UK formats --------------------------------------------------------------


class GovUKNumberField(forms.Field):
    """A whole or decimal number within optional limits, GOV.UK's number errors:
    "<Name> must be a number", "... a whole number", "... between 1 and 10",
    "... 1 or more", "... 10 or less"."""

    widget = forms.TextInput

    def __init__(
        self, *, name: str, whole: bool = True, minimum=None, maximum=None, **kwargs
    ):
        self.name = name
        self.whole = whole
        self.minimum = minimum
        self.maximum = maximum
        super().__init__(**kwargs)
        self.widget.attrs.update(
            {"inputmode": "numeric" if whole else "decimal", "spellcheck": "false"}
        )
        self.widget.attrs.setdefault("class", "govuk-input--width-10")

    def to_python(self, value):
        text = re.sub(r"[\s,]", "", str(value or ""))
        if not text:
            return None
        try:
            number = Decimal(text)
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            raise forms.ValidationError(f"{self.name} must be a number", code="invalid")
        if self.whole and number != number.to_integral_value():
            raise forms.ValidationError(
                f"{self.name} must be a whole number", code="whole"
            )
        return number

    def validate(self, value):
        super().validate(value)
        if value is None:
            return
        low, high = self.minimum, self.maximum
        if low is not None and high is not None and not low <= value <= high:
            raise forms.ValidationError(
                f"{self.name} must be between {low:g} and {high:g}", code="range"
            )
        if low is not None and value < low:
            raise forms.ValidationError(f"{self.name} must be {low:g} or more")
        if high is not None and value > high:
            raise forms.ValidationError(f"{self.name} must be {high:g} or less")

    def clean(self, value):
        number = super().clean(value)
        if number is None:
            return ""
        return str(int(number)) if self.whole else format(number.normalize(), "f")


class FormatField(forms.CharField):
    """A one-line answer in a UK format: ``normalise`` returns its standard form,
    or ``""`` when what was typed is not one (then ``invalid`` is the error)."""

    def __init__(self, *, normalise, invalid: str, required_message: str, **kwargs):
        self.normalise = normalise
        kwargs.setdefault("max_length", 40)
        super().__init__(**kwargs)
        self.error_messages["invalid"] = invalid
        self.error_messages["required"] = required_message
        self.error_messages["max_length"] = invalid

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return ""
        standard = self.normalise(value)
        if not standard:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return standard
