"""The address and contact steps every waste and permit journey shares: the
address from the resident's account when it holds one (those steps are then
prefilled and skipped), else a postcode and a property from the waste back
office; and, for guests, an email address.

A block mixes in ``AddressStepsMixin`` and calls ``address_steps``,
``prefill_address``, ``clean_address_step`` and ``contact_steps`` from its own
hooks (``get_steps``, ``prefill``, ``clean_step``).
"""

from __future__ import annotations

from django import forms

from services.blocks.transactions import Step
from services.forms import AddressChoiceForm, GuestContactForm, PostcodeForm
from services.integrations.waste import WasteServiceError, get_waste_client

UNAVAILABLE = "We cannot check collections right now. Try again in a few minutes."
NO_ADDRESSES = (
    "We could not find any addresses for that postcode. Check it and try again."
)


def profile_address(user) -> dict | None:
    """The signed-in resident's address from their account, if it has a UPRN.

    Read by attribute (``user.resident_profile``) so services need not import the
    accounts app, which depends on services.
    """
    profile = getattr(user, "resident_profile", None) if user.is_authenticated else None
    if not profile or not getattr(profile, "uprn", ""):
        return None
    parts = [
        getattr(profile, name, "")
        for name in ("address_line_1", "address_line_2", "town", "postcode")
    ]
    return {
        "uprn": profile.uprn,
        "address": ", ".join(p for p in parts if p),
        "postcode": getattr(profile, "postcode", ""),
    }


class AddressStepsMixin:
    def address_steps(self, state) -> list[Step]:
        prefilled = state.get("prefilled", [])
        steps = [
            Step("postcode", "What is the postcode?", PostcodeForm),
            Step(
                "address",
                "Select the address",
                AddressChoiceForm,
                form_kwargs={"properties": state.get("properties", [])},
            ),
        ]
        for step in steps:
            step.prefilled = step.name in prefilled
        return steps

    @staticmethod
    def contact_steps(request) -> list[Step]:
        if request.user.is_authenticated:
            return []
        return [Step("contact", "How can we contact you?", GuestContactForm)]

    def prefill_address(self, request, state) -> bool:
        """Answer the address steps from the account; ``True`` when it did."""
        found = profile_address(request.user)
        if not found:
            return False
        state["properties"] = [{"uprn": found["uprn"], "address": found["address"]}]
        state["answers"]["postcode"] = {"postcode": found["postcode"]}
        state["answers"]["address"] = {"uprn": found["uprn"]}
        state["prefilled"] = ["postcode", "address"]
        return True

    def clean_address_step(self, step, form, state) -> None:
        """After the postcode: the properties there (a new postcode forgets the
        address chosen before). Either step forgets the account's prefill."""
        if step.name == "postcode":
            try:
                found = get_waste_client().find_properties(
                    form.cleaned_data["postcode"]
                )
            except WasteServiceError as exc:
                raise forms.ValidationError(UNAVAILABLE) from exc
            if not found:
                raise forms.ValidationError(NO_ADDRESSES)
            state["properties"] = [
                {"uprn": p.uprn, "address": p.address} for p in found
            ]
            state["answers"].pop("address", None)
            state["prefilled"] = []
        elif step.name == "address":
            state["prefilled"] = []

    def address_label(self, state) -> str:
        uprn = state["answers"].get("address", {}).get("uprn")
        return next(
            (p["address"] for p in state.get("properties", []) if p["uprn"] == uprn), ""
        )

    @staticmethod
    def contact_rows(answers) -> list[dict]:
        if "contact" not in answers:
            return []
        rows = [
            {
                "key": "Email address",
                "value": answers["contact"]["email"],
                "step": "contact",
            }
        ]
        if answers["contact"].get("name"):
            rows.append(
                {
                    "key": "Your name",
                    "value": answers["contact"]["name"],
                    "step": "contact",
                }
            )
        return rows
