"""Journey 1: report a missed bin collection.

Address (from the resident's account when it holds one, else postcode then a
property from the waste back office), the bin, and for guests an email address.
Before a case is opened the waste back office says whether today's round for that
bin is finished: while the crew is still out there is nothing to report, so the
resident is told so and no case is created.
"""

from __future__ import annotations

from django import forms

from services.blocks.address import (  # noqa: F401 - re-exported
    UNAVAILABLE,
    AddressStepsMixin,
    profile_address,
)
from services.blocks.transactions import Step, SubmissionStopped, TransactionBlock
from services.forms import BinTypeForm
from services.integrations.waste import (
    BIN_TYPES,
    PropertyNotFound,
    WasteServiceError,
    get_waste_client,
)


class MissedBinBlock(AddressStepsMixin, TransactionBlock):
    class Meta:
        group = "Transactions"
        icon = "bin"
        template = "services/blocks/transaction.html"
        cacheable = False
        label = "Report a missed bin collection"
        description = "Residents report a bin the crew did not collect."
        preview_value = {"heading": "Report a missed bin collection"}

    def get_steps(self, value, request, state):
        return (
            self.address_steps(state)
            + [Step("bin", "Which bin was not collected?", BinTypeForm)]
            + self.contact_steps(request)
        )

    def prefill(self, value, request, state):
        self.prefill_address(request, state)

    def clean_step(self, step, form, value, request, state):
        self.clean_address_step(step, form, state)
        if step.name == "bin":
            self.check_round(state)

    def check_round(self, state):
        try:
            status = get_waste_client().round_status(
                uprn=state["answers"]["address"]["uprn"],
                bin_type=state["answers"]["bin"]["bin_type"],
            )
        except PropertyNotFound as exc:
            raise forms.ValidationError(
                "We do not collect bins from that address. Check the address."
            ) from exc
        except WasteServiceError as exc:
            raise forms.ValidationError(UNAVAILABLE) from exc
        if not status.finished_today():
            raise SubmissionStopped(
                "You cannot report this bin as missed yet", status.explanation
            )
        return status

    def summary_rows(self, value, request, state):
        answers = state["answers"]
        rows = [
            {"key": "Address", "value": self.address_label(state), "step": "postcode"},
            {
                "key": "Bin not collected",
                "value": dict(BIN_TYPES).get(answers["bin"]["bin_type"], ""),
                "step": "bin",
            },
        ]
        rows += self.contact_rows(answers)
        return rows

    def process_submission(self, value, request, state, *, token):
        from services import actions  # actions import the models, which import blocks

        try:
            self.check_round(state)
        except forms.ValidationError as exc:
            raise SubmissionStopped(
                "Sorry, there is a problem with the service", exc.messages[0]
            ) from exc
        answers = state["answers"]
        user = request.user if request.user.is_authenticated else None
        address = self.address_label(state)
        bin_label = dict(BIN_TYPES).get(answers["bin"]["bin_type"], "")
        return actions.open_case(
            service=value["service"],
            answers={
                "address": address,
                "uprn": answers["address"]["uprn"],
                "bin_type": answers["bin"]["bin_type"],
                "bin_type_label": bin_label,
            },
            resident=user,
            guest_email="" if user else answers["contact"]["email"],
            contact_name="" if user else answers["contact"].get("name", ""),
            idempotency_key=token,
            caller=state.caller,
            summary=f"{bin_label} not collected",
            category=answers["bin"]["bin_type"],
            address=address,
            postcode=answers["postcode"]["postcode"],
            uprn=answers["address"]["uprn"],
        )

    def render_confirmation(self, value, request, done):
        context = super().render_confirmation(value, request, done)
        context["title_text"] = "Missed bin reported"
        context["next_steps"] = (
            "The crew will come back to collect your bin within 2 working days. "
            "Leave it out until then."
        )
        return context
