""" "Were you satisfied with how we dealt with this?": asked once a case is closed.

The closing email asks it (``services/emails/case_update.txt``, through
``CaseEvent.asks_satisfaction``); a signed-in resident answers on the request's page
in My Account, a guest on the track-a-request page after giving the reference and
email address again. ``services.actions.record_satisfaction`` keeps the first answer
and refuses any other, politely.
"""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from home.platform.ratelimit import allow
from services import actions
from services.forms import GuestSatisfactionForm, SatisfactionForm, TrackCaseForm
from services.models import Case, CaseSatisfaction

ALREADY = (
    "You have already told us how satisfied you were with this request. "
    "We have kept your first answer. Thank you."
)
THANKS = "Thank you for telling us how we did."


def satisfaction_context(case: Case, *, form=None, guest_email: str = "") -> dict:
    """What the request page shows: the answer given, or the question (only for a
    closed case), or nothing."""
    answer = CaseSatisfaction.objects.filter(case=case).first()
    if answer is not None or case.is_open:
        return {"satisfaction": answer, "satisfaction_form": None}
    if form is None:
        if guest_email:
            form = GuestSatisfactionForm(
                initial={"reference": case.reference, "email": guest_email}
            )
        else:
            form = SatisfactionForm()
    return {"satisfaction": None, "satisfaction_form": form}


def _events(case):
    from services.views import public_timeline

    return public_timeline(case)


@login_required
@never_cache
@require_POST
def answer_my_case(request, reference: str):
    case = Case.objects.for_resident(request.user).filter(reference=reference).first()
    if case is None:
        raise Http404("No such request")
    form = SatisfactionForm(request.POST)
    notice = ""
    if form.is_valid():
        try:
            actions.record_satisfaction(
                case=case,
                answer=form.cleaned_data["answer"],
                comment=form.cleaned_data["comment"],
                actor=request.user,
            )
        except actions.AlreadyAnswered:
            notice = ALREADY
        except actions.NotClosed:
            return HttpResponseRedirect(
                reverse("services:my_case_detail", args=[case.reference])
            )
        else:
            return HttpResponseRedirect(
                reverse("services:my_case_detail", args=[case.reference])
                + "?answered=1#satisfaction"
            )
    context = {"case": case, "events": _events(case), "satisfaction_notice": notice}
    context |= satisfaction_context(case, form=None if notice else form)
    return render(
        request,
        "services/cases/case_detail.html",
        context,
        status=200 if notice or form.is_valid() else 400,
    )


@never_cache
@require_POST
def answer_tracked_case(request):
    """A guest's answer. The reference and email are checked exactly as the
    track-a-request form checks them, under the same rate limit."""
    form = GuestSatisfactionForm(request.POST)
    track_form = TrackCaseForm(
        {
            "reference": request.POST.get("reference", ""),
            "email": request.POST.get("email", ""),
        }
    )
    if not allow(
        request,
        scope="case-track",
        limit=settings.CASE_TRACK_RATE_LIMIT,
        window=settings.CASE_TRACK_RATE_WINDOW_SECONDS,
    ):
        track_form.is_valid()
        track_form.add_error(
            None, "You have tried too many times. Wait 10 minutes and try again."
        )
        return render(
            request, "services/cases/track.html", {"form": track_form}, status=429
        )
    case = None
    if track_form.is_valid():
        case = (
            Case.objects.filter(reference=track_form.cleaned_data["reference"])
            .select_related("resident")
            .first()
        )
        if (
            case
            and case.contact_email.lower() != track_form.cleaned_data["email"].lower()
        ):
            case = None
    if case is None:
        from services.views import NOT_FOUND

        if track_form.is_valid():
            track_form.add_error(None, NOT_FOUND)
        return render(request, "services/cases/track.html", {"form": track_form})
    email = track_form.cleaned_data["email"]
    notice = ""
    if form.is_valid():
        try:
            actions.record_satisfaction(
                case=case,
                answer=form.cleaned_data["answer"],
                comment=form.cleaned_data["comment"],
            )
            notice = THANKS
        except actions.AlreadyAnswered:
            notice = ALREADY
        except actions.NotClosed:
            notice = ""
    context = {
        "case": case,
        "events": _events(case),
        "tracked": True,
        "satisfaction_notice": notice,
    }
    context |= satisfaction_context(
        case, form=None if form.is_valid() else form, guest_email=email
    )
    return render(
        request,
        "services/cases/case_detail.html",
        context,
        status=200 if form.is_valid() else 400,
    )
