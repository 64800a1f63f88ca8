"""Transactional StreamField blocks: a resident journey that ends in a case.

A page that mixes in ``TransactionPageMixin`` dispatches a POST to the block whose
stable StreamField ``id`` is in the hidden ``transaction_block`` field. The block
follows the hook chain of Wagtail's forms app:

``get_steps()`` → ``get_form_class()`` / ``get_form()`` per step →
``process_submission()`` (calls ``services.actions.open_case``) →
``render_confirmation()``.

The service page keeps its guidance and shows a start button; the journey runs on
pages of its own under the service page's URL (``<page>/start/``, or
``<page>/start/<block id>/`` for a page's second transaction), served by the same
page through ``TransactionPageMixin.route``: one question per page, with its own
title, a back link and "Question 2 of 5". Journey state lives on the server
(``JourneyStore``): in the session for guests, in a ``CaseDraft`` row for signed-in
residents so they can leave and come back (``services.saved_journeys`` also lets a
guest save theirs and come back through a link sent by email). Each step is one
GET/POST/redirect round trip, so everything works without JavaScript;
``?step=<name>`` chooses the step and ``&change=1`` (from a change link on "check
your answers") returns there afterwards. The final POST carries an idempotency
token minted when the journey started: a double click, a back-and-resubmit or a
retried POST opens at most one case (``Case.idempotency_key`` is unique).

Serving and rendering are apart. While the page is served
(``TransactionPageMixin.serve``) a POST is handled (``handle_post``) and each block's
journey is prepared (``prepare``): loaded, prefilled, and saved when it must be.
Rendering (``get_context``) only reads the prepared ``Journey``, passed down in the
page's context, and picks the view: ``entry_context`` (start button or sign-in),
``done_context``, ``check_context`` or ``step_context``. When contact-centre staff
serve a caller (``services.on_behalf``) the caller is passed explicitly: to the
journey's state (``state.caller``, never saved), which ``process_submission`` hands
to ``open_case(caller=...)``, and to the template (the staff banner).

These blocks use the session, the user and CSRF, so ``Meta.cacheable = False``
keeps them out of the page-body fragment cache. On the service page a block reads
neither the session nor the user of a visitor without a session cookie, so the
page (with its start button) stays cacheable; journey pages, and every POST to
them, are ``private, no-store``.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass, field

from django import forms
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponseRedirect
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.functional import cached_property

from wagtail import blocks
from wagtail.snippets.blocks import SnippetChooserBlock
from wagtail.url_routing import RouteResult

from frontend.forms import GovUKForm
from home.platform.cache import generation_memo
from services.models.cases import CaseDraft
from services.reports.journeys import count_step, count_submitted

TRANSACTION_FIELD = "transaction_block"
STEP_FIELD = "transaction_step"
CHECK = "check"
DONE = "done"
START = "start"
STOPPED = "stopped"
SAVE = "save"  # a guest asks for a link to come back later (services.saved_journeys)
SAVED = "saved"  # ... and is told it is on its way
# The journey's own pages: ``<service page>/start/`` (``TransactionPageMixin.route``).
JOURNEY_SEGMENT = "start"


@dataclass
class Step:
    name: str
    title: str
    form_class: type[forms.Form]
    hint: str = ""
    # Extra keyword arguments for the form (e.g. choices found earlier).
    form_kwargs: dict = field(default_factory=dict)
    prefilled: bool = False  # answered from the resident's account


class CheckAnswersForm(GovUKForm):
    """The final POST: only the idempotency token, checked against the journey."""

    token = forms.UUIDField(widget=forms.HiddenInput)


class JourneyState(dict):
    """One journey's state as the hooks see it: the saved answers and token (the
    dict), and ``caller``, never saved: the caller contact-centre staff are serving
    (``services.on_behalf.Caller``), or ``None``. ``process_submission`` passes it
    to ``services.actions.open_case(caller=state.caller)``."""

    caller = None

    def __init__(self, data=(), *, caller=None):
        super().__init__(data)
        self.caller = caller


class JourneyStore:
    """Where one resident's answers for one block live between requests."""

    def __init__(self, request, key: str, *, caller=None):
        self.request = request
        self.key = key
        self.caller = caller
        self.user = request.user if request.user.is_authenticated else None

    @cached_property
    def _draft(self) -> CaseDraft | None:
        if not self.user:
            return None
        return CaseDraft.objects.filter(user=self.user, journey_key=self.key).first()

    def is_saved(self) -> bool:
        """Whether this journey has been saved (its token is then stable)."""
        if self.user:
            return self._draft is not None
        return bool(self.request.session.get(f"journey:{self.key}"))

    def load(self) -> JourneyState:
        if self.user:
            state = dict(self._draft.state) if self._draft else {}
        else:
            state = dict(self.request.session.get(f"journey:{self.key}", {}))
        state.setdefault("answers", {})
        if not state.get("token"):
            state["token"] = uuid.uuid4().hex
        return JourneyState(state, caller=self.caller)

    def save(self, state: dict) -> None:
        state = dict(state)
        if self.user:
            draft = self.__dict__.get("_draft")
            # The draft this request read: one UPDATE. Otherwise (a new journey,
            # or the draft went meanwhile) find or make it.
            if draft is None or not CaseDraft.objects.filter(pk=draft.pk).update(
                state=state, updated_at=timezone.now()
            ):
                CaseDraft.objects.update_or_create(
                    user=self.user, journey_key=self.key, defaults={"state": state}
                )
            self.__dict__.pop("_draft", None)
        else:
            self.request.session[f"journey:{self.key}"] = state

    def clear(self) -> None:
        if self.user:
            CaseDraft.objects.filter(user=self.user, journey_key=self.key).delete()
            self.__dict__.pop("_draft", None)
        state = self.request.session.pop(f"journey:{self.key}", None)
        if state and state.get("saved_id"):
            from services.saved_journeys import forget_saved

            forget_saved(state)

    # The confirmation survives the cleared journey, for this browser session.
    def set_done(self, *, token: str, reference: str, email: str) -> None:
        self.request.session[f"journey-done:{self.key}"] = {
            "token": token,
            "reference": reference,
            "email": email,
        }

    def done(self) -> dict | None:
        return self.request.session.get(f"journey-done:{self.key}")


class SubmissionStopped(Exception):
    """A journey cannot continue (e.g. the bin round is not finished): say why,
    create no case."""

    def __init__(self, title: str, text: str):
        super().__init__(text)
        self.title = title
        self.text = text


@dataclass
class Bound:
    """A step's POSTed form that did not validate, to show again with its errors."""

    step: str
    form: forms.Form


@dataclass
class Journey:
    """One block's journey on one request, prepared while the page is served and
    only read while it renders."""

    store: JourneyStore
    state: JourneyState
    steps: list[Step]
    bound: Bound | None = None
    shown: str = ""  # done, stopped, check or a step's name
    value: object = None  # the block value the journey runs on (journey_value)

    @property
    def names(self) -> list[str]:
        return [s.name for s in self.steps] + [CHECK]


class TransactionBlock(blocks.StructBlock):
    """Base for every transactional block: override the hooks, not ``handle``."""

    service = SnippetChooserBlock(
        "services.ServiceDefinition",
        help_text="The service this journey opens cases for (team, SLA, workflow).",
    )
    heading = blocks.CharBlock(required=False, max_length=120)

    class Meta:
        group = "Transactions"
        icon = "form"
        template = "services/blocks/transaction.html"
        cacheable = False
        description = "A resident journey that creates a case for a service."

    # -- hooks --------------------------------------------------------------------
    def get_steps(self, value, request, state) -> list[Step]:
        raise NotImplementedError

    def get_form_class(self, step: Step) -> type[forms.Form]:
        return step.form_class

    def get_form(self, step: Step, *, data=None, files=None, initial=None):
        return self.get_form_class(step)(
            data=data, files=files, initial=initial, **step.form_kwargs
        )

    def clean_step(self, step: Step, form, value, request, state) -> None:
        """Called after a step validates; may raise ``SubmissionStopped`` or add
        derived answers to ``state``."""

    def prefill(self, value, request, state) -> None:
        """Fill answers from the resident's account when the journey starts."""

    def journey_value(self, value, request, state, *, page, block_id):
        """The block value this journey runs on: the page's own, unless the block
        keeps the version a journey started on in ``state`` (the editor-built
        form does, so a republish does not change questions under a resident)."""
        return value

    def summary_rows(self, value, request, state) -> list[dict]:
        """Rows for "check your answers": key, value, step (for the change link)."""
        rows = []
        for step in self.get_steps(value, request, state):
            form = self.get_form(step)
            answers = state["answers"].get(step.name, {})
            for name, form_field in form.fields.items():
                if isinstance(form_field.widget, forms.HiddenInput):
                    continue
                raw = answers.get(name, "")
                choices = dict(getattr(form_field, "choices", []) or [])
                rows.append(
                    {
                        "key": form_field.label,
                        "value": choices.get(raw, raw) or "Not given",
                        "step": step.name,
                    }
                )
        return rows

    def process_submission(self, value, request, state, *, token: str):
        """Open the case (``services.actions.open_case``); return it."""
        raise NotImplementedError

    def response_after_submission(self, value, request, case):
        """A response instead of the confirmation, e.g. a redirect to a payment
        provider's page; ``None`` shows the confirmation."""
        return None

    def render_confirmation(self, value, request, done: dict) -> dict:
        """Context for the confirmation panel."""
        return {
            "title_text": "Request submitted",
            "reference": done["reference"],
            "email": done.get("email", ""),
        }

    # -- machinery ----------------------------------------------------------------
    @staticmethod
    def journey_key(page, block_id: str) -> str:
        return f"{page.pk}:{block_id}"

    def can_use(self, value, request, caller=None) -> bool:
        service = value["service"]
        return bool(
            service
            and (
                request.user.is_authenticated
                or service.guest_allowed
                or caller is not None  # staff serving a caller (services.on_behalf)
            )
        )

    @staticmethod
    def serialise(cleaned_data: dict) -> dict:
        out = {}
        for key, val in cleaned_data.items():
            if hasattr(val, "isoformat"):
                val = val.isoformat()
            elif val is not None and not isinstance(
                val, str | int | float | bool | list
            ):
                val = str(val)
            out[key] = val
        return out

    def first_incomplete(self, steps, state) -> str:
        for step in steps:
            if step.name not in state["answers"]:
                return step.name
        return CHECK

    @staticmethod
    def earlier_steps_answered(steps, state, step) -> bool:
        """True when every step before ``step`` has an answer, so its checks
        (which read earlier answers) can run."""
        for earlier in steps:
            if earlier.name == step.name:
                return True
            if earlier.name not in state["answers"]:
                return False
        return False

    # -- serving: every write to the journey happens here, before rendering ------
    def handle_post(self, request, *, page, value, block_id, caller=None):
        """Process one step's POST: a redirect when it moves on, else a ``Bound``
        form (with its errors) for the page to show again."""
        url = page.journey_url(block_id, request=request)
        if not self.can_use(value, request, caller):
            return HttpResponseRedirect(url)
        store = JourneyStore(request, self.journey_key(page, block_id), caller=caller)
        state = store.load()
        value = self.journey_value(value, request, state, page=page, block_id=block_id)
        steps = self.get_steps(value, request, state)
        step_name = request.POST.get(STEP_FIELD, "")
        if step_name == CHECK:
            return self._post_answers(
                request, url, value, store, state, steps, page=page, block_id=block_id
            )
        if step_name == SAVE:
            from services.saved_journeys import post_save_for_later

            return post_save_for_later(
                request, url, store=store, state=state, page=page, value=value
            )
        return self._post_step(request, url, value, store, state, steps, step_name)

    def _post_answers(
        self, request, url, value, store, state, steps, *, page, block_id
    ):
        """The final POST from "check your answers": open the case once."""
        form = CheckAnswersForm(data=request.POST)
        valid = form.is_valid()
        done = store.done()
        if valid and done and form.cleaned_data["token"].hex == done["token"]:
            return HttpResponseRedirect(f"{url}?step={DONE}")  # sent already
        missing = self.first_incomplete(steps, state)
        if missing != CHECK:
            return HttpResponseRedirect(f"{url}?step={missing}")
        if not valid or form.cleaned_data["token"].hex != state["token"]:
            # A stale or tampered token: show the answers again to resend.
            form = CheckAnswersForm(data={"token": state["token"]})
            form.is_valid()
            form.add_error(
                None,
                "This form was out of date. Check your answers and send them again.",
            )
            return Bound(CHECK, form)
        try:
            case = self.process_submission(value, request, state, token=state["token"])
        except SubmissionStopped as stop:
            return self._stop(url, store, state, stop)
        store.set_done(
            token=state["token"], reference=case.reference, email=case.contact_email
        )
        store.clear()
        count_submitted(page=page, block_id=block_id)
        after = self.response_after_submission(value, request, case)
        if after is not None:  # e.g. on to the payment provider's card page
            return after
        return HttpResponseRedirect(f"{url}?step={DONE}")

    def _post_step(self, request, url, value, store, state, steps, step_name):
        """One question's POST: keep the answer and go to the next unanswered step."""
        step = {s.name: s for s in steps}.get(step_name)
        if step is None or not self.earlier_steps_answered(steps, state, step):
            # A forged or stale step name, or a step POSTed before the ones it
            # builds on (Back after submitting, a replayed form): go where GET
            # would, the first unanswered step.
            missing = self.first_incomplete(steps, state)
            return HttpResponseRedirect(f"{url}?step={missing}")
        form = self.get_form(step, data=request.POST, files=request.FILES)
        if not form.is_valid():
            return Bound(step.name, form)
        state["answers"][step.name] = self.serialise(form.cleaned_data)
        state.pop("stop", None)
        try:
            self.clean_step(step, form, value, request, state)
        except forms.ValidationError as error:
            form.add_error(None, error)
            return Bound(step.name, form)
        except SubmissionStopped as stop:
            return self._stop(url, store, state, stop)
        store.save(state)
        steps = self.get_steps(value, request, state)
        following = self.first_incomplete(steps, state)
        if following != CHECK and request.POST.get("change"):
            # A changed answer opened a new question: ask it, then back to check.
            return HttpResponseRedirect(f"{url}?step={following}&change=1")
        return HttpResponseRedirect(f"{url}?step={following}")

    @staticmethod
    def _stop(url, store, state, stop: SubmissionStopped):
        state["stop"] = {"title": stop.title, "text": stop.text}
        store.save(state)
        return HttpResponseRedirect(f"{url}?step={STOPPED}")

    def prepare(self, request, *, page, value, block_id, caller=None, bound=None):
        """The ``Journey`` this block shows on this request, or ``None`` when it
        shows no journey (a start button, sign-in or nothing). Runs while the page
        is served, before it renders: a guest's first view keeps the journey (so
        its token stays the same) and answers prefilled from the resident's
        account are kept."""
        return self._prepare(
            request,
            page=page,
            value=value,
            block_id=block_id,
            caller=caller,
            bound=bound,
            save=True,
        )

    def _prepare(self, request, *, page, value, block_id, caller, bound, save):
        if not value["service"] or not block_id:
            return None
        if not self.can_use(value, request, caller):
            return None
        store = JourneyStore(request, self.journey_key(page, block_id), caller=caller)
        state = store.load()
        value = self.journey_value(value, request, state, page=page, block_id=block_id)
        if not state["answers"]:
            self.prefill(value, request, state)
        steps = self.get_steps(value, request, state)
        journey = Journey(
            store=store, state=state, steps=steps, bound=bound, value=value
        )
        journey.shown = self.step_to_show(request, journey)
        if (
            save
            and journey.shown not in (DONE, STOPPED)
            and not store.is_saved()
            and (not store.user or state["answers"])
        ):
            store.save(state)
        if save and journey.shown not in (DONE, STOPPED, SAVE, SAVED):
            count_step(  # where residents give up (services.reports.journeys)
                page=page,
                block_id=block_id,
                step=journey.shown,
                form=journey.bound.form if journey.bound else None,
                check=journey.shown == CHECK,
            )
        return journey

    def step_to_show(self, request, journey) -> str:
        """``done``, ``stopped``, ``check`` or a step's name: what was asked for
        (``?step=``, or the step whose POST did not validate), never a step whose
        earlier answers are missing."""
        requested = journey.bound.step if journey.bound else request.GET.get("step", "")
        if requested == DONE and journey.store.done():
            return DONE
        if requested == STOPPED and journey.state.get("stop"):
            return STOPPED
        if requested in (SAVE, SAVED) and self.can_save_for_later(journey):
            return requested
        first_missing = self.first_incomplete(journey.steps, journey.state)
        names = journey.names
        if requested not in names or names.index(requested) > names.index(
            first_missing
        ):
            journey.bound = None
            return first_missing
        return requested

    @staticmethod
    def can_save_for_later(journey) -> bool:
        """Guests may ask for a link to come back (signed-in residents' answers
        are saved as they go); never staff serving a caller."""
        return journey.store.user is None and journey.state.caller is None

    def question_count(self, value, request, state, steps) -> int | None:
        """How many questions the route has, for "Question 2 of 5"; ``None`` where
        the route is not known yet (e.g. a later answer decides which questions
        follow), and the caption is left out."""
        return len(steps)

    # -- rendering: reads the prepared journey, writes nothing -------------------
    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        parent_context = parent_context or {}
        request = parent_context.get("request")
        page = parent_context.get("page")
        block_id = parent_context.get("block_id")
        context["block_id"] = block_id
        if request is None or page is None or not block_id or not value["service"]:
            context["mode"] = "unavailable"
            return context
        journeys = parent_context.get("journeys")
        journey = journeys.get(block_id) if journeys else None
        if journey is None:  # the service page: its start button
            caller = parent_context.get("caller")
            return context | self.entry_context(
                value, request, page, block_id, caller=caller
            )
        if journey.value is not None:  # the form version the journey began on
            context["value"] = value = journey.value
        context |= self.journey_context(value, request, page, block_id, journey)
        context["caller"] = journey.state.caller
        return context

    def journey_context(self, value, request, page, block_id, journey) -> dict:
        """What a journey page shows: the view (``done_context``,
        ``check_context``, ``step_context`` ...), its ``journey_heading`` (the page's
        ``<title>`` and ``h1``) and ``back_url``."""
        journey_url = page.journey_url(block_id, request=request)
        service_url = page.get_url(request=request) or "/"
        context = {
            "step_field": STEP_FIELD,
            "transaction_field": TRANSACTION_FIELD,
            "change": request.GET.get("change") or request.POST.get("change"),
            "journey_url": journey_url,
            "service_url": service_url,
            "service_name": value["heading"] or page.title,
            "can_save": self.can_save_for_later(journey),
        }
        if journey.shown == DONE:
            return context | self.done_context(value, request, journey)
        if journey.shown == STOPPED:
            stop = journey.state["stop"]
            return context | {
                "mode": STOPPED,
                "stop": stop,
                "journey_heading": stop["title"],
                "back_url": f"{journey_url}?step={CHECK}",
            }
        if journey.shown in (SAVE, SAVED):
            from services.saved_journeys import save_context

            return context | save_context(request, journey, journey_url)
        if journey.shown == CHECK:
            return context | self.check_context(value, request, journey, journey_url)
        return context | self.step_context(
            value, request, journey, journey_url, service_url, context["change"]
        )

    def entry_context(self, value, request, page, block_id, caller=None) -> dict:
        """The service page's start button (GOV.UK start page pattern), leading to
        the journey's own pages. A visitor with no session cookie is certainly not
        signed in: the page then reads neither the user nor the session, so it
        sets no cookie and stays in the page cache. A service residents must sign
        in for asks them to, and sign-in leads on to the journey."""
        journey_url = page.journey_url(block_id, request=request)
        signed_in = settings.SESSION_COOKIE_NAME in request.COOKIES and (
            request.user.is_authenticated
        )
        start = signed_in or value["service"].guest_allowed or caller is not None
        return {
            "mode": START if start else "sign_in",
            "start_url": journey_url,
            "next_url": journey_url,
            "signed_in": signed_in,
        }

    def done_context(self, value, request, journey) -> dict:
        confirmation = self.render_confirmation(value, request, journey.store.done())
        return {
            "mode": DONE,
            "confirmation": confirmation,
            "journey_heading": confirmation.get("title_text") or "Request submitted",
        }

    def check_context(self, value, request, journey, journey_url="") -> dict:
        state = journey.state
        names = journey.names
        return {
            "mode": CHECK,
            "journey_heading": "Check your answers before sending your request",
            "rows": caller_rows(self.summary_rows(value, request, state), state.caller),
            "prefilled": state.get("prefilled", []),
            "form": journey.bound.form
            if journey.bound
            else CheckAnswersForm(initial={"token": state["token"]}),
            "step_name": CHECK,
            "back_url": f"{journey_url}?step={names[-2]}" if len(names) > 1 else "",
        }

    def step_context(
        self, value, request, journey, journey_url="", service_url="", change=None
    ) -> dict:
        step = next(s for s in journey.steps if s.name == journey.shown)
        names = journey.names
        previous = names.index(step.name) - 1
        if change:
            back_url = f"{journey_url}?step={CHECK}"
        elif previous >= 0:
            back_url = f"{journey_url}?step={names[previous]}"
        else:
            back_url = service_url
        count = self.question_count(value, request, journey.state, journey.steps)
        return {
            "mode": "step",
            "step": step,
            "step_name": step.name,
            "journey_heading": step.title,
            "step_number": names.index(step.name) + 1,
            "question_count": count,
            "form": journey.bound.form
            if journey.bound
            else self.get_form(step, initial=journey.state["answers"].get(step.name)),
            "back_step": names[previous] if previous >= 0 else "",
            "back_url": back_url,
        }


def caller_rows(rows: list[dict], caller) -> list[dict]:
    """On a journey staff run for a caller (``services.on_behalf``), the contact
    rows of "check your answers" are what the caller told staff: their name and
    only the ways of reaching them they gave, never an empty row."""
    if caller is None:
        return rows
    given = [
        ("Caller", caller.name),
        ("Email address", caller.email),
        ("Phone number", caller.phone),
        ("Contacted us by", caller.channel_label),
    ]
    return [row for row in rows if row.get("step") != "contact"] + [
        {"key": key, "value": value} for key, value in given if value
    ]


class TransactionPageMixin:
    """For page models whose StreamFields may hold ``TransactionBlock``s.

    The page itself shows its guidance and each transaction's start button; each
    journey runs at ``<page>/start/`` (the page's first transaction) or
    ``<page>/start/<block id>/`` (any of them), routed to this same page with
    Wagtail's documented ``route()``/``RouteResult`` and rendered with
    ``journey_template``: one question per page, no guidance repeated.
    """

    transaction_stream_fields = ("body",)
    journey_template = "services/pages/journey_page.html"

    def transaction_blocks(self):
        """The transactional children of the page's streams: this worker's
        parsed copy when the page has one (``_keep_transactions_parsed``), else
        found from the raw stream data, so the other blocks are not loaded (their
        snippets and pages are fetched only if the body is rendered, usually from
        the cache)."""
        served = self.__dict__.get("_served_transactions")
        if served is not None:
            yield from served
            return
        for field_name in self.transaction_stream_fields:
            stream = getattr(self, field_name, None) or []
            child_blocks = getattr(
                getattr(stream, "stream_block", None), "child_blocks", None
            )
            if child_blocks is None:
                yield from (c for c in stream if isinstance(c.block, TransactionBlock))
                continue
            for index, item in enumerate(stream.raw_data):
                if isinstance(child_blocks.get(item.get("type")), TransactionBlock):
                    yield stream[index]

    def _keep_transactions_parsed(self, request) -> None:
        """Read this page's transactions from the copy this worker parsed before.

        A journey step needs only its block, but parsing the stream (every
        question, and a query for each block's service definition) costs more
        than the rest of the step. The parsed blocks are kept per page, per
        content of its streams and per page-cache generation
        (``home.platform.cache.generation_memo``): publishing, or changing a
        service definition, starts a new generation; a changed stream is a new
        key. Previews show a draft and never use it. The blocks are shared by
        this worker's requests: journeys read them and never change them.
        """
        if getattr(request, "is_preview", False) or self.pk is None:
            return
        raw = [
            list(getattr(self, name).raw_data)
            for name in self.transaction_stream_fields
            if getattr(self, name, None) is not None
        ]
        fingerprint = hashlib.blake2b(
            json.dumps(raw, cls=DjangoJSONEncoder).encode(), digest_size=16
        ).hexdigest()
        self._served_transactions = generation_memo(
            f"transactions:{self.pk}:{fingerprint}",
            lambda: list(self.transaction_blocks()),
        )

    def find_transaction_block(self, block_id: str):
        return next((c for c in self.transaction_blocks() if c.id == block_id), None)

    def journey_url(self, block_id: str, request=None) -> str:
        """Where the block's journey runs: ``start/`` for the page's first
        transaction, ``start/<block id>/`` for any other."""
        base = self.get_url(request=request) or "/"
        first = next(self.transaction_blocks(), None)
        if first is not None and first.id == block_id:
            return f"{base}{JOURNEY_SEGMENT}/"
        return f"{base}{JOURNEY_SEGMENT}/{block_id}/"

    def route(self, request, path_components):
        if (
            path_components
            and path_components[0] == JOURNEY_SEGMENT
            and len(path_components) <= 2
            and self.live
        ):
            block_id = path_components[1] if len(path_components) == 2 else ""
            return RouteResult(self, kwargs={"journey_block": block_id})
        return super().route(request, path_components)

    def get_template(self, request, *args, journey_block=None, **kwargs):
        if journey_block is not None:
            return self.journey_template
        return super().get_template(request, *args, **kwargs)

    def get_context(
        self,
        request,
        *args,
        journeys=None,
        caller=None,
        journey_block=None,
        **kwargs,
    ):
        context = super().get_context(request, *args, **kwargs)
        context["journeys"] = journeys
        context["caller"] = caller  # the page's staff banner and header
        bound = next(
            (j.bound for j in (journeys or {}).values() if j and j.bound), None
        )
        if bound:  # the page title starts "Error:" (home/site_base.html)
            context["form"] = bound.form
        if journey_block is not None:
            context |= self.journey_page_context(request, context, journey_block)
        return context

    def journey_page_context(self, request, context, block_id) -> dict:
        """The journey's own page: the block's view rendered once (its title and
        back link are the page's), with the CSRF token its form needs."""
        from django.template.context_processors import csrf
        from django.template.loader import render_to_string

        child = self.find_transaction_block(block_id)
        parent = dict(context) | {"block_id": block_id, "request": request}
        block_context = child.block.get_context(child.value, parent_context=parent)
        block_context |= csrf(request)
        return {
            "journey": block_context,
            "journey_title": block_context.get("journey_heading", ""),
            "journey_back_url": block_context.get("back_url", ""),
            "journey_html": render_to_string(
                # A block may choose its template by its value (an editor's form
                # with a payment step confirms what was paid).
                child.block.get_template(
                    block_context.get("value", child.value), context=block_context
                ),
                block_context,
            ),
        }

    def serve(self, request, *args, **kwargs):
        from services.on_behalf import assisting

        with assisting(request, self) as caller:
            response = self._serve_transactions(request, *args, caller=caller, **kwargs)
            if caller is not None and not getattr(response, "is_rendered", True):
                response.render()  # while the journey still runs for the caller
        if kwargs.get("journey_block") is not None or (
            request.method == "POST" and TRANSACTION_FIELD in request.POST
        ):
            # Answers, a token and who is asking: never stored by a cache.
            patch_cache_control(response, private=True, no_store=True)
        return response

    def _journey_block(self, request, journey_block: str | None):
        """The transaction this request is for: named by the URL on a journey
        page, by the hidden field of a form posted to the page itself (a form
        opened before the journey had pages of its own)."""
        if journey_block is None:
            if request.method == "POST" and TRANSACTION_FIELD in request.POST:
                return self.find_transaction_block(request.POST[TRANSACTION_FIELD])
            return None
        if journey_block:
            return self.find_transaction_block(journey_block)
        return next(self.transaction_blocks(), None)

    def _serve_transactions(self, request, *args, caller=None, **kwargs):
        journey_block = kwargs.get("journey_block")
        posted = request.method == "POST" and TRANSACTION_FIELD in request.POST
        if journey_block is None and not posted:
            return super().serve(request, *args, caller=caller, **kwargs)
        self._keep_transactions_parsed(request)
        child = self._journey_block(request, journey_block)
        if child is None:
            if journey_block:  # no such transaction on this page
                raise Http404
            return HttpResponseRedirect(self.get_url(request=request) or "/")
        if posted and request.POST[TRANSACTION_FIELD] != child.id:
            # A forged or out-of-date block id
            return HttpResponseRedirect(self.get_url(request=request) or "/")
        bound = None
        if posted:
            outcome = child.block.handle_post(
                request, page=self, value=child.value, block_id=child.id, caller=caller
            )
            if not isinstance(outcome, Bound):
                return outcome
            bound = outcome
        journey = child.block.prepare(
            request,
            page=self,
            value=child.value,
            block_id=child.id,
            caller=caller,
            bound=bound,
        )
        if journey is None:  # sign-in needed, or nothing to run
            return self._no_journey(request, child)
        kwargs["journey_block"] = child.id
        return super().serve(
            request, *args, journeys={child.id: journey}, caller=caller, **kwargs
        )

    def _no_journey(self, request, child):
        """A journey nobody may run here: sign in first (and come back), or back
        to the service page when it cannot run at all."""
        from urllib.parse import urlencode

        from django.urls import reverse

        service = child.value["service"]
        if service and not request.user.is_authenticated:
            login = reverse("account_login")
            query = urlencode({"next": self.journey_url(child.id, request=request)})
            return HttpResponseRedirect(f"{login}?{query}")
        return HttpResponseRedirect(self.get_url(request=request) or "/")
