"""Journey 3: a simple service an editor composes from question blocks.

Each question is one page (GOV.UK "one thing per page"); the answers are stored on
the case under the questions' labels. Case type, team, SLA and workflow come from the
chosen service definition, so a new service needs no developer.
"""

from __future__ import annotations

from django import forms

from wagtail import blocks

from frontend.forms import GovUKForm
from services.blocks.transactions import Step, TransactionBlock
from services.forms import GuestContactForm


class QuestionBlock(blocks.StructBlock):
    label = blocks.CharBlock(
        max_length=120, help_text="The question, e.g. What is the problem?"
    )
    hint = blocks.CharBlock(required=False, max_length=200)
    required = blocks.BooleanBlock(required=False, default=True)

    class Meta:
        icon = "help"

    def form_field(self, value) -> forms.Field:
        raise NotImplementedError


class TextQuestionBlock(QuestionBlock):
    long_answer = blocks.BooleanBlock(required=False, help_text="A multi-line answer")
    max_length = blocks.IntegerBlock(default=500, min_value=1, max_value=5000)

    class Meta:
        icon = "pilcrow"
        description = "A question answered in words."

    def form_field(self, value):
        return forms.CharField(
            max_length=value["max_length"],
            widget=forms.Textarea(attrs={"rows": 5}) if value["long_answer"] else None,
        )


class ChoiceQuestionBlock(QuestionBlock):
    choices = blocks.ListBlock(blocks.CharBlock(max_length=100), min_num=2)

    class Meta:
        icon = "list-ul"
        description = "A question answered by choosing one option."

    def form_field(self, value):
        return forms.ChoiceField(
            choices=[(c, c) for c in value["choices"]], widget=forms.RadioSelect
        )


class DateQuestionBlock(QuestionBlock):
    class Meta:
        icon = "date"
        description = "A question answered with a date (day/month/year)."

    def form_field(self, value):
        return forms.DateField(
            input_formats=["%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d %m %Y"],
            widget=forms.DateInput(attrs={"inputmode": "numeric"}),
            error_messages={"invalid": "Enter a real date, like 27/03/2026"},
        )


class QuestionStreamBlock(blocks.StreamBlock):
    text = TextQuestionBlock()
    choice = ChoiceQuestionBlock()
    date = DateQuestionBlock()


def question_form_class(block_value) -> type[forms.Form]:
    """A one-field GovUK form for one question block."""
    value = block_value.value
    field = block_value.block.form_field(value)
    field.label = value["label"]
    field.help_text = value["hint"] or (
        "For example, 27/03/2026" if block_value.block_type == "date" else ""
    )
    field.required = bool(value["required"])
    field.error_messages["required"] = f"Enter an answer to: {value['label']}"
    return type("QuestionForm", (GovUKForm,), {"answer": field})


class EditorFormBlock(TransactionBlock):
    intro = blocks.TextBlock(
        required=False, help_text="Shown above the first question."
    )
    questions = QuestionStreamBlock(min_num=1)

    class Meta:
        group = "Transactions"
        icon = "form"
        template = "services/blocks/transaction.html"
        cacheable = False
        label = "Form service (built by editors)"
        description = "A service made of questions; each request becomes a case."

    def get_steps(self, value, request, state):
        steps = [
            Step(
                f"q{index + 1}",
                question.value["label"],
                question_form_class(question),
                hint=value["intro"] if index == 0 else "",
            )
            for index, question in enumerate(value["questions"])
        ]
        if not request.user.is_authenticated:
            steps.append(Step("contact", "How can we contact you?", GuestContactForm))
        return steps

    def _answers(self, value, state) -> dict:
        return {
            question.value["label"]: state["answers"]
            .get(f"q{index + 1}", {})
            .get("answer", "")
            for index, question in enumerate(value["questions"])
        }

    def summary_rows(self, value, request, state):
        rows = [
            {"key": label, "value": answer or "Not given", "step": f"q{index + 1}"}
            for index, (label, answer) in enumerate(self._answers(value, state).items())
        ]
        if "contact" in state["answers"]:
            rows.append(
                {
                    "key": "Email address",
                    "value": state["answers"]["contact"]["email"],
                    "step": "contact",
                }
            )
        return rows

    def process_submission(self, value, request, state, *, token):
        from services import actions

        user = request.user if request.user.is_authenticated else None
        contact = state["answers"].get("contact", {})
        return actions.open_case(
            service=value["service"],
            answers=self._answers(value, state),
            resident=user,
            guest_email="" if user else contact.get("email", ""),
            contact_name="" if user else contact.get("name", ""),
            idempotency_key=token,
            summary=value["service"].case_type,
        )
