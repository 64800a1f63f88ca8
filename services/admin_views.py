"""Staff case work in the Wagtail admin: the queue list and the case page.

Every read starts from ``Case.objects.for_staff(request.user)``: staff see the
queues of the teams their groups form, partner users only the cases routed to
their partner group, superusers everything. A case outside that is a 404. Every
change goes through ``services.actions``, so each is a timeline entry.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.core.validators import RegexValidator
from django.db.models import Q
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from frontend.redirects import next_from
from personalisation.models import Ward
from services import actions, case_export, contacts, deadlines, on_behalf
from services.contact_forms import HandoverForm, QuickInteractionForm
from services.enums import CLOSED_STATUSES, CaseStatus, Channel
from services.forms import (
    AssignForm,
    DeadlineActionForm,
    NoteForm,
    StatusChangeForm,
)
from services.models import (
    Case,
    CaseEvent,
    CaseSatisfaction,
    NotifyMessage,
    ServiceDefinition,
)
from services.visibility import CaseVisibility

CASES_PER_PAGE = 50


def works_cases(user) -> bool:
    """Staff of a team that owns a service, members of a partner group,
    contact-centre staff who open cases for callers, or a superuser."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser or on_behalf.can_open_on_behalf(user):
        return True
    return user.groups.filter(
        Q(service_definitions__isnull=False) | Q(partner__isnull=False)
    ).exists()


def _require_case_worker(request):
    if not works_cases(request.user):
        raise PermissionDenied


class CaseFilterForm(forms.Form):
    q = forms.CharField(label="Search", required=False, max_length=100)
    team = forms.ModelChoiceField(
        queryset=Group.objects.none(), required=False, label="Queue"
    )
    service = forms.ModelChoiceField(
        queryset=ServiceDefinition.objects.none(), required=False
    )
    status = forms.ChoiceField(
        choices=[("", "Open"), ("all", "Any")] + list(CaseStatus.choices),
        required=False,
    )
    overdue = forms.BooleanField(required=False, label="Overdue only")
    channel = forms.ChoiceField(
        choices=[("", "Any")] + list(Channel.choices), required=False
    )
    assignee = forms.ChoiceField(
        choices=[("", "Anyone"), ("me", "Me"), ("none", "Unassigned")], required=False
    )
    ward = forms.ModelChoiceField(
        queryset=Ward.objects.none(), required=False, empty_label="Any"
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ward"].queryset = Ward.objects.order_by("name")
        # Contact-centre staff may look into any team's queue.
        everyone = user.is_superuser or on_behalf.can_open_on_behalf(user)
        groups = Group.objects.all() if everyone else user.groups.all()
        if on_behalf.can_open_on_behalf(user):
            self.fields["assignee"].choices = [
                *self.fields["assignee"].choices,
                ("opened", "Opened by me for a caller"),
            ]
        self.fields["team"].queryset = (
            groups.filter(
                Q(service_definitions__isnull=False) | Q(partner__isnull=False)
            )
            .distinct()
            .order_by("name")
        )
        services = ServiceDefinition.objects.all()
        if not user.is_superuser:
            services = services.filter(team__in=user.groups.all())
        self.fields["service"].queryset = services.order_by("name")

    def apply(self, queryset, user, visibility: CaseVisibility):
        if not self.is_valid():
            return queryset.open()
        data = self.cleaned_data
        if data["q"].strip():
            # Only through what this user may see: a partner cannot find a case
            # by a resident's name or email the service does not share with them.
            queryset = queryset.filter(visibility.search(data["q"].strip()))
        if data["team"]:
            queryset = queryset.filter(Q(team=data["team"]) | Q(partner=data["team"]))
        if data["service"]:
            queryset = queryset.filter(service=data["service"])
        if data["status"] == "":
            queryset = queryset.open()
        elif data["status"] != "all":
            queryset = queryset.filter(status=data["status"])
        if data["overdue"]:
            queryset = queryset.overdue()
        if data["channel"]:
            queryset = queryset.filter(channel=data["channel"])
        if data["ward"]:
            queryset = queryset.filter(ward=data["ward"])
        if data["assignee"] == "me":
            queryset = queryset.filter(assignee=user)
        elif data["assignee"] == "none":
            queryset = queryset.filter(assignee__isnull=True)
        elif data["assignee"] == "opened":
            queryset = queryset.opened_by(user)
        return queryset

    def looks_beyond_own_queues(self) -> bool:
        """A search or another team's queue: contact-centre staff then look at
        every case, not only their own queues."""
        if not self.is_valid():
            return False
        return bool(self.cleaned_data["q"].strip() or self.cleaned_data["team"])


class BulkAssignForm(forms.Form):
    cases = forms.ModelMultipleChoiceField(queryset=Case.objects.none())
    assignee = forms.ModelChoiceField(queryset=get_user_model().objects.none())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cases"].queryset = Case.objects.for_staff(user)
        teams = Group.objects.all() if user.is_superuser else user.groups.all()
        self.fields["assignee"].queryset = (
            get_user_model()
            .objects.filter(
                groups__in=teams.filter(service_definitions__isnull=False),
                is_active=True,
            )
            .distinct()
            .order_by("username")
        )


@require_http_methods(["GET"])
def case_list(request):
    _require_case_worker(request)
    user = request.user
    visibility = CaseVisibility(user)
    form = CaseFilterForm(request.GET or None, user=user)
    if not request.GET:
        form = CaseFilterForm({"status": ""}, user=user)
    base = (
        Case.objects.readable_by(user)
        if form.looks_beyond_own_queues()
        else Case.objects.for_staff(user)
    )
    cases = form.apply(
        base.select_related(
            "service", "team", "partner", "assignee", "resident", "ward"
        ),
        user,
        visibility,
    ).order_by("due_date", "pk")
    page = Paginator(cases, CASES_PER_PAGE).get_page(request.GET.get("p"))
    shown = [(case, visibility.of(case)) for case in page.object_list]
    query = request.GET.copy()
    query.pop("p", None)
    return TemplateResponse(
        request,
        "services/admin/case_list.html",
        {
            "filter_form": form,
            "page_obj": page,
            "cases": shown,
            "query": query.urlencode(),
            "today": timezone.localdate(),
            "bulk_form": BulkAssignForm(user=user),
            "can_assign": not _is_partner_only(user),
            "can_open_on_behalf": on_behalf.can_open_on_behalf(user),
            "export_service": _exportable(form, user),
        },
    )


def _exportable(form, user):
    """The service the list is filtered to, when this user may export its cases."""
    service = form.cleaned_data.get("service") if form.is_valid() else None
    return service if service and case_export.may_export(user, service) else None


@require_http_methods(["GET"])
def case_export_csv(request, service_id: int):
    """Every case of one service as a CSV file, streamed (``services.case_export``)."""
    _require_case_worker(request)
    service = get_object_or_404(ServiceDefinition, pk=service_id)
    if not case_export.may_export(request.user, service):
        raise PermissionDenied
    response = StreamingHttpResponse(
        case_export.export_lines(service), content_type="text/csv; charset=utf-8"
    )
    filename = f"{service.reference_prefix.lower()}-cases-{timezone.localdate()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _is_partner_only(user) -> bool:
    if user.is_superuser:
        return False
    return not user.groups.filter(service_definitions__isnull=False).exists()


@require_POST
def bulk_assign(request):
    _require_case_worker(request)
    if _is_partner_only(request.user):  # no team of their own to assign within
        raise PermissionDenied
    form = BulkAssignForm(request.POST, user=request.user)
    if not form.is_valid():
        messages.error(
            request, "Choose at least one case and someone to assign them to."
        )
        return redirect(_case_list_next(request))
    try:
        changed = actions.bulk_assign(
            cases=form.cleaned_data["cases"],
            actor=request.user,
            assignee=form.cleaned_data["assignee"],
        )
    except actions.NotPermitted:
        raise PermissionDenied from None
    messages.success(request, f"Assigned {changed} case(s).")
    return redirect(_case_list_next(request))


def _case_list_next(request) -> str:
    """Back to the filtered case list the form was sent from: a path on this
    host under the case list, else the list itself."""
    cases = reverse("services_cases:list")
    target = next_from(request, default=cases)
    return target if target.startswith(cases) else cases


@require_http_methods(["GET", "POST"])
def case_detail(request, pk: int):
    _require_case_worker(request)
    user = request.user
    case = (
        Case.objects.readable_by(user)
        .select_related(
            "service", "team", "partner", "assignee", "resident", "ward", "satisfaction"
        )
        .filter(pk=pk)
        .first()
    )
    if case is None:
        raise Http404("No such case in your queues")
    # Contact-centre staff read (and add notes to) any case; they work only
    # the cases of their own queues.
    works = Case.objects.for_staff(user).filter(pk=case.pk).exists()
    status_form = StatusChangeForm(case=case) if works else None
    note_form = NoteForm(case=case)
    assign_form = (
        None
        if _is_partner_only(user) or not works
        else AssignForm(
            case=case,
            initial={"assignee": case.assignee_id, "partner": case.partner_id},
        )
    )
    deadline_forms = {
        name: DeadlineActionForm(action=name)
        for name in (deadlines.available(case) if works else [])
    }
    log_form = (
        QuickInteractionForm() if user.has_perm("services.log_interaction") else None
    )
    handover_form = HandoverForm(exclude=case.team) if works else None
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action in deadline_forms:
                form = DeadlineActionForm(request.POST, action=action)
                deadline_forms[action] = form
                if form.is_valid():
                    deadlines.run(
                        action, case=case, actor=user, text=form.cleaned_data["text"]
                    )
                    messages.success(request, f"{form.heading}: done.")
                    return redirect("services_cases:detail", pk=case.pk)
            elif action == "status" and status_form is not None:
                status_form = StatusChangeForm(request.POST, case=case)
                if status_form.is_valid():
                    actions.change_status(
                        case=case,
                        to_status=status_form.cleaned_data["to_status"],
                        actor=user,
                        message=status_form.cleaned_data["message"],
                    )
                    messages.success(request, "Status changed.")
                    return redirect("services_cases:detail", pk=case.pk)
            elif action == "note":
                note_form = NoteForm(request.POST, case=case)
                if note_form.is_valid():
                    actions.add_note(
                        case=case,
                        actor=user,
                        text=note_form.cleaned_data["text"],
                        public=note_form.cleaned_data["public"],
                    )
                    messages.success(request, "Note added.")
                    return redirect("services_cases:detail", pk=case.pk)
            elif action == "interaction" and log_form is not None:
                log_form = QuickInteractionForm(request.POST)
                if log_form.is_valid():
                    actions.log_interaction(
                        staff=user, case=case, **log_form.cleaned_data
                    )
                    messages.success(request, "Interaction logged.")
                    return redirect("services_cases:detail", pk=case.pk)
            elif action == "handover" and handover_form is not None:
                handover_form = HandoverForm(request.POST, exclude=case.team)
                if handover_form.is_valid():
                    contacts.hand_over_case(
                        case=case, staff=user, **handover_form.cleaned_data
                    )
                    messages.success(
                        request,
                        f"Case handed to {handover_form.cleaned_data['to_team']}.",
                    )
                    return redirect("services_cases:detail", pk=case.pk)
            elif action == "assign" and assign_form is not None:
                assign_form = AssignForm(request.POST, case=case)
                if assign_form.is_valid():
                    actions.assign(
                        case=case,
                        actor=user,
                        assignee=assign_form.cleaned_data["assignee"],
                        partner=assign_form.cleaned_data["partner"],
                    )
                    messages.success(request, "Assignment saved.")
                    return redirect("services_cases:detail", pk=case.pk)
            else:
                raise PermissionDenied
        except actions.InvalidTransition as exc:
            status_form.add_error("to_status", str(exc))
        except deadlines.DeadlineActionRefused as exc:
            raise PermissionDenied from exc
        except actions.NotPermitted as exc:
            raise PermissionDenied from exc
    shown = CaseVisibility(user).of(case)
    events = [
        (event, shown.actor(event), shown.redact(event.text))
        for event in CaseEvent.objects.filter(case=case).select_related("actor")
    ]
    satisfaction = _satisfaction(case)
    answers, attachments = answer_rows(shown, list(case.attachments.all()))
    notify_messages = list(NotifyMessage.objects.for_case(case))
    return TemplateResponse(
        request,
        "services/admin/case_detail.html",
        {
            "case": case,
            "shown": shown,
            "events": events,
            "status_form": status_form,
            "note_form": note_form,
            "assign_form": assign_form,
            "log_form": log_form,
            "handover_form": handover_form,
            "outcomes": QuickInteractionForm.OUTCOMES,
            "person_url": reverse(
                "myaccount_admin:contact_detail", args=[case.contact_id]
            )
            if case.contact_id and user.has_perm("myaccount.view_single_customer_view")
            else "",
            "answers": answers,
            "deadline_forms": list(deadline_forms.values()),
            "photos": [a for a in attachments if a.is_image],
            "files": [a for a in attachments if not a.is_image],
            "closed": case.status in CLOSED_STATUSES,
            "satisfaction": satisfaction,
            "notify_messages": notify_messages,
            "satisfaction_comment": shown.redact(satisfaction.comment)
            if satisfaction
            else "",
        },
    )


def answer_rows(shown, attachments: list) -> tuple[list[dict], list]:
    """The case's questions and answers, each with the files that answered it (a
    photo as a thumbnail, another file as a link), and the files that answered no
    question (street-problem photos)."""
    rows = []
    used = set()
    for question, answer in shown.answers():
        files = [a for a in attachments if a.question == question]
        used.update(a.pk for a in files)
        rows.append({"question": question, "answer": answer, "files": files})
    return rows, [a for a in attachments if a.pk not in used]


def _satisfaction(case):
    try:
        return case.satisfaction
    except CaseSatisfaction.DoesNotExist:
        return None


# -- contact centre: a case for a caller ----------------------------------------


def journey_pages():
    """Live service pages that hold a transactional journey, as (page, service
    name) pairs, by title."""
    from services.blocks.transactions import TransactionBlock
    from services.models import ServicePage

    found = []
    for page in ServicePage.objects.live().order_by("title"):
        for child in page.body or []:
            if isinstance(child.block, TransactionBlock):
                found.append(page)
                break
    return found


class OnBehalfForm(forms.Form):
    """Who is calling, how, and which service they need."""

    page = forms.ChoiceField(
        label="Service",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the service the caller needs"},
    )
    channel = forms.ChoiceField(
        label="How is the caller contacting us?",
        choices=[
            (Channel.PHONE, Channel.PHONE.label),
            (Channel.FACE_TO_FACE, Channel.FACE_TO_FACE.label),
            (Channel.EMAIL, Channel.EMAIL.label),
            (Channel.LETTER, Channel.LETTER.label),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how the caller is contacting us"},
    )
    name = forms.CharField(label="Caller's name", max_length=120)
    email = forms.EmailField(
        label="Caller's email address",
        required=False,
        max_length=254,
        help_text="Their reference and updates are sent here.",
    )
    phone = forms.CharField(
        label="Caller's phone number",
        required=False,
        max_length=30,
        validators=[
            RegexValidator(
                r"^[0-9 +()-]{6,30}$", "Enter a phone number, like 01632 960 001"
            )
        ],
    )

    def __init__(self, *args, pages, **kwargs):
        super().__init__(*args, **kwargs)
        self.pages = {str(p.pk): p for p in pages}
        self.fields["page"].choices = [(str(p.pk), p.title) for p in pages]

    def clean(self):
        data = super().clean()
        if not data.get("email") and not data.get("phone") and not self.errors:
            raise forms.ValidationError(
                "Give the caller's email address or phone number, so we can reach them"
            )
        return data


@require_http_methods(["GET", "POST"])
def on_behalf_start(request):
    """Step one of a contact-centre case: then the service's own journey runs on
    its public page for the caller (``services.on_behalf``)."""
    if not on_behalf.can_open_on_behalf(request.user):
        raise PermissionDenied
    pages = journey_pages()
    form = OnBehalfForm(request.POST or None, pages=pages)
    if request.method == "POST" and form.is_valid():
        page = form.pages[form.cleaned_data["page"]]
        on_behalf.start(
            request,
            page=page,
            channel=form.cleaned_data["channel"],
            name=form.cleaned_data["name"],
            email=form.cleaned_data["email"],
            phone=form.cleaned_data["phone"],
        )
        return redirect(page.get_url(request=request))
    return TemplateResponse(
        request, "services/admin/on_behalf.html", {"form": form, "pages": pages}
    )


@require_POST
def on_behalf_finish(request):
    if not on_behalf.can_open_on_behalf(request.user):
        raise PermissionDenied
    on_behalf.finish(request)
    return redirect("services_cases:list")
