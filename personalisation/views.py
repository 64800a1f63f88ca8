"""Reports → Segment visits (admin), and the cookie banner and cookies page."""

from urllib.parse import urlencode

from django import forms
from django.http import Http404, HttpResponseBadRequest, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST
from django.views.generic import TemplateView

from wagtail.admin.views.generic import (
    PermissionCheckedMixin,
    WagtailAdminTemplateMixin,
)
from wagtail.permission_policies import ModelPermissionPolicy

from frontend.forms import GovUKForm
from frontend.redirects import next_from
from personalisation import campaigns, consent, visits


class SegmentVisitsReportView(
    PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView
):
    page_title = "Segment visits"
    header_icon = "group"
    template_name = "personalisation/segment_visits.html"
    permission_required = "change"

    @property
    def permission_policy(self):
        from wagtail_personalisation.models import Segment

        return ModelPermissionPolicy(Segment)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        from wagtail_personalisation.models import Segment

        context = super().get_context_data(**kwargs)
        counts = visits.last_30_days()
        context["segments"] = [
            {
                "name": s.name,
                "status": s.get_status_display(),
                "visits": counts.get(s.pk, 0),
            }
            for s in Segment.objects.order_by("name")
        ]
        return context


# --- Cookie consent (public) ------------------------------------------------------


def _safe_next(request, default="/") -> str:
    return next_from(request, default=default)


def _from_this_site(request) -> bool:
    """A POST sent by a page of this site (browsers send ``Origin`` with every
    form POST): a form on another site cannot answer the banner for a visitor."""
    from urllib.parse import urlsplit

    source = request.headers.get("Origin") or request.headers.get("Referer")
    if not source or source == "null":
        return "Origin" not in request.headers
    return urlsplit(source).netloc == request.get_host()


class CookieSettingsForm(GovUKForm):
    personalisation = forms.ChoiceField(
        label="Do you want to accept personalisation cookies?",
        choices=[("yes", "Yes"), ("no", "No")],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select yes if you want to accept personalisation cookies"
        },
    )


# The banner's answer needs no CSRF token: a token would set a cookie on every
# cached page. Cross-site posts are refused by their Origin instead.
@csrf_exempt
@require_POST
def answer_cookie_banner(request):
    """Accept or reject personalisation cookies from the banner, without JavaScript,
    and go back to the page with the confirmation message."""
    choice = request.POST.get("cookies")
    if choice not in ("accept", "reject") or not _from_this_site(request):
        return HttpResponseBadRequest("Choose to accept or reject cookies.")
    response = HttpResponseRedirect(_safe_next(request))
    consent.store_answer(request, response, choice == "accept", confirm=True)
    add_never_cache_headers(response)
    return response


@require_http_methods(["GET", "POST"])
def cookie_settings(request):
    """The cookies page: what each cookie does, and the setting for the optional one."""
    saved = False
    if request.method == "POST":
        form = CookieSettingsForm(request.POST)
        if form.is_valid():
            back = _safe_next(request, default="")
            target = reverse("cookie_settings") + "?saved=1"
            if back:
                target += "&" + urlencode({"next": back})
            response = HttpResponseRedirect(target)
            consent.store_answer(
                request,
                response,
                form.cleaned_data["personalisation"] == "yes",
                confirm=False,
            )
            return response
    else:
        answer = consent.answer(request)
        initial = {consent.ACCEPTED: "yes", consent.REJECTED: "no"}.get(answer)
        form = CookieSettingsForm(initial={"personalisation": initial})
        saved = request.GET.get("saved") == "1"
    response = TemplateResponse(
        request,
        "personalisation/cookies.html",
        {
            "form": form,
            "saved": saved,
            "next_url": _safe_next(request, default=""),
            "consent_cookie": consent.CONSENT_COOKIE,
            "confirmation_cookie": consent.CONFIRMATION_COOKIE,
            "campaign_cookie": campaigns.CAMPAIGN_COOKIE,
        },
        status=400 if form.errors else 200,
    )
    patch_cache_control(response, private=True, no_cache=True)
    return response


def copy_page_for_segment(request, page_id: int, segment_id: int):
    """The library's "create this variant" button, answered here: it checks that
    the editor may edit the page, and goes to the existing variant's editor (the
    library's view sends editors to the wrong page id in that case)."""
    from django.core.exceptions import PermissionDenied
    from django.shortcuts import get_object_or_404

    from wagtail.models import Page

    from wagtail_personalisation.models import Segment

    segment = get_object_or_404(Segment, pk=segment_id)
    page = get_object_or_404(Page, pk=page_id).specific
    if not hasattr(page, "personalisation_metadata"):
        raise Http404
    if not page.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    metadata = page.personalisation_metadata
    if not metadata.is_canonical:
        raise Http404
    existing = metadata.metadata_for_segments([segment]).first()
    variant_id = existing.variant_id if existing else None
    if variant_id is None:
        variant_id = metadata.copy_for_segment(segment).pk
    return HttpResponseRedirect(reverse("wagtailadmin_pages:edit", args=[variant_id]))
