"""Journey 3: a service an editor composes from question blocks, no developer needed.

The ``EditorFormBlock`` sits on a service page, so it is previewed, versioned and
moderated like the page (Wagtail revisions and workflows). Each question is one
page (GOV.UK "one thing per page"); an "add another" question takes two
(``repeating``). Step names come from the questions' stable StreamField ids, so an
editor reordering questions while someone is half-way through cannot pour an
answer into the wrong question, and a journey keeps the version of the form it
started on (``versions``). The route is worked out from the answers so far
(``branching``): questions whose condition is not met, or that a jump passes
over, are not asked and their answers go nowhere. A declaration the editor
writes is accepted on check your answers and recorded on the case. The answers are stored on the case under the questions'
labels; case type, team, SLA and workflow come from the chosen service
definition.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from wagtail import blocks
from wagtail.blocks.stream_block import StreamBlockValidationError
from wagtail.blocks.struct_block import StructBlockValidationError

from services.blocks.bookings import PaidJourneyMixin, booking_confirmation
from services.blocks.editor_form import branching, versions
from services.blocks.editor_form.fields import address_from_profile, format_address
from services.blocks.editor_form.repeating import ITEMS, MORE, plural_title
from services.blocks.editor_form.stream import QuestionStreamBlock
from services.blocks.pay_steps import after_case_opened
from services.blocks.transactions import STEP_FIELD, Step, TransactionBlock
from services.forms import GuestContactForm

GROUP = "add_another"
PAY_STEPS = ("payment", "booking")


def step_name(question, index: int) -> str:
    return f"q-{question.id}" if question.id else f"q{index + 1}"


def question_form_class(question) -> type[forms.Form]:
    return question.block.form_class(question.value)


class QuestionStep(Step):
    """A question's step whose form class is built when first used: a request
    works out the whole route but shows (or validates) one step, so the other
    questions' forms are never built."""

    def __init__(self, name, title, question, **kwargs):
        self._question = question
        self._form_class = None
        super().__init__(name, title, None, **kwargs)

    @property
    def form_class(self) -> type[forms.Form]:
        if self._form_class is None:
            self._form_class = question_form_class(self._question)
        return self._form_class

    @form_class.setter
    def form_class(self, value) -> None:
        if value is not None:
            self._form_class = value


def _removal(request, name: str, items: list) -> int | None:
    """The item number a remove link (GET) or its confirmation (POST) names."""
    data = request.POST if request.method == "POST" else request.GET
    asked = data.get(STEP_FIELD) if request.method == "POST" else data.get("step")
    if asked != name + MORE:
        return None
    try:
        number = int(data.get("remove", ""))
    except ValueError:
        return None
    return number if 1 <= number <= len(items) else None


class EditorFormBlock(PaidJourneyMixin, TransactionBlock):
    intro = blocks.TextBlock(
        required=False, help_text="Shown above the first question."
    )
    questions = QuestionStreamBlock(min_num=1)
    declaration = blocks.TextBlock(
        required=False,
        help_text="What the resident declares before sending, e.g. I declare that "
        "the information I have given is correct. Shown on check your answers "
        "under “Now send your application”; the case records the text "
        "accepted and when.",
    )

    class Meta:
        group = "Transactions"
        icon = "form"
        template = "services/blocks/transaction.html"
        cacheable = False
        label = "Form service (built by editors)"
        description = "A service made of questions; each request becomes a case."
        preview_value = {"heading": "Apply for a new bin"}

    def clean(self, value):
        """Conditions must name an earlier question and one of its options;
        jumps a later question and, where there are options, one of them."""
        value = super().clean(value)
        questions = value["questions"]
        errors: dict[int, dict] = {}
        for child, found in (
            ("show_when", branching.condition_errors(questions)),
            ("go_to", branching.jump_errors(questions)),
        ):
            for index, message in found.items():
                errors.setdefault(index, {})[child] = ValidationError(message)
        if errors:
            raise StructBlockValidationError(
                block_errors={
                    "questions": StreamBlockValidationError(
                        block_errors={
                            index: StructBlockValidationError(block_errors=children)
                            for index, children in errors.items()
                        }
                    )
                }
            )
        return value

    def journey_value(self, value, request, state, *, page, block_id):
        return versions.pinned_value(
            value, request, state, page=page, block_id=block_id
        )

    def _questions(self, value):
        """(step name, question) pairs in the editor's order."""
        return [(step_name(q, i), q) for i, q in enumerate(value["questions"])]

    def _route(self, value, state):
        """The questions asked, given the answers so far."""
        return branching.route(self._questions(value), state["answers"])

    def question_count(self, value, request, state, steps):
        """The length of the route the answers so far settle; ``None`` (no "of
        M") while a question still to be answered decides which follow."""
        if branching.route_known(self._questions(value), state["answers"]):
            return len(steps)
        return None

    def check_context(self, value, request, journey, journey_url=""):
        context = super().check_context(value, request, journey, journey_url)
        return context | {"declaration": value.get("declaration") or ""}

    def get_steps(self, value, request, state):
        prefilled = state.get("prefilled", [])
        steps = []
        for index, (name, question) in enumerate(self._route(value, state)):
            intro = value["intro"] if index == 0 else ""
            if question.block_type == GROUP:
                steps += self._group_steps(name, question, request, state, intro)
                continue
            steps.append(
                QuestionStep(
                    name,
                    question.value["label"],
                    question,
                    hint=intro,
                    prefilled=name in prefilled,
                )
            )
        if not request.user.is_authenticated:
            steps.append(Step("contact", "How can we contact you?", GuestContactForm))
        return steps

    def _group_steps(self, name, question, request, state, intro) -> list[Step]:
        block, group = question.block, question.value
        items = state["answers"].get(name + ITEMS, [])
        title = f"Add another {group['item_name']}" if items else group["label"]
        item = Step(name, title, block.item_form_class(group), hint=intro)
        number = _removal(request, name, items)
        if number is not None:
            more = Step(
                name + MORE,
                f"Remove {group['item_name']} {number}",
                block.remove_form_class(group, items, number),
            )
        else:
            more = Step(
                name + MORE,
                plural_title(group, len(items)),
                block.more_form_class(group, items, name),
            )
        return [item, more]

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
        resident called it. An "add another" item joins its list."""
        questions = dict(self._questions(value))
        if step.name.endswith(MORE) and step.name[: -len(MORE)] in questions:
            return self._clean_more(step.name[: -len(MORE)], form, state)
        question = questions.get(step.name)
        if question is None:
            return
        if hasattr(question.block, "clean_answer"):  # a booking step holds its place
            question.block.clean_answer(question.value, form, request, state, step.name)
            return
        answers = state["answers"]
        if question.block_type == GROUP:
            answers.setdefault(step.name + ITEMS, []).append(answers[step.name])
            answers[step.name] = {}  # asked: Back shows an empty item form
            return
        if question.block_type == "address":
            answer = answers[step.name]
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

        answers[step.name] = {"file": stored_file(upload, token=state["token"])}

    @staticmethod
    def _clean_more(name, form, state):
        """The list page: add another (ask for a new item), remove one (after
        "Are you sure?"), or carry on."""
        answers, data = state["answers"], form.cleaned_data
        items = answers.setdefault(name + ITEMS, [])
        if "confirm" in data:  # a removal was confirmed, or not
            if data["confirm"] == "Yes":
                del items[data["remove"] - 1]
            answers.pop(name + MORE, None)  # back to the list
            if not items:
                answers.pop(name, None)
        elif data.get("more") == "Yes":
            answers.pop(name, None)
            answers.pop(name + MORE, None)

    def _stored(self, name, question, state):
        if question.block_type == GROUP:
            return state["answers"].get(name + ITEMS, [])
        return state["answers"].get(name, {})

    def _labelled(self, value, state):
        """(label, question, stored answer, step name) for the questions on the
        route; repeated labels numbered."""
        seen: dict[str, int] = {}
        out = []
        for name, question in self._route(value, state):
            label = question.value["label"]
            seen[label] = seen.get(label, 0) + 1
            if seen[label] > 1:
                label = f"{label} ({seen[label]})"
            step = name + MORE if question.block_type == GROUP else name
            out.append((label, question, self._stored(name, question, state), step))
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
        from services.models import Case
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
            if case.created:
                recorded = {"form_version": state.get(versions.VERSION_KEY)}
                if value.get("declaration"):
                    # The words the resident accepted, as they read them.
                    recorded |= {
                        "declaration": value["declaration"],
                        "declaration_accepted_at": timezone.now(),
                    }
                Case.objects.filter(pk=case.pk).update(**recorded)
                for field_name, field_value in recorded.items():
                    setattr(case, field_name, field_value)
            if case.created and files:
                attach_files(
                    case=case,
                    files=[{**file, "question": label} for label, file in files],
                )
        route = self._route(value, state)
        if any(q.block_type in PAY_STEPS for _name, q in route):
            after_case_opened(
                route, case, state, request, answers=self._answers(value, state)
            )
        return case

    def get_template(self, value=None, context=None):
        """A form with payment or booking steps confirms what was paid and booked,
        and offers to pay again when the card was declined."""
        if value and any(q.block_type in PAY_STEPS for q in value["questions"]):
            return "services/blocks/booked_transaction.html"
        return super().get_template(value, context)

    def render_confirmation(self, value, request, done):
        context = super().render_confirmation(value, request, done)
        if not any(q.block_type in PAY_STEPS for q in value["questions"]):
            return context
        paid = booking_confirmation(done)
        return paid | {
            "title_text": {
                "booked": "Booking confirmed",
                "unpaid": "Your payment was not taken",
                "refunded": "Your payment has been refunded",
            }.get(paid.get("state"), "Request received")
        }
