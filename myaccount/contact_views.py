"""The person page (a contact, with an account or without), merging duplicate
contacts and undoing a merge, and handing an interaction's follow-up to a team.

Opening a person needs the single customer view permission and is audit-logged,
as the account view is. Merging needs ``services.merge_contacts`` as well; the
merge log (``ContactMerge``) says who merged what, when, and what moved.
Every list on the person page is one query with a limit or a page, so the page
costs the same number of queries however long the person's history
(``tests/myaccount/test_person_page.py``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.cache import never_cache

from frontend.redirects import next_from
from myaccount.admin_views import LOG_PERMISSION, SCV_PERMISSION
from myaccount.enums import AuditAction
from myaccount.models import AuditLogEntry, ResidentMessage
from services import actions as service_actions
from services import contacts
from services.contact_forms import ConsentForm, HandoverForm
from services.forms import InteractionForm
from services.models import (
    Booking,
    Case,
    CaseEvent,
    Contact,
    ContactMerge,
    Interaction,
    Payment,
)
from services.visibility import CaseVisibility

MERGE_PERMISSION = "services.merge_contacts"
PER_PAGE = 20


@dataclass
class Page:
    """A page of rows without counting them all (one query, not two): enough
    for "newer" and "older" links on a history that may run to thousands."""

    object_list: list
    number: int
    has_next: bool

    @classmethod
    def of(cls, queryset, number, per_page: int = PER_PAGE) -> Page:
        try:
            number = max(1, int(number or 1))
        except ValueError:
            number = 1
        start = (number - 1) * per_page
        rows = list(queryset[start : start + per_page + 1])
        return cls(rows[:per_page], number, len(rows) > per_page)

    def __iter__(self):
        return iter(self.object_list)

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_previous or self.has_next

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1


def _requires(*permissions):
    def decorate(view):
        def wrapper(request, *args, **kwargs):
            if not all(request.user.has_perm(p) for p in permissions):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapper.__name__ = view.__name__
        wrapper.__doc__ = view.__doc__
        return never_cache(wrapper)

    return decorate


def _record_view(request, contact: Contact) -> None:
    AuditLogEntry.objects.create(
        action=AuditAction.STAFF_VIEWED,
        actor=request.user,
        subject_id=contact.user_id,
        detail={"view": "person page", "contact": contact.pk},
    )


def _handle_post(request, contact: Contact, log_form, consent_form):
    """The person page's forms; a redirect when one was sent and valid."""
    action = request.POST.get("action")
    if action == "interaction":
        if log_form is None:
            raise PermissionDenied
        if log_form.is_valid():
            service_actions.log_interaction(
                staff=request.user,
                resident=contact.user,
                person=contact,
                contact_name=contact.name,
                **log_form.cleaned_data,
            )
            messages.success(request, "Interaction logged.")
            return HttpResponseRedirect(request.path + "#interactions")
    elif action == "consent":
        if consent_form.is_valid():
            contacts.record_consent(
                contact=contact, staff=request.user, **consent_form.cleaned_data
            )
            messages.success(request, "Consent recorded.")
            return HttpResponseRedirect(request.path + "#consents")
    else:
        raise PermissionDenied
    return None


@_requires(SCV_PERMISSION)
def contact_detail(request, pk: int):
    """Everything about one person: details, cases from every channel, payments
    and bookings, messages sent, interactions, consents, possible duplicates and
    merges, with links throughout."""
    contact = get_object_or_404(
        Contact.objects.select_related("user", "user__resident_profile"), pk=pk
    )
    if contact.merged_into_id:
        messages.info(request, "This person was merged; this is their record now.")
        return redirect("myaccount_admin:contact_detail", contact.merged_into_id)
    posted = request.POST if request.method == "POST" else None
    action = posted.get("action") if posted else None
    can_log = request.user.has_perm(LOG_PERMISSION)
    log_form = (
        InteractionForm(posted if action == "interaction" else None)
        if can_log
        else None
    )
    consent_form = ConsentForm(posted if action == "consent" else None)
    if posted is not None:
        done = _handle_post(request, contact, log_form, consent_form)
        if done is not None:
            return done
    _record_view(request, contact)

    user = contact.user
    points = list(contact.points.all())
    mine = Q(contact=contact) | (Q(resident=user) if user else Q())
    readable = Case.objects.readable_by(request.user).filter(mine)
    cases = Page.of(
        readable.select_related("service", "resident").order_by("-created_at", "-pk"),
        request.GET.get("cp"),
    )
    visibility = CaseVisibility(request.user)
    bookings = Booking.objects.filter(
        Q(case__in=readable.values("pk")) | (Q(user=user) if user else Q(pk=None))
    ).select_related("slot", "case")
    context = {
        "contact": contact,
        "points": points,
        "cases": [(c, visibility.of(c)) for c in cases.object_list],
        "cases_page": cases,
        "payments": Payment.objects.filter(case__in=readable.values("pk"))
        .select_related("case")
        .order_by("-created_at")[:PER_PAGE],
        "bookings": bookings.order_by("-created_at")[:PER_PAGE],
        "account_messages": ResidentMessage.objects.filter(user=user)[:PER_PAGE]
        if user
        else [],
        "case_updates": CaseEvent.objects.filter(
            case__in=readable.values("pk"), public=True
        )
        .select_related("case")
        .order_by("-created_at", "-pk")[:PER_PAGE],
        "interactions": Page.of(
            Interaction.objects.filter(mine)
            .select_related("reason", "staff", "case", "follow_up_team")
            .prefetch_related("handovers__to_team"),
            request.GET.get("ip"),
        ),
        "consents": contacts.current_consents(contact),
        "profile": getattr(user, "resident_profile", None) if user else None,
        "duplicates": list(contacts.possible_duplicates(contact, points=points)),
        "merges": ContactMerge.objects.filter(
            Q(kept=contact) | Q(merged=contact)
        ).select_related("kept", "merged", "actor", "undone_by")[:10],
        "log_form": log_form,
        "consent_form": consent_form,
        "can_merge": request.user.has_perm(MERGE_PERMISSION),
    }
    return TemplateResponse(request, "myaccount/admin/contact_detail.html", context)


def _summary(contact: Contact) -> dict:
    return {
        "contact": contact,
        "points": list(contact.points.all()),
        "cases": Case.objects.filter(contact=contact).count(),
        "interactions": Interaction.objects.filter(contact=contact).count(),
        "consents": contact.consents.count(),
    }


@_requires(SCV_PERMISSION, MERGE_PERMISSION)
def contact_merge(request, pk: int, other: int):
    """Compare two people side by side and merge the second into the first."""
    keep = get_object_or_404(Contact.objects.current().select_related("user"), pk=pk)
    merge = get_object_or_404(
        Contact.objects.current().select_related("user"), pk=other
    )
    error = ""
    if request.method == "POST":
        try:
            log = contacts.merge_contacts(keep=keep, merge=merge, actor=request.user)
        except contacts.MergeRefused as refused:
            error = str(refused)
        else:
            messages.success(request, "People merged. You can undo this merge below.")
            return redirect("myaccount_admin:contact_detail", log.kept_id)
    return TemplateResponse(
        request,
        "myaccount/admin/contact_merge.html",
        {"keep": _summary(keep), "merge": _summary(merge), "error": error},
        status=400 if error else 200,
    )


@_requires(SCV_PERMISSION, MERGE_PERMISSION)
def merge_log(request):
    """Every merge: who, when, what moved, and undo."""
    page = Paginator(
        ContactMerge.objects.select_related("kept", "merged", "actor", "undone_by"),
        50,
    ).get_page(request.GET.get("p"))
    return TemplateResponse(request, "myaccount/admin/merge_log.html", {"merges": page})


@_requires(SCV_PERMISSION, MERGE_PERMISSION)
def merge_undo(request, pk: int):
    if request.method != "POST":
        return redirect("myaccount_admin:merge_log")
    merge = get_object_or_404(ContactMerge, pk=pk)
    try:
        contacts.undo_merge(merge=merge, actor=request.user)
    except contacts.MergeRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, "Merge undone: both people are separate again.")
    return redirect(next_from(request, default=reverse("myaccount_admin:merge_log")))


@_requires(SCV_PERMISSION, LOG_PERMISSION)
def interaction_handover(request, pk: int):
    """Hand an interaction's follow-up to another team with a note."""
    interaction = get_object_or_404(
        Interaction.objects.select_related("reason", "contact", "follow_up_team"),
        pk=pk,
    )
    form = HandoverForm(
        request.POST if request.method == "POST" else None,
        exclude=interaction.follow_up_team,
    )
    if form.is_valid():
        contacts.hand_over_follow_up(
            interaction=interaction, staff=request.user, **form.cleaned_data
        )
        messages.success(
            request, f"Follow-up handed to {form.cleaned_data['to_team']}."
        )
        if interaction.contact_id:
            return HttpResponseRedirect(
                reverse("myaccount_admin:contact_detail", args=[interaction.contact_id])
                + "#interactions"
            )
        return redirect("myaccount_admin:resident_search")
    return TemplateResponse(
        request,
        "myaccount/admin/interaction_handover.html",
        {"interaction": interaction, "form": form},
        status=400 if form.errors else 200,
    )
