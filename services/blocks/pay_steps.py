"""Payment and booking steps editors add to a form they build
(``services.blocks.editor_form.EditorFormBlock``), on the same payments and
bookings as the built-in journeys.

Both are question blocks (``QuestionBlock``'s protocol: ``form_class()``,
``answer()``, ``display()``), so the editor form's question stream takes them
as it takes a text or date question. Three extra hooks, called by the editor
form when a question has them, do the rest:

- ``clean_answer(value, form, request, state, step)`` after the step validates
  (the booking step holds the chosen slot's place here, under its row lock);
- ``amount_due(value, stored, answers)`` the pence to pay, computed on the server
  from the price set by the editor (fixed, an item of a price list, or a price
  per unit times the number answered to an earlier question, by its label);
- ``after_case_opened(questions, case, state, request)`` (module level): confirm
  the held booking when nothing is due, else start one payment for the total
  whose success confirms it (``case.pending_payment``; ``PaidJourneyMixin``'s
  ``response_after_submission`` then sends the resident to pay).
"""

from __future__ import annotations

from decimal import Decimal

from django import forms

from wagtail import blocks
from wagtail.snippets.blocks import SnippetChooserBlock

from frontend.forms import GovUKForm
from services.blocks.bookings import (
    SlotChoiceForm,
    held_booking,
    hold_chosen_slot,
    search_window,
    slot_choices,
)
from services.models.payments import pounds

FIXED, PRICE_LIST, PER_ANSWER = "fixed", "price_list", "per_answer"


def _pence(pounds_value) -> int:
    return int((Decimal(pounds_value or 0) * 100).quantize(Decimal(1)))


class PaymentStepBlock(blocks.StructBlock):
    """A charge: fixed, chosen from a price list, or per unit of an earlier
    answer. The step shows what will be charged (or the price list's items to
    choose from); the card page comes after "check your answers"."""

    label = blocks.CharBlock(
        max_length=120, default="Payment", help_text="E.g. Choose your permit"
    )
    hint = blocks.CharBlock(required=False, max_length=200)
    mode = blocks.ChoiceBlock(
        choices=[
            (FIXED, "A fixed amount"),
            (PRICE_LIST, "The resident chooses an item from a price list"),
            (PER_ANSWER, "A price per unit of an earlier answer (a number)"),
        ],
        default=FIXED,
    )
    amount = blocks.DecimalBlock(
        required=False,
        min_value=0,
        decimal_places=2,
        help_text="In pounds: the fixed amount, or the price per unit.",
    )
    price_list = SnippetChooserBlock("services.PriceList", required=False)
    quantity_question = blocks.CharBlock(
        required=False,
        max_length=120,
        help_text="Per unit: the label of the earlier question whose number is "
        "multiplied by the amount.",
    )

    class Meta:
        icon = "form"
        label = "Payment step"

    def items(self, value) -> list[dict]:
        if value["price_list"] is None:
            return []
        return [
            {"code": i.code, "name": i.name, "price": i.price}
            for i in value["price_list"].items.all()
        ]

    def form_class(self, value) -> type[forms.Form]:
        if value["mode"] == PRICE_LIST:
            field = forms.ChoiceField(
                label=value["label"],
                widget=forms.RadioSelect,
                choices=[
                    (i["code"], f"{i['name']} ({pounds(i['price'])})")
                    for i in self.items(value)
                ],
                error_messages={
                    "required": f"Select an answer to: {value['label']}",
                    "invalid_choice": f"Select an answer to: {value['label']}",
                },
            )
        else:
            field = forms.BooleanField(
                label="I understand I will pay by card after checking my answers",
                error_messages={
                    "required": "Confirm that you will pay by card to continue"
                },
            )
        field.help_text = value["hint"]
        return type("PaymentStepForm", (GovUKForm,), {"answer": field})

    def amount_due(self, value, stored: dict, answers: dict) -> int:
        """Pence, from the editor's price only: ``answers`` are the form's
        answers by question label (for a per-unit price)."""
        mode = value["mode"]
        if mode == PRICE_LIST:
            code = stored.get("answer")
            return next((i["price"] for i in self.items(value) if i["code"] == code), 0)
        unit = _pence(value["amount"])
        if mode == PER_ANSWER:
            try:
                count = int(str(answers.get(value["quantity_question"], 0)).strip())
            except ValueError:
                return 0
            return unit * max(count, 0)
        return unit

    def answer(self, value, stored: dict):
        if value["mode"] == PRICE_LIST:
            return next(
                (
                    i["name"]
                    for i in self.items(value)
                    if i["code"] == stored.get("answer")
                ),
                "",
            )
        return "Card payment"

    def display(self, value, stored: dict) -> str:
        return self.answer(value, stored) or "Not given"


class BookingStepBlock(blocks.StructBlock):
    """Choose a date from a calendar's free slots (the next 6 weeks); the place
    is held while the resident finishes and pays."""

    label = blocks.CharBlock(
        max_length=120, default="Choose a date", help_text="E.g. Choose a date"
    )
    hint = blocks.CharBlock(required=False, max_length=200)
    calendar = SnippetChooserBlock("services.Calendar")

    class Meta:
        icon = "date"
        label = "Booking step"

    def form_class(self, value) -> type[forms.Form]:
        from services.bookings.actions import available_slots

        start, end = search_window()
        slots = slot_choices(
            available_slots(calendar=value["calendar"], start=start, end=end)
        )
        label = value["label"]

        class BookingStepForm(SlotChoiceForm):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, slots=slots, label=label, **kwargs)
                self.fields["answer"] = self.fields.pop("slot")
                self.fields["answer"].help_text = value["hint"]

        return BookingStepForm

    def clean_answer(self, value, form, request, state, step: str) -> None:
        hold_chosen_slot(request, state, int(form.cleaned_data["answer"]))
        state["answers"][step]["label"] = state.get("slot_label", "")

    def answer(self, value, stored: dict):
        return stored.get("label", "")

    def display(self, value, stored: dict) -> str:
        return self.answer(value, stored) or "Not given"

    def amount_due(self, value, stored, answers) -> int:
        return 0


def after_case_opened(questions, case, state, request, *, answers: dict) -> None:
    """Call once the editor form's case is open. ``questions`` are the form's
    (step name, question) pairs; ``answers`` its answers by label."""
    from services.blocks.bookings import PaidJourneyMixin
    from services.bookings.actions import attach_case, confirm_booking

    total = sum(
        q.block.amount_due(q.value, state["answers"].get(name, {}), answers)
        for name, q in questions
        if isinstance(q.block, PaymentStepBlock)
    )
    booking = None
    if any(isinstance(q.block, BookingStepBlock) for _n, q in questions):
        booking = held_booking(state)
        attach_case(booking=booking, case=case)
    user = request.user if request.user.is_authenticated else None
    if total == 0:
        if booking is not None:
            confirm_booking(booking=booking, case=case, actor=user)
        return
    case.pending_payment = PaidJourneyMixin.start_or_resume_payment(
        case,
        amount=total,
        description=f"{case.service.name} {case.reference}",
        return_path=request.path,
        purpose={"booking": str(booking.uuid)} if booking is not None else {},
        email=case.contact_email,
    )
