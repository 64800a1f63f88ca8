"""Subscribe to garden waste collection: the address (from the account when it
has one), the number of bins, the price for the rest of the scheme's year (pro
rata or not), payment and a permit number (``services.blocks.permits``)."""

from __future__ import annotations

from django import forms

from wagtail.snippets.blocks import SnippetChooserBlock

from frontend.forms import GovUKForm
from services.blocks.address import AddressStepsMixin
from services.blocks.permits import PermitJourneyMixin
from services.blocks.transactions import Step, SubmissionStopped, TransactionBlock
from services.models.payments import pounds


class BinsForm(GovUKForm):
    bins = forms.IntegerField(
        label="Number of garden waste bins",
        min_value=1,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
        error_messages={
            "required": "Enter how many bins you want",
            "invalid": "Enter how many bins you want, as a number",
            "min_value": "You need at least 1 bin",
        },
    )

    def __init__(self, *args, max_bins=3, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bins"].validators.append(_max(max_bins))


def _max(limit: int):
    def check(value):
        if value is not None and value > limit:
            raise forms.ValidationError(
                f"You can have up to {limit} garden waste bins at one address"
            )

    return check


class GardenWasteBlock(AddressStepsMixin, PermitJourneyMixin, TransactionBlock):
    scheme = SnippetChooserBlock(
        "services.PermitScheme",
        help_text="The garden waste scheme: its price per bin, year and pro rata rule.",
    )

    kind_label = "permit"
    done_title = "Garden waste subscription confirmed"
    next_steps = (
        "If you do not have a brown bin yet, we will deliver one within 10 working "
        "days. Put it out by 7am on your collection day. We will email you before "
        "your subscription ends so you can renew it."
    )

    class Meta:
        group = "Transactions"
        icon = "bin"
        template = "services/blocks/booked_transaction.html"
        cacheable = False
        label = "Subscribe to garden waste collection"
        description = "Residents subscribe for the year, pay and get a permit number."
        preview_value = {"heading": "Subscribe to garden waste collection"}

    def bin_item(self, value):
        return value["scheme"].price_list.items.first()

    def item_code(self, value, state) -> str:
        item = self.bin_item(value)
        return item.code if item else ""

    def quantity(self, state) -> int:
        return int(state["answers"].get("bins", {}).get("bins") or 1)

    def get_steps(self, value, request, state):
        item = self.bin_item(value)
        scheme = value["scheme"]
        hint = f"Each bin costs {pounds(item.price) if item else ''} a year."
        if scheme.pro_rata and scheme.year_start_month:
            hint += (
                " If you join part-way through the year you pay for the months left."
            )
        return self.address_steps(state) + [
            Step(
                "bins",
                "How many garden waste bins do you want?",
                BinsForm,
                hint=hint,
                form_kwargs={"max_bins": item.max_quantity if item else 1},
            )
        ]

    def prefill(self, value, request, state):
        self.prefill_address(request, state)

    def clean_step(self, step, form, value, request, state):
        self.clean_address_step(step, form, state)
        if step.name in ("address", "bins"):
            self.check_address(value, request, state)

    def permit_address(self, request, state) -> dict:
        return {
            "address": self.address_label(state),
            "postcode": state["answers"]["postcode"]["postcode"],
            "uprn": state["answers"]["address"]["uprn"],
        }

    def check_address(self, value, request, state):
        from services.permits.actions import existing_permit

        scheme = value["scheme"]
        postcode = state["answers"]["postcode"]["postcode"]
        uprn = state["answers"]["address"]["uprn"]
        if not scheme.covers(postcode):
            raise SubmissionStopped(
                "We do not collect garden waste from this address",
                "The address is outside the areas we collect garden waste from.",
            )
        found = existing_permit(scheme=scheme, user=request.user, uprn=uprn)
        if found is not None:
            raise SubmissionStopped(
                "This address already has a garden waste subscription",
                f"Subscription {found.number} covers this address until "
                f"{found.valid_until:%-d %B %Y}. You can renew it from your account "
                "when it is due.",
            )

    def summary_rows(self, value, request, state):
        bins = self.quantity(state)
        return [
            {"key": "Address", "value": self.address_label(state), "step": "postcode"},
            {
                "key": "Garden waste bins",
                "value": "1 bin" if bins == 1 else f"{bins} bins",
                "step": "bins",
            },
        ] + self.price_rows(value, state)

    def process_submission(self, value, request, state, *, token):
        self.check_address(value, request, state)
        bins = self.quantity(state)
        return self.open_permit(
            value,
            request,
            state,
            token=token,
            answers={"bins": bins},
            summary=f"Garden waste subscription, {bins} bin{'s' if bins > 1 else ''}",
        )
