"""The single customer view for council staff, in the Wagtail admin.

Finding a resident needs ``myaccount.view_single_customer_view``; every time a
resident's record is opened an ``AuditLogEntry`` is written, which admins (with
``myaccount.view_auditlogentry``) read under Reports.
"""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.cache import never_cache

from frontend.formats import normalise_postcode
from myaccount import actions, staff_search
from myaccount.dashboard import Dashboard
from myaccount.forms import StaffNoteForm, StaffSearchForm
from myaccount.models import AuditLogEntry, CouncilTaxLink, Profile, StaffNote
from myaccount.registry import timeline_sources
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
# A record reference (a case, message or payment): one word with a digit in it.
REFERENCE_LIKE = re.compile(r"\S*\d\S*")


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


def _accounts_with_word(word: str):
    """Ids of the accounts with ``word`` in a name, the email address or the
    profile's address: one query per table, so each is answered by that table's
    trigram indexes on PostgreSQL (a condition spanning both tables is not)."""
    by_account = (
        get_user_model()
        .objects.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(email__icontains=word)
        )
        .values("pk")
        .order_by()
    )
    by_address = Profile.objects.filter(
        Q(address_line_1__icontains=word)
        | Q(address_line_2__icontains=word)
        | Q(town__icontains=word)
    ).values("user_id")
    # No ordering inside a compound query (SQLite refuses it, models order by
    # default).
    return by_account.union(by_address.order_by())


def search_residents(query: str):
    """Residents matching every word of ``query`` in a name, email address or
    address, or matching it whole as a postcode, UPRN, council tax account or
    record reference.

    The matching ids are one compound subquery (``INTERSECT`` over the words,
    ``UNION`` with the exact matches) in which every part reads one index, so the
    list and its count cost the same with 50,000 accounts as with 50."""
    query = query.strip()
    if not query:
        return resident_queryset().none()
    if postcode := normalise_postcode(query):
        # A whole postcode is looked up as one: its halves as words would match
        # every address in the district (and cost a scan of each part's index).
        return (
            resident_queryset()
            .filter(resident_profile__postcode=postcode)
            .select_related("resident_profile")
            .order_by("last_name", "first_name", "pk")
        )
    ids = None
    for word in query.split():
        matching = _accounts_with_word(word)
        ids = matching if ids is None else ids.intersection(matching)
    exact = [
        Profile.objects.filter(uprn=query).values("user_id").order_by(),
        CouncilTaxLink.objects.filter(account_number=query)
        .values("user_id")
        .order_by(),
    ]
    if REFERENCE_LIKE.fullmatch(query):
        for source in timeline_sources():
            finder = getattr(source, "residents_with_reference", None)
            if finder is not None:
                exact.append(finder(query).order_by())
    return (
        resident_queryset()
        .filter(pk__in=ids.union(*exact))
        .select_related("resident_profile")
        .order_by("last_name", "first_name", "pk")
    )


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
