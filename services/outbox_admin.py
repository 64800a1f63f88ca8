"""Staff view of the outbox: emails and webhook deliveries not (yet) delivered,
dead letters first, with their error, attempts and (webhooks) the receiver's
HTTP answer, and a resend button (``services.outbox.resend``).

Open to superusers and staff with the "Can change outbox event" permission (give
it to the team that looks after notifications).
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from services import outbox
from services.models import OutboxEvent

PER_PAGE = 50
STATES = {
    "dead": ("Dead letters", lambda qs: qs.dead()),
    "pending": ("Waiting to be sent", lambda qs: qs.pending()),
    "delivered": ("Delivered", lambda qs: qs.filter(delivered_at__isnull=False)),
}


def can_manage_outbox(user) -> bool:
    return bool(
        user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.has_perm("services.change_outboxevent"))
    )


class OutboxFilterForm(forms.Form):
    state = forms.ChoiceField(
        label="Show",
        required=False,
        choices=[(key, label) for key, (label, _f) in STATES.items()],
    )


def outbox_list(request):
    if not can_manage_outbox(request.user):
        raise PermissionDenied
    form = OutboxFilterForm(request.GET or None)
    state = form.cleaned_data["state"] if form.is_valid() else ""
    state = state or "dead"
    rows = (
        STATES[state][1](OutboxEvent.objects.all())
        .select_related("case", "subscription")
        .order_by("-created_at")
    )
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("p"))
    return render(
        request,
        "services/admin/outbox_list.html",
        {
            "filter_form": OutboxFilterForm(initial={"state": state}),
            "state": state,
            "state_label": STATES[state][0],
            "page_obj": page,
            "rows": page.object_list,
            "dead_count": OutboxEvent.objects.dead().count(),
        },
    )


@require_POST
def outbox_resend(request):
    if not can_manage_outbox(request.user):
        raise PermissionDenied
    ids = [int(v) for v in request.POST.getlist("rows") if v.isdigit()]
    queued = outbox.resend(rows=OutboxEvent.objects.filter(pk__in=ids), by=request.user)
    if queued:
        messages.success(
            request, f"{len(queued)} message{'s' if len(queued) != 1 else ''} resent"
        )
    else:
        messages.warning(request, "Select the dead letters to resend")
    return HttpResponseRedirect(reverse("services_outbox:list") + "?state=dead")
