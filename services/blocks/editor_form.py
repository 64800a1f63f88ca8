"""Journey 3: a simple service an editor composes from question blocks.

Question types: short text, long text, choice (radios, or checkboxes when several
answers are allowed), a GOV.UK date input (day, month and year, with the GOV.UK
date errors and an optional past/future rule), an address (filled from the
resident's account when signed in) and a file (checked and virus-scanned by
``services.uploads``, stored privately, listed for staff on the case page).

Each question is one page (GOV.UK "one thing per page"). Step names come from the
questions' stable StreamField ids, so an editor reordering questions while someone
is half-way through cannot pour an answer into the wrong question. The answers are
stored on the case under the questions' labels; case type, team, SLA and workflow
come from the chosen service definition, so a new service needs no developer.
"""

from __future__ import annotations

import datetime
import re

from django import forms
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from wagtail import blocks

from frontend.formats import normalise_postcode
from frontend.forms import GovUKForm
from frontend.govuk_style import govuk_date
from services.blocks.transactions import Step, TransactionBlock
from services.forms import GuestContactForm

NOT_GIVEN = "Not given"
DJANGO_REQUIRED = forms.Field.default_error_messages["required"]


def _error_name(label: str) -> str:
    return label.rstrip("?:. ")


# -- the date question ----------------------------------------------------------------


class DateInputWidget(forms.Widget):
    """GOV.UK date input: three text inputs named ``<name>_day``, ``_month``,
    ``_year``. The day input carries the field's own id, so the error summary and
    a label's ``for`` land on it."""

    template_name = "services/forms/date_input.html"
    parts = ("day", "month", "year")

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.error_parts: set[str] = set()

    def __deepcopy__(self, memo):
        copy = super().__deepcopy__(memo)
        copy.error_parts = set()
        return copy

    def value_from_datadict(self, data, files, name):
        return {part: data.get(f"{name}_{part}", "") for part in self.parts}

    def value_omitted_from_data(self, data, files, name):
        return not any(f"{name}_{part}" in data for part in self.parts)

    def format_value(self, value):
        if isinstance(value, dict):
            return {part: str(value.get(part, "")) for part in self.parts}
        if isinstance(value, str) and value:
            try:
                value = datetime.date.fromisoformat(value)
            except ValueError:
                return dict.fromkeys(self.parts, "")
        if isinstance(value, datetime.date):
            return {"day": value.day, "month": value.month, "year": value.year}
        return dict.fromkeys(self.parts, "")

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        base_id = context["widget"]["attrs"].get("id") or f"id_{name}"
        values = self.format_value(value)
        every = not self.error_parts or self.error_parts == set(self.parts)
        context["widget"]["inputs"] = [
            {
                "part": part,
                "label": part.capitalize(),
                "name": f"{name}_{part}",
                "id": base_id if part == "day" else f"{base_id}_{part}",
                "value": values.get(part, ""),
                "width": 4 if part == "year" else 2,
                "error": bool(self.error_parts) and (every or part in self.error_parts),
            }
            for part in self.parts
        ]
        return context


class GovUKDateField(forms.Field):
    """A date from day/month/year with the GOV.UK error messages.

    ``when`` is ``any``, ``past`` (today or earlier) or ``future`` (today or later).
    """

    widget = DateInputWidget
    template_name = "services/forms/date_field.html"

    def __init__(self, *, name: str, when: str = "any", **kwargs):
        self.name = _error_name(name)
        self.when = when
        super().__init__(**kwargs)

    def _fail(self, message: str, parts=("day", "month", "year"), code="invalid"):
        self.widget.error_parts = set(parts)
        raise forms.ValidationError(message, code=code)

    def to_python(self, value):
        if not isinstance(value, dict):
            return None
        parts = {k: str(value.get(k, "")).strip() for k in ("day", "month", "year")}
        missing = [k for k, v in parts.items() if not v]
        if len(missing) == 3:
            if self.required:
                self._fail(f"Enter {self.name.lower()}", code="required")
            return None
        if missing:
            named = " and a ".join(missing) if len(missing) == 2 else missing[0]
            self._fail(f"{self.name} must include a {named}", missing, code="missing")
        if not all(re.fullmatch(r"\d{1,4}", v) for v in parts.values()):
            self._fail(f"{self.name} must be a real date")
        if len(parts["year"]) != 4:
            self._fail("Year must include 4 numbers", ["year"])
        try:
            return datetime.date(
                int(parts["year"]), int(parts["month"]), int(parts["day"])
            )
        except ValueError:
            self._fail(f"{self.name} must be a real date")

    def validate(self, value):
        if value is None:
            return
        today = timezone.localdate()
        if self.when == "past" and value > today:
            self._fail(f"{self.name} must be today or in the past", code="future")
        if self.when == "future" and value < today:
            self._fail(f"{self.name} must be today or in the future", code="past")

    def clean(self, value):
        self.widget.error_parts = set()
        return super().clean(value)


# -- question blocks ------------------------------------------------------------------


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


class AddressForm(GovUKForm):
    line_1 = forms.CharField(
        label="Address line 1",
        max_length=100,
        error_messages={
            "required": "Enter address line 1, typically the building and street",
            "max_length": "Address line 1 must be 100 characters or fewer",
        },
        widget=forms.TextInput(attrs={"autocomplete": "address-line1"}),
    )
    line_2 = forms.CharField(
        label="Address line 2",
        max_length=100,
        required=False,
        error_messages={"max_length": "Address line 2 must be 100 characters or fewer"},
        widget=forms.TextInput(attrs={"autocomplete": "address-line2"}),
    )
    town = forms.CharField(
        label="Town or city",
        max_length=60,
        error_messages={
            "required": "Enter town or city",
            "max_length": "Town or city must be 60 characters or fewer",
        },
        widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
    )
    postcode = forms.CharField(
        label="Postcode",
        max_length=10,
        error_messages={
            "required": "Enter postcode",
            "max_length": "Enter a real postcode, like GU1 4AA",
        },
        widget=forms.TextInput(
            attrs={"autocomplete": "postal-code", "class": "govuk-input--width-10"}
        ),
    )
    uprn = forms.CharField(required=False, widget=forms.HiddenInput, max_length=12)

    def clean_postcode(self):
        postcode = normalise_postcode(self.cleaned_data["postcode"])
        if not postcode:
            raise forms.ValidationError("Enter a real postcode, like GU1 4AA")
        return postcode

    def clean_uprn(self):
        uprn = self.cleaned_data.get("uprn", "")
        if uprn and not uprn.isdigit():
            raise forms.ValidationError("The address was not recognised")
        return uprn


def format_address(stored: dict) -> str:
    parts = [stored.get(k, "") for k in ("line_1", "line_2", "town", "postcode")]
    return ", ".join(p for p in parts if p)


def address_from_profile(user) -> dict | None:
    """The signed-in resident's address from their account, if it has one.

    Read by attribute (``user.resident_profile``) so services need not import the
    accounts app, which depends on services.
    """
    profile = getattr(user, "resident_profile", None) if user.is_authenticated else None
    if not profile or not getattr(profile, "address_line_1", ""):
        return None
    return {
        "line_1": profile.address_line_1,
        "line_2": getattr(profile, "address_line_2", ""),
        "town": getattr(profile, "town", ""),
        "postcode": getattr(profile, "postcode", ""),
        "uprn": getattr(profile, "uprn", ""),
    }


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


class QuestionStreamBlock(blocks.StreamBlock):
    text = TextQuestionBlock()
    long_text = LongTextQuestionBlock(label="Long text")
    choice = ChoiceQuestionBlock()
    date = DateQuestionBlock()
    address = AddressQuestionBlock()
    file = FileQuestionBlock()


def step_name(question, index: int) -> str:
    return f"q-{question.id}" if question.id else f"q{index + 1}"


def question_form_class(question) -> type[forms.Form]:
    return question.block.form_class(question.value)


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
        preview_value = {"heading": "Apply for a new bin"}

    def _questions(self, value):
        """(step name, question) pairs in the editor's order."""
        return [(step_name(q, i), q) for i, q in enumerate(value["questions"])]

    def get_steps(self, value, request, state):
        prefilled = state.get("prefilled", [])
        steps = [
            Step(
                name,
                question.value["label"],
                question_form_class(question),
                hint=value["intro"] if index == 0 else "",
                prefilled=name in prefilled,
            )
            for index, (name, question) in enumerate(self._questions(value))
        ]
        if not request.user.is_authenticated:
            steps.append(Step("contact", "How can we contact you?", GuestContactForm))
        return steps

    def prefill(self, value, request, state):
        address = address_from_profile(request.user)
        if not address:
            return
        for name, question in self._questions(value):
            if question.block_type == "address":
                state["answers"][name] = dict(address)
                state.setdefault("prefilled", []).append(name)

    def clean_step(self, step, form, value, request, state):
        """An address keeps the account's UPRN only while it is the account's
        address (a hidden field is never trusted). A file is stored privately now
        (a session cannot hold it); the state keeps its storage name and what the
        resident called it."""
        question = dict(self._questions(value)).get(step.name)
        if question is None:
            return
        if question.block_type == "address":
            answer = state["answers"][step.name]
            profile = address_from_profile(request.user) or {}
            same = all(
                answer.get(k, "") == profile.get(k)
                for k in ("line_1", "line_2", "town", "postcode")
            )
            answer["uprn"] = profile.get("uprn", "") if same else ""
            return
        upload = form.cleaned_data.get("answer")
        if question.block_type != "file" or upload is None:
            return
        from services.uploads import stored_file

        state["answers"][step.name] = {
            "file": stored_file(upload, token=state["token"])
        }

    def _labelled(self, value, state):
        """(label, question, stored answer, step name); repeated labels numbered."""
        seen: dict[str, int] = {}
        out = []
        for name, question in self._questions(value):
            label = question.value["label"]
            seen[label] = seen.get(label, 0) + 1
            if seen[label] > 1:
                label = f"{label} ({seen[label]})"
            out.append((label, question, state["answers"].get(name, {}), name))
        return out

    def _answers(self, value, state) -> dict:
        return {
            label: question.block.answer(question.value, stored)
            for label, question, stored, _name in self._labelled(value, state)
        }

    def summary_rows(self, value, request, state):
        rows = [
            {
                "key": label,
                "value": question.block.display(question.value, stored),
                "step": name,
            }
            for label, question, stored, name in self._labelled(value, state)
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
        from services.uploads import attach_files

        user = request.user if request.user.is_authenticated else None
        contact = state["answers"].get("contact", {})
        labelled = self._labelled(value, state)
        address = next(
            (s for _l, q, s, _n in labelled if q.block_type == "address" and s), {}
        )
        files = [
            (label, stored["file"])
            for label, question, stored, _n in labelled
            if question.block_type == "file" and stored.get("file")
        ]
        with transaction.atomic():
            case = actions.open_case(
                service=value["service"],
                answers=self._answers(value, state),
                resident=user,
                guest_email="" if user else contact.get("email", ""),
                contact_name="" if user else contact.get("name", ""),
                idempotency_key=token,
                caller=state.caller,
                summary=value["service"].case_type,
                address=format_address(address)[:300],
                postcode=address.get("postcode", "")[:8],
                uprn=address.get("uprn", "")[:12],
            )
            if case.created and files:
                attach_files(
                    case=case,
                    files=[{**file, "question": label} for label, file in files],
                )
        return case
