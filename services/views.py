"""Resident-facing case views: a resident's own requests, and guest tracking.

Every resident read starts from ``request.user`` (``Case.objects.for_resident``):
a case that is not theirs is a 404, never a 403 that would confirm it exists.
"""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from home.platform.ratelimit import allow
from services.forms import TrackCaseForm
from services.models import Case, CaseEvent

CASES_PER_PAGE = 25
NOT_FOUND = (
    "We could not find a request with that reference number and email address. "
    "Check both and try again."
)


def public_timeline(case: Case):
    return (
        CaseEvent.objects.public()
        .filter(case=case)
        .only("kind", "text", "to_status", "created_at")
    )


@login_required
@never_cache
@require_http_methods(["GET"])
def my_cases(request):
    cases = (
        Case.objects.for_resident(request.user)
        .only("reference", "case_type", "summary", "status", "created_at", "updated_at")
        .order_by("-created_at")
    )
    page = Paginator(cases, CASES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "services/cases/my_cases.html", {"page_obj": page})


@login_required
@never_cache
@require_http_methods(["GET"])
def my_case_detail(request, reference: str):
    case = (
        Case.objects.for_resident(request.user)
        .select_related("service")
        .filter(reference=reference)
        .first()
    )
    if case is None:
        raise Http404("No such request")
    from services.satisfaction import THANKS, satisfaction_context

    context = {"case": case, "events": public_timeline(case)}
    if request.GET.get("answered"):
        context["satisfaction_notice"] = THANKS
    return render(
        request,
        "services/cases/case_detail.html",
        context | satisfaction_context(case),
    )


@never_cache
@require_http_methods(["GET", "POST"])
def track(request):
    """Guests track a case with reference + email. Rate-limited per client, and
    the answer for a wrong email is the same as for a reference that does not
    exist, so the form cannot be used to discover references."""
    form = TrackCaseForm(request.POST or None)
    case = None
    status = 200
    if request.method == "POST":
        if not allow(
            request,
            scope="case-track",
            limit=settings.CASE_TRACK_RATE_LIMIT,
            window=settings.CASE_TRACK_RATE_WINDOW_SECONDS,
        ):
            form.is_valid()
            form.add_error(
                None, "You have tried too many times. Wait 10 minutes and try again."
            )
            status = 429
        elif form.is_valid():
            email = form.cleaned_data["email"]
            case = (
                Case.objects.filter(reference=form.cleaned_data["reference"])
                .select_related("resident")
                .first()
            )
            if case is None or case.contact_email.lower() != email.lower():
                case = None
                form.add_error(None, NOT_FOUND)
    context = {"form": form, "case": case}
    if case:
        from services.satisfaction import satisfaction_context

        context["events"] = public_timeline(case)
        context |= satisfaction_context(case, guest_email=email)
        return render(
            request, "services/cases/case_detail.html", context | {"tracked": True}
        )
    return render(request, "services/cases/track.html", context, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def resume_journey(request, token: str):
    """A guest's link back to a journey they saved (``services.saved_journeys``).
    GET only shows a button, so a mail scanner opening the link uses nothing up;
    the POST moves the answers into this browser and goes on to the journey."""
    from wagtail.models import Page

    from services.saved_journeys import (
        find_resumable,
        journey_url,
        resume_guest_journey,
        split_key,
    )

    context = {"resume_days": settings.JOURNEY_RESUME_DAYS}
    if request.method == "POST":
        draft = resume_guest_journey(token=token, request=request)
    else:
        draft = find_resumable(token)
    page = None
    if draft is not None:
        page_id, block_id = split_key(draft.journey_key)
        page = Page.objects.live().filter(pk=page_id).specific().first()
    if page is None or not page.get_url(request=request):
        return render(request, "services/journeys/resume.html", context, status=404)
    if request.method == "POST":
        return HttpResponseRedirect(journey_url(page, block_id, request))
    context |= {"draft": draft, "service_name": page.title}
    response = render(request, "services/journeys/resume.html", context)
    response["Referrer-Policy"] = "no-referrer"
    return response
