"""Forms of the payments pages (server-side validation lives here)."""

from __future__ import annotations

import datetime

from django import forms

from frontend.forms import GovUKForm


def luhn_ok(number: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(number)):
        digit = int(char)
        if index % 2:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10 == 0


class SandboxCardForm(GovUKForm):
    """The sandbox's card details page, checked the way a card page would."""

    card_number = forms.CharField(
        label="Card number",
        max_length=30,
        help_text="Use a test card, for example 4444 3333 2222 1111",
        error_messages={"required": "Enter your card number"},
        widget=forms.TextInput(
            attrs={"autocomplete": "cc-number", "inputmode": "numeric"}
        ),
    )
    expiry = forms.CharField(
        label="Expiry date",
        max_length=7,
        help_text="For example, 10/29",
        error_messages={"required": "Enter the expiry date"},
        widget=forms.TextInput(attrs={"autocomplete": "cc-exp"}),
    )
    name = forms.CharField(
        label="Name on card",
        max_length=100,
        error_messages={"required": "Enter the name as it appears on the card"},
        widget=forms.TextInput(attrs={"autocomplete": "cc-name"}),
    )
    security_code = forms.CharField(
        label="Card security code",
        max_length=4,
        help_text="The last 3 digits on the back of the card",
        error_messages={"required": "Enter your card security code"},
        widget=forms.TextInput(
            attrs={"autocomplete": "cc-csc", "inputmode": "numeric"}
        ),
    )

    def clean_card_number(self):
        number = "".join(self.cleaned_data["card_number"].split()).replace("-", "")
        if not number.isdigit() or not 12 <= len(number) <= 19 or not luhn_ok(number):
            raise forms.ValidationError("Enter a valid card number")
        return number

    def clean_expiry(self):
        value = self.cleaned_data["expiry"].replace(" ", "")
        try:
            month, year = value.split("/")
            month, year = int(month), int(year)
        except ValueError as exc:
            raise forms.ValidationError(
                "Enter the expiry date in the format MM/YY"
            ) from exc
        year = year + 2000 if year < 100 else year
        if not 1 <= month <= 12:
            raise forms.ValidationError("Enter the expiry date in the format MM/YY")
        if (year, month) < (datetime.date.today().year, datetime.date.today().month):
            raise forms.ValidationError("The card has expired: use another card")
        return f"{month:02d}/{year % 100:02d}"

    def clean_security_code(self):
        code = self.cleaned_data["security_code"].strip()
        if not code.isdigit() or len(code) not in (3, 4):
            raise forms.ValidationError("Enter a valid card security code")
        return code


class RefundForm(forms.Form):
    """Staff refund a payment (the admin)."""

    amount = forms.DecimalField(
        label="Amount to refund (£)", min_value=0.01, max_digits=8, decimal_places=2
    )
    reason = forms.CharField(label="Reason", max_length=255)

    def __init__(self, *args, refundable: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.refundable = refundable

    def clean_amount(self):
        pence = int(self.cleaned_data["amount"] * 100)
        if pence > self.refundable:
            raise forms.ValidationError(
                f"You can refund up to £{self.refundable / 100:.2f}."
            )
        return pence
