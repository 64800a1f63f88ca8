"""Staff list of every permit: garden waste subscriptions and resident parking
permits, with their number, holder, address, scheme, bins or vehicle, period,
state and case; filtered by scheme and state, searched by permit number,
vehicle registration, postcode or case reference.

Open to superusers and staff with "Can view permit" or "Can change permit", as
the payments and bookings pages are to theirs. One page costs the same number
of queries however many permits there are.
"""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Case, Exists, OuterRef, Q, Value, When
from django.db.models.functions import Replace, Upper
from django.shortcuts import render
from django.utils import timezone

from services.models import Permit, PermitKind, PermitScheme, PermitStatus
from services.payments.admin_views import can_manage
from services.permits.actions import display_registration

PER_PAGE = 50

# What staff see in the list, worked out from the status and today's date.
STATES = [
    ("active", "Active"),
    ("pending", "Waiting for payment"),
    ("expired", "Expired"),
    ("renewed", "Renewed"),
    ("cancelled", "Cancelled"),
]
STATE_LABELS = dict(STATES)


def can_see_permits(user) -> bool:
    return can_manage(user, "services.view_permit") or can_manage(
        user, "services.change_permit"
    )


class PermitFilterForm(forms.Form):
    scheme = forms.ModelChoiceField(
        label="Scheme",
        queryset=PermitScheme.objects.none(),
        required=False,
        empty_label="All",
    )
    state = forms.ChoiceField(
        label="Status", required=False, choices=[("", "All")] + STATES
    )
    q = forms.CharField(
        label="Permit number, registration, postcode or case reference",
        required=False,
        max_length=40,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scheme"].queryset = PermitScheme.objects.order_by("name")


def with_state(queryset, today):
    """Annotate each permit's ``state`` (one of ``STATES``): an active permit
    that has ended is "renewed" when a paid renewal follows it, else "expired"."""
    return queryset.annotate(
        renewed=Exists(
            Permit.objects.filter(renewal_of=OuterRef("pk"), status=PermitStatus.ACTIVE)
        )
    ).annotate(
        state=Case(
            When(status=PermitStatus.CANCELLED, then=Value("cancelled")),
            When(status=PermitStatus.PENDING, then=Value("pending")),
            When(valid_until__lt=today, renewed=True, then=Value("renewed")),
            When(valid_until__lt=today, then=Value("expired")),
            default=Value("active"),
        )
    )


def search(queryset, text: str):
    """Permit number (``GW-000123`` or part of it), registration (any spacing),
    postcode (whole or its start, any spacing) or case reference."""
    text = text.strip()
    compact = re.sub(r"[\s-]", "", text).upper()
    if not compact:
        return queryset
    return queryset.annotate(
        postcode_compact=Replace(Upper("postcode"), Value(" "), Value(""))
    ).filter(
        Q(number__icontains=text)
        | Q(vehicle_registration__startswith=compact)
        | Q(postcode_compact__startswith=compact)
        | Q(case__reference__iexact=text)
    )


def permit_list(request):
    if not can_see_permits(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    form = PermitFilterForm(request.GET or None)
    rows = with_state(
        Permit.objects.select_related("scheme", "case", "user", "renewal"), today
    ).order_by("-valid_until", "-pk")
    if form.is_valid():
        if form.cleaned_data["scheme"]:
            rows = rows.filter(scheme=form.cleaned_data["scheme"])
        if form.cleaned_data["state"]:
            rows = rows.filter(state=form.cleaned_data["state"])
        if form.cleaned_data["q"]:
            rows = search(rows, form.cleaned_data["q"])
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("p"))
    for permit in page.object_list:
        permit.state_label = STATE_LABELS[permit.state]
        if permit.scheme.kind == PermitKind.GARDEN_WASTE:
            permit.what = "1 bin" if permit.quantity == 1 else f"{permit.quantity} bins"
        else:
            registration = display_registration(permit.vehicle_registration)
            permit.what = f"{permit.item_name}, {registration or 'registration erased'}"
        renewal = getattr(permit, "renewal", None)  # (None when there is none)
        permit.renewed_by = renewal.number if renewal is not None else ""
        holder = permit.user
        permit.holder = (
            (holder.get_full_name() or holder.email or holder.get_username())
            if holder
            else ""
        )
    query = request.GET.copy()
    query.pop("p", None)
    return render(
        request,
        "services/admin/permit_list.html",
        {
            "filter_form": form if form.is_bound else PermitFilterForm(),
            "page_obj": page,
            "rows": page.object_list,
            "query": query.urlencode(),
        },
    )
