"""Question blocks of the editor-built form.

Each question is a ``StructBlock`` whose ``form_class()`` builds its one-page form
(one field named ``answer``, or a whole form such as the address) and whose
``answer()`` and ``display()`` turn what was stored into what goes on the case and
what people read (check your answers, staff). A question placed at the top level
of a form may carry a condition (``show_when``, see ``services.blocks.editor_form.
branching``); the sub-questions of an "add another" group may not.
"""

from __future__ import annotations

import datetime

from django import forms
from django.conf import settings

from wagtail import blocks

from frontend.forms import GovUKForm
from frontend.govuk_style import govuk_date
from services.blocks.editor_form.fields import (
    AddressForm,
    GovUKDateField,
    format_address,
)

NOT_GIVEN = "Not given"
DJANGO_REQUIRED = forms.Field.default_error_messages["required"]


class QuestionBlock(blocks.StructBlock):
    """Base for every question: ``form_class()`` builds its one-page form and
    ``display()`` turns a stored answer into words for people."""

    label = blocks.CharBlock(
        max_length=120, help_text="The question, e.g. What is the problem?"
    )
    hint = blocks.CharBlock(required=False, max_length=200)
    required = blocks.BooleanBlock(required=False, default=True)

    class Meta:
        icon = "help"

    def form_field(self, value) -> forms.Field:
        raise NotImplementedError

    def form_class(self, value) -> type[forms.Form]:
        """A one-field GovUK form whose field is ``answer``."""
        field = self.form_field(value)
        field.label = value["label"]
        field.help_text = value["hint"] or field.help_text
        field.required = bool(value["required"])
        if field.error_messages["required"] == DJANGO_REQUIRED:
            field.error_messages["required"] = f"Enter an answer to: {value['label']}"
        return type("QuestionForm", (GovUKForm,), {"answer": field})

    def answer(self, value, stored: dict):
        """The stored answer as it goes into ``Case.answers``."""
        answer = stored.get("answer")
        return "" if answer is None else answer

    def display(self, value, stored: dict) -> str:
        answer = self.answer(value, stored)
        return str(answer) if answer not in (None, "", []) else NOT_GIVEN


def _max_length_field(value, widget=None) -> forms.CharField:
    limit = value["max_length"]
    return forms.CharField(
        max_length=limit,
        widget=widget,
        error_messages={
            "max_length": f"Your answer must be {limit:,} characters or fewer"
        },
    )


class TextQuestionBlock(QuestionBlock):
    long_answer = blocks.BooleanBlock(required=False, help_text="A multi-line answer")
    max_length = blocks.IntegerBlock(default=200, min_value=1, max_value=5000)

    class Meta:
        icon = "pilcrow"
        description = "A question answered in a few words."
        preview_value = {"label": "What is your reference?", "max_length": 200}

    def form_field(self, value):
        widget = forms.Textarea(attrs={"rows": 5}) if value["long_answer"] else None
        return _max_length_field(value, widget)


class LongTextQuestionBlock(QuestionBlock):
    max_length = blocks.IntegerBlock(default=1200, min_value=1, max_value=5000)

    class Meta:
        icon = "doc-full"
        description = "A question answered in sentences (a text area)."
        preview_value = {"label": "Describe the problem", "max_length": 1200}

    def form_field(self, value):
        field = _max_length_field(value, forms.Textarea(attrs={"rows": 5}))
        field.help_text = f"Up to {value['max_length']:,} characters"
        return field


class ChoiceQuestionBlock(QuestionBlock):
    choices = blocks.ListBlock(blocks.CharBlock(max_length=100), min_num=2)
    multiple = blocks.BooleanBlock(
        required=False, help_text="Residents may tick more than one (checkboxes)."
    )

    class Meta:
        icon = "list-ul"
        description = "A question answered by choosing one option, or several."
        preview_value = {"label": "Which bin?", "choices": ["Black", "Blue"]}

    def form_field(self, value):
        choices = [(c, c) for c in value["choices"]]
        if value.get("multiple"):
            return forms.MultipleChoiceField(
                choices=choices,
                widget=forms.CheckboxSelectMultiple,
                help_text="Select all that apply",
                error_messages={
                    "required": f"Select at least one answer to: {value['label']}",
                    "invalid_choice": "Select only options from the list",
                    "invalid_list": "Select only options from the list",
                },
            )
        return forms.ChoiceField(
            choices=choices,
            widget=forms.RadioSelect,
            error_messages={
                "required": f"Select an answer to: {value['label']}",
                "invalid_choice": "Select one of the options",
            },
        )

    def display(self, value, stored):
        answer = self.answer(value, stored)
        if isinstance(answer, list):
            return ", ".join(answer) or NOT_GIVEN
        return answer or NOT_GIVEN


class DateQuestionBlock(QuestionBlock):
    when = blocks.ChoiceBlock(
        choices=[
            ("any", "Any date"),
            ("past", "Today or in the past"),
            ("future", "Today or in the future"),
        ],
        default="any",
        required=False,
        help_text="Which dates are accepted.",
    )

    class Meta:
        icon = "date"
        description = "A question answered with a date (day, month and year)."
        preview_value = {"label": "When did it happen?", "when": "past"}

    def form_field(self, value):
        field = GovUKDateField(name=value["label"], when=value.get("when") or "any")
        field.help_text = "For example, 27 3 2026"
        return field

    def display(self, value, stored):
        answer = self.answer(value, stored)
        try:
            return govuk_date(datetime.date.fromisoformat(answer))
        except (TypeError, ValueError):
            return NOT_GIVEN


class AddressQuestionBlock(QuestionBlock):
    class Meta:
        icon = "home"
        description = "A question answered with a postal address."
        preview_value = {"label": "Where do you live?"}

    def form_class(self, value):
        return AddressForm

    def answer(self, value, stored):
        return format_address(stored)

    def display(self, value, stored):
        return format_address(stored) or NOT_GIVEN


class FileQuestionBlock(QuestionBlock):
    class Meta:
        icon = "doc-empty"
        description = "A question answered with a photo or a PDF (virus-checked)."
        preview_value = {"label": "Upload a photo of the damage"}

    def form_field(self, value):
        limit = settings.CASE_UPLOAD_MAX_BYTES // (1024 * 1024)
        return forms.FileField(
            widget=forms.FileInput,
            help_text=f"A JPG, PNG, WebP or PDF file, smaller than {limit}MB",
            error_messages={
                "required": f"Select a file: {value['label']}",
                "empty": "The selected file is empty",
                "invalid": "Select a file",
            },
        )

    def form_class(self, value):
        form_class = super().form_class(value)

        def clean_answer(form):
            from services.uploads import clean_document

            upload = form.cleaned_data.get("answer")
            return clean_document(upload) if upload else None

        form_class.clean_answer = clean_answer
        return form_class

    def answer(self, value, stored):
        return (stored.get("file") or {}).get("name", "")
