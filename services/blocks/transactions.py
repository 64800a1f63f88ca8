"""Transactional StreamField blocks: a resident journey that ends in a case.

A page that mixes in ``TransactionPageMixin`` dispatches a POST to the block whose
stable StreamField ``id`` is in the hidden ``transaction_block`` field. The block
follows the hook chain of Wagtail's forms app:

``get_steps()`` → ``get_form_class()`` / ``get_form()`` per step →
``process_submission()`` (calls ``services.actions.open_case``) →
``render_confirmation()``.

Journey state lives on the server (``JourneyStore``): in the session for guests, in
a ``CaseDraft`` row for signed-in residents so they can leave and come back. Each
step is one GET/POST/redirect round trip, so everything works without JavaScript;
``?step=<name>`` chooses the step and ``&change=1`` returns to "check your
answers" afterwards. The final POST carries an idempotency token minted when the
journey started: a double click, a back-and-resubmit or a retried POST opens at
most one case (``Case.idempotency_key`` is unique).

These blocks use the session, the user and CSRF, so ``Meta.cacheable = False``
keeps them out of the page-body fragment cache and ``apply_cache_policy`` marks the
response private.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from django import forms
from django.conf import settings
from django.http import HttpResponseRedirect
from django.utils.functional import cached_property

from wagtail import blocks
from wagtail.snippets.blocks import SnippetChooserBlock

from frontend.forms import GovUKForm
from services.models.cases import CaseDraft

TRANSACTION_FIELD = "transaction_block"
STEP_FIELD = "transaction_step"
CHECK = "check"
DONE = "done"
START = "start"
STOPPED = "stopped"


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


class JourneyStore:
    """Where one resident's answers for one block live between requests."""

    def __init__(self, request, key: str):
        self.request = request
        self.key = key
        self.user = request.user if request.user.is_authenticated else None

    @cached_property
    def _draft(self) -> CaseDraft | None:
        if not self.user:
            return None
        return CaseDraft.objects.filter(user=self.user, journey_key=self.key).first()

    def load(self) -> dict:
        if self.user:
            state = dict(self._draft.state) if self._draft else {}
        else:
            state = dict(self.request.session.get(f"journey:{self.key}", {}))
        state.setdefault("answers", {})
        if not state.get("token"):
            state["token"] = uuid.uuid4().hex
        return state

    def save(self, state: dict) -> None:
        if self.user:
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
        self.request.session.pop(f"journey:{self.key}", None)

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

    def can_use(self, value, request) -> bool:
        service = value["service"]
        return bool(
            service
            and (
                request.user.is_authenticated
                or service.guest_allowed
                or getattr(request, "on_behalf", None)  # services.on_behalf
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

    @staticmethod
    def starts_cacheable(request) -> bool:
        """True for a plain GET of the page by a visitor without a session cookie
        (so certainly not signed in): reading ``request.user`` or the session
        would mark the response private and keep it out of the page cache."""
        return (
            request.method in ("GET", "HEAD")
            and not request.GET.get("step")
            and not getattr(request, "transaction_forms", None)
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
        )

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

    def handle_post(self, request, *, page, value, block_id):
        """Process one step's POST: a redirect when it moves on, else ``None`` with
        the bound form stashed on the request for the re-rendered page."""
        url = page.get_url(request=request) or request.path
        if not self.can_use(value, request):
            return HttpResponseRedirect(url)
        store = JourneyStore(request, self.journey_key(page, block_id))
        state = store.load()
        steps = self.get_steps(value, request, state)
        by_name = {s.name: s for s in steps}
        step_name = request.POST.get(STEP_FIELD, "")
        stash = request.__dict__.setdefault("transaction_forms", {})

        if step_name == CHECK:
            form = CheckAnswersForm(data=request.POST)
            done = store.done()
            if (
                form.is_valid()
                and done
                and form.cleaned_data["token"].hex == done["token"]
            ):
                return HttpResponseRedirect(f"{url}?step={DONE}")
            missing = self.first_incomplete(steps, state)
            if missing != CHECK:
                return HttpResponseRedirect(f"{url}?step={missing}")
            if not form.is_valid() or form.cleaned_data["token"].hex != state["token"]:
                # A stale or tampered token: show the answers again to resend.
                form = CheckAnswersForm(data={"token": state["token"]})
                form.is_valid()
                form.add_error(
                    None,
                    "This form was out of date. Check your answers and send them again.",
                )
                stash[block_id] = (CHECK, form)
                return None
            try:
                case = self.process_submission(
                    value, request, state, token=state["token"]
                )
            except SubmissionStopped as stop:
                state["stop"] = {"title": stop.title, "text": stop.text}
                store.save(state)
                return HttpResponseRedirect(f"{url}?step={STOPPED}")
            store.set_done(
                token=state["token"], reference=case.reference, email=case.contact_email
            )
            store.clear()
            after = self.response_after_submission(value, request, case)
            if after is not None:
                return after
            return HttpResponseRedirect(f"{url}?step={DONE}")

        step = by_name.get(step_name)
        first_missing = self.first_incomplete(steps, state)
        if step is None or not self.earlier_steps_answered(steps, state, step):
            # A forged or stale step name, or a step POSTed before the ones it
            # builds on (Back after submitting, a replayed form): go where GET
            # would, the first unanswered step.
            return HttpResponseRedirect(f"{url}?step={first_missing}")
        form = self.get_form(step, data=request.POST, files=request.FILES)
        if not form.is_valid():
            stash[block_id] = (step.name, form)
            return None
        state["answers"][step.name] = self.serialise(form.cleaned_data)
        state.pop("stop", None)
        try:
            self.clean_step(step, form, value, request, state)
        except forms.ValidationError as error:
            form.add_error(None, error)
            stash[block_id] = (step.name, form)
            return None
        except SubmissionStopped as stop:
            state["stop"] = {"title": stop.title, "text": stop.text}
            store.save(state)
            return HttpResponseRedirect(f"{url}?step={STOPPED}")
        steps = self.get_steps(value, request, state)
        store.save(state)
        if request.POST.get("change") and self.first_incomplete(steps, state) == CHECK:
            return HttpResponseRedirect(f"{url}?step={CHECK}")
        return HttpResponseRedirect(f"{url}?step={self.first_incomplete(steps, state)}")

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
        if self.starts_cacheable(request):
            # A visitor with no session yet: a start button (GOV.UK start page
            # pattern) instead of the first question, so the page starts no
            # session, sets no CSRF cookie and stays in the page cache.
            guest = value["service"].guest_allowed
            context["mode"] = START if guest else "sign_in"
            context["next_url"] = page.get_url(request=request)
            return context
        if not self.can_use(value, request):
            context["mode"] = "sign_in"
            context["next_url"] = page.get_url(request=request)
            return context
        store = JourneyStore(request, self.journey_key(page, block_id))
        state = store.load()
        if not state["answers"]:
            self.prefill(value, request, state)
        steps = self.get_steps(value, request, state)
        requested = request.GET.get("step", "")
        stashed = getattr(request, "transaction_forms", {}).get(block_id)
        if stashed:
            requested = stashed[0]
        context["step_field"] = STEP_FIELD
        context["transaction_field"] = TRANSACTION_FIELD
        context["change"] = request.GET.get("change") or request.POST.get("change")

        if requested == DONE and store.done():
            context["mode"] = DONE
            context["confirmation"] = self.render_confirmation(
                value, request, store.done()
            )
            return context
        if requested == STOPPED and state.get("stop"):
            context["mode"] = STOPPED
            context["stop"] = state["stop"]
            return context
        # Never show a step whose earlier answers are missing.
        first_missing = self.first_incomplete(steps, state)
        names = [s.name for s in steps] + [CHECK]
        if requested not in names or names.index(requested) > names.index(
            first_missing
        ):
            requested = first_missing
            stashed = None
        if not request.session.get(f"journey:{store.key}") and not store.user:
            store.save(state)  # keep the token stable for guests from the first view
        elif store.user and not store._draft and state["answers"]:
            store.save(state)  # answers prefilled from the account
        if requested == CHECK:
            context["mode"] = CHECK
            context["rows"] = self.summary_rows(value, request, state)
            context["prefilled"] = state.get("prefilled", [])
            context["form"] = (
                stashed[1]
                if stashed
                else CheckAnswersForm(initial={"token": state["token"]})
            )
            context["step_name"] = CHECK
            return context
        step = next(s for s in steps if s.name == requested)
        context["mode"] = "step"
        context["step"] = step
        context["step_name"] = step.name
        context["step_number"] = names.index(step.name) + 1
        context["form"] = (
            stashed[1]
            if stashed
            else self.get_form(step, initial=state["answers"].get(step.name))
        )
        previous = names.index(step.name) - 1
        context["back_step"] = names[previous] if previous >= 0 else ""
        return context


class TransactionPageMixin:
    """For page models whose StreamFields may hold ``TransactionBlock``s."""

    transaction_stream_fields = ("body",)

    def find_transaction_block(self, block_id: str):
        for field_name in self.transaction_stream_fields:
            for child in getattr(self, field_name, None) or []:
                if child.id == block_id and isinstance(child.block, TransactionBlock):
                    return child
        return None

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        stashed = getattr(request, "transaction_forms", {})
        if stashed:  # the page title starts "Error:" (home/site_base.html)
            context["form"] = next(iter(stashed.values()))[1]
        return context

    def serve(self, request, *args, **kwargs):
        from services.on_behalf import assisting

        with assisting(request, self) as caller:
            response = self._serve_transactions(request, *args, **kwargs)
            if caller is not None and not getattr(response, "is_rendered", True):
                response.render()  # while the journey still runs for the caller
            return response

    def _serve_transactions(self, request, *args, **kwargs):
        if request.method == "POST" and TRANSACTION_FIELD in request.POST:
            child = self.find_transaction_block(request.POST[TRANSACTION_FIELD])
            if child is None:  # a forged or out-of-date block id
                return HttpResponseRedirect(self.get_url(request=request) or "/")
            response = child.block.handle_post(
                request, page=self, value=child.value, block_id=child.id
            )
            if response is not None:
                return response
        return super().serve(request, *args, **kwargs)
