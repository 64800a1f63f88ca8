"""Apply for a resident parking permit: the address held in the account (in a
zone), the permit type (its price), the vehicle registration, payment and a
permit number (``services.blocks.permits``)."""

from __future__ import annotations

from django import forms

from wagtail.snippets.blocks import SnippetChooserBlock

from frontend.forms import GovUKForm
from services.blocks.address import profile_address
from services.blocks.permits import PermitJourneyMixin
from services.blocks.transactions import Step, SubmissionStopped, TransactionBlock
from services.models.payments import pounds


class PermitTypeForm(GovUKForm):
    permit_type = forms.ChoiceField(
        label="Permit type",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the type of permit",
            "invalid_choice": "Select the type of permit",
        },
    )

    def __init__(self, *args, types=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["permit_type"].choices = [
            (t["code"], f"{t['name']} ({pounds(t['price'])} a year)") for t in types
        ]


class VehicleForm(GovUKForm):
    registration = forms.CharField(
        label="Vehicle registration number",
        help_text="As on the vehicle's logbook (V5C), for example AB12 CDE",
        max_length=10,
        error_messages={"required": "Enter the vehicle registration number"},
        widget=forms.TextInput(
            attrs={
                "class": "govuk-input--width-10 govuk-input--extra-letter-spacing",
                "autocomplete": "off",
                "spellcheck": "false",
            }
        ),
    )

    def clean_registration(self):
        from services.permits.actions import normalise_registration

        compact = normalise_registration(self.cleaned_data["registration"])
        if compact is None:
            raise forms.ValidationError(
                "Enter a real vehicle registration number, like AB12 CDE"
            )
        return compact


class ResidentParkingPermitBlock(PermitJourneyMixin, TransactionBlock):
    scheme = SnippetChooserBlock(
        "services.PermitScheme",
        help_text="The resident parking scheme: its permit types, prices and zones.",
    )

    done_title = "Parking permit issued"
    next_steps = (
        "Your permit is digital: there is nothing to display. Civil enforcement "
        "officers check your vehicle registration. We will email you before your "
        "permit ends so you can renew it."
    )

    class Meta:
        group = "Transactions"
        icon = "key"
        template = "services/blocks/booked_transaction.html"
        cacheable = False
        label = "Apply for a resident parking permit"
        description = "Residents apply and pay for a permit for their vehicle."
        preview_value = {"heading": "Apply for a resident parking permit"}

    def types(self, value) -> list[dict]:
        return [
            {"code": i.code, "name": i.name, "price": i.price}
            for i in value["scheme"].price_list.items.all()
        ]

    def item_code(self, value, state) -> str:
        return state["answers"].get("type", {}).get("permit_type", "")

    def type_name(self, value, state) -> str:
        code = self.item_code(value, state)
        return next((t["name"] for t in self.types(value) if t["code"] == code), "")

    def get_steps(self, value, request, state):
        found = profile_address(request.user)
        hint = (
            f"The permit is for {found['address']}, the address in your account."
            if found
            else ""
        )
        return [
            Step(
                "type",
                "What type of permit do you need?",
                PermitTypeForm,
                hint=hint,
                form_kwargs={"types": self.types(value)},
            ),
            Step("vehicle", "What is the vehicle's registration number?", VehicleForm),
        ]

    def clean_step(self, step, form, value, request, state):
        if step.name == "type":
            self.check_address(value, request, state)
        elif step.name == "vehicle":
            self.check_vehicle(value, request, form.cleaned_data["registration"])

    def check_address(self, value, request, state):
        found = profile_address(request.user)
        if found is None:
            raise SubmissionStopped(
                "Add your address to your account first",
                "A resident parking permit is for the address in your account. Add "
                "your address in your account, then apply again.",
            )
        if not value["scheme"].covers(found["postcode"]):
            raise SubmissionStopped(
                "Your address is not in a residents' parking zone",
                f"{found['address']} is not in one of our residents' parking zones, "
                "so you cannot get a resident parking permit for it.",
            )

    def permit_address(self, request, state) -> dict:
        return profile_address(request.user) or {}

    def check_vehicle(self, value, request, registration):
        from services.permits.actions import display_registration, existing_permit

        found = existing_permit(
            scheme=value["scheme"], user=request.user, registration=registration
        )
        if found is not None:
            raise forms.ValidationError(
                f"{display_registration(registration)} already has a permit "
                f"({found.number}) until {found.valid_until:%-d %B %Y}"
            )

    def summary_rows(self, value, request, state):
        from services.permits.actions import display_registration

        answers = state["answers"]
        names = {t["code"]: t["name"] for t in self.types(value)}
        return [
            {
                "key": "Address",
                "value": self.permit_address(request, state).get("address", ""),
            },
            {
                "key": "Permit type",
                "value": names.get(self.item_code(value, state), ""),
                "step": "type",
            },
            {
                "key": "Vehicle",
                "value": display_registration(answers["vehicle"]["registration"]),
                "step": "vehicle",
            },
        ] + self.price_rows(value, state)

    def process_submission(self, value, request, state, *, token):
        self.check_address(value, request, state)
        registration = state["answers"]["vehicle"]["registration"]
        try:
            self.check_vehicle(value, request, registration)
        except forms.ValidationError as exc:
            raise SubmissionStopped(
                "This vehicle already has a permit", exc.messages[0]
            ) from exc
        return self.open_permit(
            value,
            request,
            state,
            token=token,
            answers={
                "permit_type": self.item_code(value, state),
                "vehicle_registration": registration,
            },
            # Not the registration: a case's summary outlives erasure.
            summary=f"Resident parking permit, {self.type_name(value, state)}",
        )
