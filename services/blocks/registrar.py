"""Book a registrar appointment: what for, which office, a free time (held while
the resident finishes), their details, then confirmation. No payment. Residents
change the time or cancel from My Account until the calendar's cut-off."""

from __future__ import annotations

from django import forms

from wagtail.snippets.blocks import SnippetChooserBlock

from frontend.forms import GovUKForm
from services.blocks.bookings import (
    SlotChoiceForm,
    booking_confirmation,
    held_booking,
    hold_chosen_slot,
    search_window,
    slot_choices,
)
from services.blocks.transactions import Step, SubmissionStopped, TransactionBlock
from services.forms import GuestContactForm
from services.models.bookings import Slot


class ChoiceForm(GovUKForm):
    choice = forms.ChoiceField(widget=forms.RadioSelect)

    def __init__(self, *args, options=(), label="", error="", **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["choice"]
        field.label = label
        field.choices = [(o, o) for o in options]
        field.error_messages = {"required": error, "invalid_choice": error}


class AppointmentDetailsForm(GovUKForm):
    name = forms.CharField(
        label="Full name of the person the appointment is about",
        max_length=120,
        error_messages={"required": "Enter the full name"},
    )


class RegistrarAppointmentBlock(TransactionBlock):
    calendar = SnippetChooserBlock("services.Calendar")

    class Meta:
        group = "Transactions"
        icon = "date"
        template = "services/blocks/booked_transaction.html"
        cacheable = False
        label = "Book a registrar appointment"
        description = "Residents book, change or cancel a registrar appointment."
        preview_value = {"heading": "Book an appointment"}

    def options(self, value, field: str, **filters) -> list[str]:
        return sorted(
            set(
                Slot.objects.filter(calendar=value["calendar"], **filters)
                .exclude(**{field: ""})
                .values_list(field, flat=True)
            )
        )

    def get_steps(self, value, request, state):
        kind = state["answers"].get("kind", {}).get("choice", "")
        steps = [
            Step(
                "kind",
                "What is the appointment for?",
                ChoiceForm,
                form_kwargs={
                    "options": self.options(value, "kind"),
                    "label": "Appointment",
                    "error": "Select what the appointment is for",
                },
            ),
            Step(
                "office",
                "Which office?",
                ChoiceForm,
                form_kwargs={
                    "options": self.options(value, "location", kind=kind),
                    "label": "Office",
                    "error": "Select an office",
                },
            ),
            Step(
                "slot",
                "Choose a time",
                SlotChoiceForm,
                hint="We keep the time for you for 30 minutes while you finish.",
                form_kwargs={"slots": state.get("slots", []), "label": "Time"},
            ),
            Step("details", "Who is the appointment about?", AppointmentDetailsForm),
        ]
        if not request.user.is_authenticated:
            steps.append(Step("contact", "How can we contact you?", GuestContactForm))
        return steps

    def find_slots(self, value, state) -> None:
        from services.bookings.actions import available_slots

        start, end = search_window()
        slots = available_slots(
            calendar=value["calendar"],
            start=start,
            end=end,
            kind=state["answers"]["kind"]["choice"],
            location=state["answers"]["office"]["choice"],
        )
        if not slots:
            raise SubmissionStopped(
                "There are no free appointments",
                "There are no free appointments at this office in the next 6 weeks. "
                "Choose another office or contact us.",
            )
        state["slots"] = slot_choices(slots)

    def clean_step(self, step, form, value, request, state):
        if step.name == "kind":
            state["answers"].pop("office", None)
        elif step.name == "office":
            self.find_slots(value, state)
        elif step.name == "slot":
            self.find_slots(value, state)
            hold_chosen_slot(request, state, int(form.cleaned_data["slot"]))

    def summary_rows(self, value, request, state):
        answers = state["answers"]
        rows = [
            {"key": "Appointment", "value": answers["kind"]["choice"], "step": "kind"},
            {"key": "Office", "value": answers["office"]["choice"], "step": "office"},
            {"key": "Time", "value": state.get("slot_label", ""), "step": "slot"},
            {"key": "Name", "value": answers["details"]["name"], "step": "details"},
        ]
        if "contact" in answers:
            rows.append(
                {
                    "key": "Email address",
                    "value": answers["contact"]["email"],
                    "step": "contact",
                }
            )
        return rows

    def process_submission(self, value, request, state, *, token):
        from services import actions
        from services.bookings.actions import confirm_booking

        booking = held_booking(state)
        answers = state["answers"]
        user = request.user if request.user.is_authenticated else None
        case = actions.open_case(
            service=value["service"],
            answers={
                "appointment": answers["kind"]["choice"],
                "office": answers["office"]["choice"],
                "time": state.get("slot_label", ""),
                "name": answers["details"]["name"],
            },
            resident=user,
            guest_email="" if user else answers["contact"]["email"],
            contact_name="" if user else answers["contact"].get("name", ""),
            idempotency_key=token,
            caller=state.caller,
            summary=f"{answers['kind']['choice']}: {answers['details']['name']}",
            category="registrar",
        )
        confirm_booking(booking=booking, case=case, actor=user)
        return case

    def render_confirmation(self, value, request, done):
        context = booking_confirmation(done)
        context["free"] = True
        context["title_text"] = "Appointment booked"
        context["next_steps"] = (
            "Come to the office 10 minutes before your appointment with proof of "
            "identity and address. You can change the time or cancel in your account "
            "until the day before."
        )
        return context
