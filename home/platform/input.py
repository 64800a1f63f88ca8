"""Input no view can store: refused before any view sees it.

PostgreSQL text cannot hold a NUL character, so a NUL that reaches a query raises
instead of matching nothing, and the visitor got a server error. Rather than guard
every lookup, requests carrying one are answered "400 Bad Request" here, before the
session, the page cache or any view reads them:

* the path: any control character (C0 or DEL), since no URL of ours has one;
* query parameters, cookies, the User-Agent (kept with each signed-in session) and
  form fields: a NUL (tabs and new lines are ordinary in a text area). Single-line
  form fields are cleaned of the other control characters by
  ``frontend.forms.GovUKForm``. Other headers are never stored, so odd ones pass.

A browser never sends any of these from a page of ours; they come from broken
links, scripts and scanners, so a plain error page is the right answer. Under the
paths in ``MACHINE_API_PATHS`` (the APIs other systems call) the answer is an
RFC 9457 problem (``application/problem+json``) instead, as the APIs give.
"""

import json
import re

from django.conf import settings
from django.http import HttpResponse, HttpResponseBadRequest
from django.template import loader

_PATH_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
NUL = "\x00"
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _has_nul(items) -> bool:
    return any(NUL in key or any(NUL in v for v in values) for key, values in items)


def request_has_bad_input(request) -> bool:
    """True when the request carries characters no view can store."""
    if _PATH_CONTROL.search(request.path_info):
        return True
    query = request.META.get("QUERY_STRING", "")
    if ("%00" in query or NUL in query) and _has_nul(request.GET.lists()):
        return True
    if any(NUL in key or NUL in value for key, value in request.COOKIES.items()):
        return True
    if NUL in request.META.get("HTTP_USER_AGENT", ""):
        return True
    return (
        request.method == "POST"
        and request.content_type in _FORM_TYPES
        and _has_nul(request.POST.lists())
    )


def bad_request_response() -> HttpResponseBadRequest:
    # Rendered without a request: nothing about the visitor is read.
    return HttpResponseBadRequest(loader.get_template("400.html").render({}))


def bad_api_request_response() -> HttpResponse:
    body = {
        "type": "about:blank",
        "title": "Bad request",
        "status": 400,
        "detail": "The request carries characters that cannot be read.",
    }
    return HttpResponse(
        json.dumps(body), status=400, content_type="application/problem+json"
    )


class RefuseBadInputMiddleware:
    """Answer 400 to a request carrying a NUL (or a control character in its path)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request_has_bad_input(request):
            if request.path_info.startswith(tuple(settings.MACHINE_API_PATHS)):
                return bad_api_request_response()
            return bad_request_response()
        return self.get_response(request)
