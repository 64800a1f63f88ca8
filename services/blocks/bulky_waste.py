"""Book a bulky waste collection: items from the council's price list, a
concession reference the benefits back office confirms (or a card payment), a
collection date on the address's round, then confirmation.

Every price is computed here from the price list (``price_for``); the browser
only ever sends quantities. The date is held while the resident pays
(``services.blocks.bookings``) and confirmed when the provider says the payment
succeeded, or at once when nothing is due.
"""

from __future__ import annotations

from django import forms

from wagtail.snippets.blocks import SnippetChooserBlock

from frontend.forms import GovUKForm
from services.blocks.address import AddressStepsMixin
from services.blocks.bookings import (
    PaidJourneyMixin,
    SlotChoiceForm,
    booking_confirmation,
    held_booking,
    hold_chosen_slot,
    search_window,
    slot_choices,
)
from services.blocks.transactions import Step, SubmissionStopped, TransactionBlock
from services.integrations.concessions import (
    ConcessionServiceError,
    get_concessions_client,
)
from services.models.bookings import PriceList, Round
from services.models.payments import pounds


class ItemsForm(GovUKForm):
    """How many of each item; the price list's limits are checked here."""

    def __init__(self, *args, items=(), max_items=0, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_items = max_items
        for item in items:
            self.fields[item["code"]] = forms.IntegerField(
                label=f"{item['name']} ({pounds(item['price'])} each)",
                min_value=0,
                max_value=item["max_quantity"],
                required=False,
                initial=0,
                error_messages={
                    "invalid": f"Enter how many {item['name'].lower()} items, as a number",
                    "min_value": "The number of items cannot be less than 0",
                    "max_value": (
                        f"You can book up to {item['max_quantity']} of this item "
                        "in one collection"
                    ),
                },
                widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
            )

    def clean(self):
        cleaned = super().clean()
        total = sum(v or 0 for v in cleaned.values() if isinstance(v, int))
        if not self.errors and total == 0:
            raise forms.ValidationError("Enter how many of at least one item")
        if self.max_items and total > self.max_items:
            raise forms.ValidationError(
                f"You can book up to {self.max_items} items in one collection"
            )
        return {k: (v or 0) for k, v in cleaned.items()}


class ConcessionForm(GovUKForm):
    has_concession = forms.ChoiceField(
        label="Do you get council tax reduction or housing benefit?",
        choices=[("yes", "Yes"), ("no", "No")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes if you get a concession"},
    )
    reference = forms.CharField(
        label="Your council tax reduction or benefit reference",
        help_text="Only if you answered yes. For example, CTR123456",
        max_length=20,
        required=False,
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("has_concession") == "yes" and not cleaned.get("reference"):
            self.add_error("reference", "Enter your reference, like CTR123456")
        if cleaned.get("has_concession") == "no":
            cleaned["reference"] = ""
        return cleaned


def price_list_items(price_list: PriceList) -> list[dict]:
    return [
        {
            "code": i.code,
            "name": i.name,
            "price": i.price,
            "concession_price": i.concession_price,
            "max_quantity": i.max_quantity,
        }
        for i in price_list.items.all()
    ]


def price_for(items: list[dict], quantities: dict, *, concession: bool) -> int:
    """The total in pence, from the price list only."""
    total = 0
    for item in items:
        count = int(quantities.get(item["code"]) or 0)
        price = item["price"]
        if concession and item["concession_price"] is not None:
            price = item["concession_price"]
        total += count * price
    return total


class BulkyWasteBlock(AddressStepsMixin, PaidJourneyMixin, TransactionBlock):
    price_list = SnippetChooserBlock("services.PriceList")
    calendar = SnippetChooserBlock("services.Calendar")

    class Meta:
        group = "Transactions"
        icon = "bin"
        template = "services/blocks/booked_transaction.html"
        cacheable = False
        label = "Book a bulky waste collection"
        description = (
            "Residents choose items, pay or give a concession, and book a date."
        )
        preview_value = {"heading": "Book a bulky waste collection"}

    def items(self, value) -> list[dict]:
        return price_list_items(value["price_list"])

    def get_steps(self, value, request, state):
        steps = self.address_steps(state) + [
            Step(
                "items",
                "What do you want us to collect?",
                ItemsForm,
                hint="Enter how many of each item. Leave the others at 0.",
                form_kwargs={
                    "items": self.items(value),
                    "max_items": value["price_list"].max_items,
                },
            ),
            Step("concession", "Do you get a concession?", ConcessionForm),
            Step(
                "slot",
                "Choose a collection date",
                SlotChoiceForm,
                hint="Put your items out by 7am on the day.",
                form_kwargs={
                    "slots": state.get("slots", []),
                    "label": "Collection date",
                },
            ),
        ]
        return steps + self.contact_steps(request)

    def prefill(self, value, request, state):
        if self.prefill_address(request, state):
            self.find_slots(value, state)

    def find_slots(self, value, state) -> None:
        from services.bookings.actions import available_slots

        calendar = value["calendar"]
        round_ = Round.objects.filter(calendar=calendar).for_address(
            postcode=state["answers"]["postcode"]["postcode"],
            uprn=state["answers"].get("address", {}).get("uprn", ""),
        )
        if round_ is None:
            raise SubmissionStopped(
                "We do not collect bulky waste from this address",
                "The address is not on any of our collection rounds. Contact us to "
                "arrange a collection.",
            )
        start, end = search_window()
        slots = available_slots(calendar=calendar, round=round_, start=start, end=end)
        state["slots"] = slot_choices(slots)

    def clean_step(self, step, form, value, request, state):
        self.clean_address_step(step, form, state)
        if step.name == "address":
            self.find_slots(value, state)
        elif step.name == "concession":
            state["concession"] = False
            if form.cleaned_data["has_concession"] == "yes":
                try:
                    result = get_concessions_client().check(
                        reference=form.cleaned_data["reference"],
                        postcode=state["answers"]["postcode"]["postcode"],
                    )
                except ConcessionServiceError as exc:
                    raise forms.ValidationError(
                        "We cannot check concessions right now. Try again in a few "
                        "minutes, or answer no to pay the full price."
                    ) from exc
                if not result.eligible:
                    raise forms.ValidationError(
                        "We could not confirm that reference for this address. Check "
                        "it, or answer no to pay the full price."
                    )
                state["concession"] = True
        elif step.name == "slot":
            self.find_slots(value, state)
            hold_chosen_slot(request, state, int(form.cleaned_data["slot"]))

    def chosen_items(self, value, state) -> list[tuple[str, int]]:
        quantities = state["answers"].get("items", {})
        return [
            (item["name"], int(quantities.get(item["code"]) or 0))
            for item in self.items(value)
            if int(quantities.get(item["code"]) or 0)
        ]

    def total(self, value, state) -> int:
        return price_for(
            self.items(value),
            state["answers"].get("items", {}),
            concession=bool(state.get("concession")),
        )

    def summary_rows(self, value, request, state):
        answers = state["answers"]
        total = self.total(value, state)
        rows = [
            {"key": "Address", "value": self.address_label(state), "step": "postcode"},
            {
                "key": "Items",
                "value": ", ".join(
                    f"{n} × {name}" for name, n in self.chosen_items(value, state)
                ),
                "step": "items",
            },
            {
                "key": "Concession",
                "value": "Confirmed" if state.get("concession") else "No",
                "step": "concession",
            },
            {
                "key": "Collection date",
                "value": state.get("slot_label", ""),
                "step": "slot",
            },
            {
                "key": "Total to pay",
                "value": pounds(total) if total else "Nothing to pay",
                "step": "items",
            },
        ]
        return rows + self.contact_rows(answers)

    def process_submission(self, value, request, state, *, token):
        from services import actions
        from services.bookings.actions import attach_case, confirm_booking

        booking = held_booking(state)
        answers = state["answers"]
        user = request.user if request.user.is_authenticated else None
        total = self.total(value, state)
        items = self.chosen_items(value, state)
        address = self.address_label(state)
        case = actions.open_case(
            service=value["service"],
            answers={
                "address": address,
                "uprn": answers["address"]["uprn"],
                "items": [{"name": name, "quantity": n} for name, n in items],
                "concession": bool(state.get("concession")),
                "concession_reference": answers["concession"].get("reference", ""),
                "collection_date": state.get("slot_label", ""),
                "total_pence": total,
            },
            resident=user,
            guest_email="" if user else answers["contact"]["email"],
            contact_name="" if user else answers["contact"].get("name", ""),
            idempotency_key=token,
            caller=state.caller,
            summary=f"Bulky waste: {', '.join(f'{n} × {name}' for name, n in items)}",
            category="bulky_waste",
            address=address,
            postcode=answers["postcode"]["postcode"],
            uprn=answers["address"]["uprn"],
        )
        attach_case(booking=booking, case=case)
        if total == 0:
            confirm_booking(booking=booking, case=case, actor=user)
            return case
        case.pending_payment = self.start_or_resume_payment(
            case,
            amount=total,
            description=f"Bulky waste collection {case.reference}",
            return_path=request.path,
            purpose={"booking": str(booking.uuid)},
            email=case.contact_email,
        )
        return case

    def render_confirmation(self, value, request, done):
        context = booking_confirmation(done)
        context["title_text"] = {
            "booked": "Collection booked",
            "unpaid": "Your payment was not taken",
            "refunded": "Your payment has been refunded",
        }.get(context.get("state"), "Request received")
        context["next_steps"] = (
            "Put your items outside your property, where the crew can see them, by "
            "7am on the collection day. Do not block the pavement."
        )
        return context
