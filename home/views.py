"""Views for the website's own URLs: feedback, alert dismissal, robots.txt, errors."""

from django.conf import settings
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wagtail.models import Page, Site

from frontend.redirects import next_from
from home.actions import record_feedback
from home.forms import PageFeedbackForm
from home.models import AlertBanner
from home.platform.ratelimit import allow

DISMISSED_ALERTS_COOKIE = "dismissed_alerts"


def healthz(request):
    """Liveness check for load balancers; also the benchmark's trivial view."""
    return HttpResponse("ok", content_type="text/plain")


@never_cache
@require_GET
def readyz(request):
    """Readiness for load balancers: each dependency's state as JSON, 503 only when
    this instance cannot serve at all (``home.readiness``)."""
    from home.readiness import check_all

    status, report = check_all()
    return JsonResponse(report, status=status)


# Feedback needs no CSRF token: it changes nothing that belongs to anyone, it is
# rate-limited, and a token would set a cookie on every page and defeat the page cache.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def feedback(request):
    """Receive 'Was this page useful?' answers; show errors on a page of their own."""
    if request.method == "GET":
        page = (
            Page.objects.live()
            .public()
            .filter(pk=_int(request.GET.get("page")))
            .first()
        )
        form = PageFeedbackForm(initial={"page": page.pk if page else None})
        return render(
            request, "home/feedback/form.html", _feedback_context(request, form, page)
        )
    form = PageFeedbackForm(request.POST)
    target = (
        Page.objects.live().public().filter(pk=_int(request.POST.get("page"))).first()
    )
    if not allow(
        request,
        scope="feedback",
        limit=settings.FEEDBACK_RATE_LIMIT,
        window=settings.FEEDBACK_RATE_WINDOW_SECONDS,
    ):
        form.is_valid()
        form.add_error(
            None,
            "You have sent a lot of feedback in a short time. Wait a few minutes and try again",
        )
        return render(
            request,
            "home/feedback/form.html",
            _feedback_context(request, form, target),
            status=429,
        )
    if not form.is_valid():
        return render(
            request,
            "home/feedback/form.html",
            _feedback_context(request, form, target),
            status=400,
        )
    record_feedback(
        page=form.cleaned_data["page"],
        useful=form.cleaned_data["useful"],
        comment=form.cleaned_data["comment"],
    )
    return HttpResponseRedirect(
        f"{reverse('feedback_thanks')}?page={form.cleaned_data['page'].pk}"
    )


@require_GET
def feedback_thanks(request):
    target = (
        Page.objects.live().public().filter(pk=_int(request.GET.get("page"))).first()
    )
    response = TemplateResponse(
        request, "home/feedback/thanks.html", _feedback_context(request, None, target)
    )
    patch_cache_control(response, private=True, no_cache=True)
    return response


# Hiding an alert only sets a cookie on the visitor's own browser; no token is
# needed and requiring one would put a cookie on every cached page.
@csrf_exempt
@require_POST
def dismiss_alert(request, alert_id: int):
    """Hide one alert for this browser and go back to the page, without JavaScript."""
    alert = AlertBanner.objects.filter(pk=alert_id, live=True).first()
    response = HttpResponseRedirect(next_from(request, default="/"))
    if alert and alert.dismissible:
        dismissed = dismissed_alert_ids(request) | {alert.pk}
        response.set_cookie(
            DISMISSED_ALERTS_COOKIE,
            ",".join(str(pk) for pk in sorted(dismissed)),
            max_age=60 * 60 * 24 * 30,
            samesite="Lax",
            secure=request.is_secure(),
            httponly=False,  # read by the script that hides alerts on cached pages
        )
    return response


def dismissed_alert_ids(request) -> set[int]:
    raw = request.COOKIES.get(DISMISSED_ALERTS_COOKIE, "")
    return {int(part) for part in raw.split(",")[:50] if part.isdigit()}


@require_GET
def robots_txt(request):
    """Per-site robots.txt naming that site's sitemap."""
    site = Site.find_for_request(request)
    root = site.root_url if site else request.build_absolute_uri("/").rstrip("/")
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /search/",
        "Disallow: /feedback/",
        f"Sitemap: {root}/sitemap.xml",
    ]
    response = HttpResponse("\n".join(lines) + "\n", content_type="text/plain")
    patch_cache_control(response, public=True, max_age=3600)
    return response


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # Rendered without context processors: the error may be the database.
    return HttpResponse(loader.get_template("500.html").render({}), status=500)


def _feedback_context(request, form, target) -> dict:
    return {
        "form": form,
        "target": target,
        "target_url": target.get_url(request) if target else None,
    }


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0
