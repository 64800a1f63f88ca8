"""The single customer view for council staff, in the Wagtail admin.

Finding a resident needs ``myaccount.view_single_customer_view``; every time a
resident's record is opened an ``AuditLogEntry`` is written, which admins (with
``myaccount.view_auditlogentry``) read under Reports.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.cache import never_cache

from myaccount import account_search, actions, staff_search
from myaccount.dashboard import Dashboard
from myaccount.forms import StaffNoteForm, StaffSearchForm
from myaccount.models import AuditLogEntry, StaffNote
from services import actions as service_actions
from services.forms import InteractionForm
from services.models import (
    Case,
    Contact,
    Interaction,
    MessageChannel,
    MessageStatus,
    NotifyMessage,
)
from services.visibility import CaseVisibility

SCV_PERMISSION = "myaccount.view_single_customer_view"
LOG_PERMISSION = "services.log_interaction"


def _staff_required(view):
    def wrapper(request, *args, **kwargs):
        if not request.user.has_perm(SCV_PERMISSION):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return never_cache(wrapper)


def resident_queryset():
    """Residents: never staff, superusers or members of an admin group."""
    return get_user_model().objects.filter(
        is_staff=False, is_superuser=False, groups__isnull=True
    )


def search_residents(query: str):
    """Residents matching every word of ``query`` (``myaccount.account_search``)."""
    return account_search.search_residents(resident_queryset(), query)


@_staff_required
def resident_search(request):
    """One box: residents with accounts, people without one, properties, cases."""
    form = StaffSearchForm(request.GET or None)
    results = None
    found = {}
    if form.is_valid() and form.cleaned_data["q"]:
        query = form.cleaned_data["q"]
        paginator = Paginator(search_residents(query), 25)
        results = paginator.get_page(request.GET.get("p"))
        found = {
            "people": staff_search.contacts(query),
            "properties": staff_search.properties(query, request.user),
            "cases": staff_search.cases(query, request.user),
        }
    return TemplateResponse(
        request,
        "myaccount/admin/resident_search.html",
        {
            "form": form,
            "results": results,
            "query": request.GET.get("q", ""),
            **found,
        },
    )


@_staff_required
def property_detail(request, uprn: str):
    """Everything at one address (UPRN): the cases staff may read, newest first
    and paged, and the residents whose account gives that address."""
    found = (
        Case.objects.readable_by(request.user)
        .filter(uprn=uprn)
        .select_related("service", "resident")
        .order_by("-created_at")
    )
    page = Paginator(found, 25).get_page(request.GET.get("p"))
    visibility = CaseVisibility(request.user)
    return TemplateResponse(
        request,
        "myaccount/admin/property_detail.html",
        {
            "uprn": uprn,
            "address": next((c.address for c in page.object_list if c.address), ""),
            "cases": [(c, visibility.of(c)) for c in page.object_list],
            "page_obj": page,
            "residents": resident_queryset()
            .filter(resident_profile__uprn=uprn)
            .order_by("last_name", "first_name")[:25],
        },
    )


INTERACTIONS_PER_PAGE = 20


@_staff_required
def resident_detail(request, user_id: int):
    resident = get_object_or_404(resident_queryset(), pk=user_id)
    posted = request.POST if request.method == "POST" else None
    logging = posted is not None and posted.get("action") == "interaction"
    form = StaffNoteForm(None if logging else posted)
    can_log = request.user.has_perm(LOG_PERMISSION)
    log_form = InteractionForm(posted if logging else None) if can_log else None
    if logging:
        if log_form is None:
            raise PermissionDenied
        if log_form.is_valid():
            service_actions.log_interaction(
                staff=request.user, resident=resident, **log_form.cleaned_data
            )
            messages.success(request, "Interaction logged.")
            return HttpResponseRedirect(request.path)
    elif posted is not None and form.is_valid():
        actions.add_staff_note(
            staff=request.user, resident=resident, text=form.cleaned_data["text"]
        )
        return HttpResponseRedirect(request.path)
    actions.record_staff_view(
        staff=request.user, resident=resident, view="single customer view"
    )
    dashboard = Dashboard(resident)
    from allauth.account.models import EmailAddress
    from allauth.socialaccount.models import SocialAccount

    sent = NotifyMessage.objects.for_person(resident)
    last_email = sent.filter(channel=MessageChannel.EMAIL).first()
    context = {
        "resident": resident,
        "notify_messages": sent[:20],
        # The latest email failed for good: the address needs checking.
        "email_bounced": last_email
        if last_email and last_email.status == MessageStatus.PERMANENT_FAILURE
        else None,
        "dashboard": dashboard,
        "profile": dashboard.profile,
        "emails": EmailAddress.objects.filter(user=resident),
        "social_accounts": SocialAccount.objects.filter(user=resident),
        "timeline": dashboard.timeline,
        "notes": StaffNote.objects.filter(resident=resident).select_related("author"),
        "access": AuditLogEntry.objects.filter(subject=resident).select_related(
            "actor"
        )[:20],
        "form": form,
        "log_form": log_form,
        "contact": Contact.objects.filter(user=resident).first(),
        "interactions": Paginator(
            Interaction.objects.for_resident(resident).select_related(
                "reason", "staff", "case"
            ),
            INTERACTIONS_PER_PAGE,
        ).get_page(request.GET.get("ip")),
    }
    return TemplateResponse(request, "myaccount/admin/resident_detail.html", context)


@never_cache
def audit_log(request):
    if not request.user.has_perm("myaccount.view_auditlogentry"):
        raise PermissionDenied
    entries = AuditLogEntry.objects.select_related("actor", "subject")
    action = request.GET.get("action", "")
    if action:
        entries = entries.filter(action=action)
    page = Paginator(entries, 50).get_page(request.GET.get("p"))
    return TemplateResponse(
        request,
        "myaccount/admin/audit_log.html",
        {
            "entries": page,
            "action": action,
            "actions": AuditLogEntry._meta.get_field("action").choices,
        },
    )


def bulletin_send(request, pk: int):
    """Check how many residents a bulletin will reach, then send it (once)."""
    from myaccount import bulletins
    from myaccount.models import Bulletin

    if not request.user.has_perm("myaccount.change_bulletin"):
        raise PermissionDenied
    bulletin = get_object_or_404(Bulletin, pk=pk)
    if request.method == "POST" and not bulletin.sent_at:
        count = bulletins.send_bulletin(bulletin=bulletin, by=request.user)
        messages.success(request, f"Bulletin sent to {count} residents.")
        return HttpResponseRedirect(reverse("wagtailsnippets_myaccount_bulletin:list"))
    return TemplateResponse(
        request,
        "myaccount/admin/bulletin_send.html",
        {
            "bulletin": bulletin,
            "count": bulletins.subscribers(bulletin.topic).count(),
        },
    )
