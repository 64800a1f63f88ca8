"""Open311 GeoReport v2 at ``/open311/v2/``, for report-it apps and FixMyStreet.

* ``services.{json,xml}``: one service per category of each service definition
  offered through Open311 (``ServiceDefinition.open311``), coded
  ``<prefix>-<category>`` (``STR-pothole``); ``services/<code>.{json,xml}`` is its
  definition (no extra attributes).
* ``POST requests.{json,xml}``: a report, with ``api_key`` (an API client's
  token, allowed to write, scoped to the service). It becomes a case in the
  service's queue through ``services.actions.open_case``, like a web report.
* ``GET requests.{json,xml}`` and ``requests/<id>.{json,xml}``: reports of
  Open311 services, with what the public may see (no contact details).
* ``servicerequestupdates.{json,xml}`` (the FixMyStreet updates extension):
  public status changes and updates between ``start_date`` and ``end_date``, so
  the reporter sees ours on FixMyStreet.

Input is untrusted: only the fields GeoReport v2 defines are accepted (anything
else is a 400), every field is bounded, the body is capped, reports are limited
per key, and errors are GeoReport errors (``[{"code", "description"}]``), never
a server error.
"""

from __future__ import annotations

import datetime
import json
from xml.etree import ElementTree as ET

from django import forms
from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.csrf import csrf_exempt

from home.platform import ratelimit
from services import actions
from services.enums import CLOSED_STATUSES, CaseEventKind, CaseStatus, Channel
from services.forms import STREET_CATEGORIES, council_bounds
from services.models import ApiCallLog, ApiClient, Case, CaseEvent, ServiceDefinition
from services.models.integrations import hash_token

CATEGORY_LABELS = dict(STREET_CATEGORIES)
# FixMyStreet's status words for our statuses.
UPDATE_STATUS = {
    CaseStatus.SUBMITTED: "OPEN",
    CaseStatus.IN_PROGRESS: "IN_PROGRESS",
    CaseStatus.AWAITING_INFO: "INVESTIGATING",
    CaseStatus.RESOLVED: "FIXED",
    CaseStatus.CLOSED: "CLOSED",
    CaseStatus.REJECTED: "NO_FURTHER_ACTION",
}
MAX_RESULTS = 200


class Open311Error(Exception):
    def __init__(self, status: int, description: str):
        super().__init__(description)
        self.status = status
        self.description = description


# Rendering ---------------------------------------------------------------


def _xml(root: str, item: str, rows: list[dict]) -> bytes:
    top = ET.Element(root)
    for row in rows:
        element = ET.SubElement(top, item)
        for key, value in row.items():
            child = ET.SubElement(element, key)
            if isinstance(value, list):
                for entry in value:
                    ET.SubElement(child, "value").text = str(entry)
            elif value is not None:
                child.text = (
                    str(value).lower() if isinstance(value, bool) else str(value)
                )
    return b'<?xml version="1.0" encoding="utf-8"?>' + ET.tostring(top)


def render(fmt: str, rows, *, root: str, item: str, status: int = 200):
    if fmt == "xml":
        return HttpResponse(
            _xml(root, item, rows),
            status=status,
            content_type="text/xml; charset=utf-8",
        )
    return HttpResponse(
        json.dumps(rows), status=status, content_type="application/json"
    )


def error(fmt: str, status: int, description: str):
    return render(
        fmt,
        [{"code": status, "description": description}],
        root="errors",
        item="error",
        status=status,
    )


def endpoint(view):
    """Format from the suffix, GeoReport errors for anything refused, the body
    capped, and an audit row for every change."""

    @csrf_exempt
    def wrapped(request, fmt, *args, **kwargs):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.API_MAX_BODY_BYTES:
            return error(fmt, 413, "The request body is too large.")
        try:
            return view(request, fmt, *args, **kwargs)
        except Open311Error as exc:
            return error(fmt, exc.status, exc.description)

    return wrapped


# Services ----------------------------------------------------------------


def _services():
    return ServiceDefinition.objects.filter(open311=True).order_by("name")


def service_rows() -> list[dict]:
    return [
        {
            "service_code": f"{service.reference_prefix}-{code}",
            "service_name": label,
            "description": f"{label} ({service.name})",
            "metadata": False,
            "type": "realtime",
            "keywords": "",
            "group": service.name,
        }
        for service in _services()
        for code, label in STREET_CATEGORIES
    ]


def find_service(code: str) -> tuple[ServiceDefinition, str]:
    prefix, _, category = (code or "").partition("-")
    service = _services().filter(reference_prefix=prefix).first()
    if service is None or category not in CATEGORY_LABELS:
        raise Open311Error(404, "No service with that service_code.")
    return service, category


@endpoint
def services_list(request, fmt):
    if request.method != "GET":
        raise Open311Error(405, "Use GET.")
    return render(fmt, service_rows(), root="services", item="service")


@endpoint
def service_definition(request, fmt, code):
    if request.method != "GET":
        raise Open311Error(405, "Use GET.")
    find_service(code)
    body = {"service_code": code, "attributes": []}
    if fmt == "xml":
        top = ET.Element("service_definition")
        ET.SubElement(top, "service_code").text = code
        ET.SubElement(top, "attributes")
        return HttpResponse(
            b'<?xml version="1.0" encoding="utf-8"?>' + ET.tostring(top),
            content_type="text/xml; charset=utf-8",
        )
    return HttpResponse(json.dumps(body), content_type="application/json")


# Requests ----------------------------------------------------------------


class ReportForm(forms.Form):
    """The GeoReport v2 fields we accept for a new request."""

    api_key = forms.CharField(max_length=100)
    jurisdiction_id = forms.CharField(max_length=100, required=False)
    service_code = forms.CharField(max_length=40)
    lat = forms.DecimalField(max_digits=9, decimal_places=6, required=False)
    long = forms.DecimalField(max_digits=9, decimal_places=6, required=False)
    address_string = forms.CharField(max_length=300, required=False)
    address_id = forms.CharField(max_length=12, required=False)
    email = forms.EmailField(max_length=254)
    device_id = forms.CharField(max_length=100, required=False)
    account_id = forms.CharField(max_length=100, required=False)
    first_name = forms.CharField(max_length=60, required=False)
    last_name = forms.CharField(max_length=60, required=False)
    phone = forms.CharField(max_length=30, required=False)
    description = forms.CharField(max_length=4000)
    media_url = forms.URLField(max_length=500, required=False, assume_scheme="https")

    def clean(self):
        data = super().clean()
        lat, lng = data.get("lat"), data.get("long")
        if (lat is None) != (lng is None):
            raise forms.ValidationError("Give both lat and long.")
        if lat is None and not data.get("address_string"):
            raise forms.ValidationError("Give lat and long, or address_string.")
        if lat is not None:
            south, west, north, east = council_bounds()
            if not (south <= float(lat) <= north and west <= float(lng) <= east):
                raise forms.ValidationError("That place is outside the council's area.")
        return data


def _first_error(form) -> str:
    for field, errors in form.errors.items():
        name = "" if field == "__all__" else f"{field}: "
        return f"{name}{errors[0]}"
    return "Not valid."


def _client_for(key: str, service: ServiceDefinition) -> ApiClient:
    client = (
        ApiClient.objects.active().filter(token_hash=hash_token(key)).first()
        if key
        else None
    )
    if client is None:
        raise Open311Error(403, "The api_key is not valid.")
    if not client.can_write or not client.services.filter(pk=service.pk).exists():
        raise Open311Error(403, "This api_key may not report to that service.")
    return client


def post_request(request, fmt):
    if request.content_type not in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        raise Open311Error(400, "Send the fields form-encoded.")
    if request.FILES:
        raise Open311Error(400, "Send photos as media_url.")
    unknown = sorted(k for k in request.POST if k not in ReportForm.base_fields)
    if unknown:
        raise Open311Error(400, f"Fields not accepted: {', '.join(unknown)[:200]}")
    form = ReportForm(request.POST)
    if not form.is_valid():
        raise Open311Error(400, _first_error(form))
    data = form.cleaned_data
    service, category = find_service(data["service_code"])
    client = _client_for(data["api_key"], service)
    if not ratelimit.allow_for(
        f"open311:{client.pk}",
        scope="open311",
        limit=settings.API_RATE_LIMIT,
        window=settings.API_RATE_WINDOW_SECONDS,
    ):
        raise Open311Error(429, "Too many requests; try again in a minute.")
    label = CATEGORY_LABELS[category]
    name = " ".join(p for p in (data["first_name"], data["last_name"]) if p)
    case = actions.open_case(
        service=service,
        answers={
            "category": category,
            "category_label": label,
            "description": data["description"],
            "media_url": data["media_url"],
            "source": client.name,
            "device_id": data["device_id"],
        },
        guest_email=data["email"],
        contact_name=name,
        summary=label,
        category=category,
        latitude=data["lat"],
        longitude=data["long"],
        location_description=data["address_string"],
        uprn=data["address_id"] if data["address_id"].isdigit() else "",
        channel=Channel.API,
    )
    ApiCallLog.objects.create(
        client=client,
        method="POST",
        path=request.path[:300],
        status_code=201,
        case_reference=case.reference,
    )
    rows = [
        {
            "service_request_id": case.reference,
            "service_notice": f"Due by {case.due_date:%d %B %Y}",
            "account_id": None,
        }
    ]
    return render(fmt, rows, root="service_requests", item="request", status=201)


def _open311_cases():
    return Case.objects.filter(
        service__open311=True, anonymised_at__isnull=True
    ).select_related("service")


def request_row(case: Case) -> dict:
    return {
        "service_request_id": case.reference,
        "status": "closed" if case.status in CLOSED_STATUSES else "open",
        "status_notes": CaseStatus(case.status).label,
        "service_name": CATEGORY_LABELS.get(case.category, case.case_type),
        "service_code": f"{case.service.reference_prefix}-{case.category}",
        "description": case.answers.get("description", "")[:4000]
        if isinstance(case.answers, dict)
        else "",
        "agency_responsible": case.service.name,
        "requested_datetime": case.created_at.isoformat(),
        "updated_datetime": case.updated_at.isoformat(),
        "address": case.location_description,
        "lat": None if case.latitude is None else str(case.latitude),
        "long": None if case.longitude is None else str(case.longitude),
    }


def _date(value: str, name: str):
    if not value:
        return None
    parsed = parse_datetime(value[:40])
    if parsed is None:
        raise Open311Error(400, f"{name} must be a W3C date and time.")
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed, datetime.UTC)
    return parsed


QUERY_FIELDS = {
    "service_request_id",
    "service_code",
    "start_date",
    "end_date",
    "status",
    "jurisdiction_id",
    "api_key",
}


def _check_query(request, allowed=QUERY_FIELDS):
    unknown = sorted(k for k in request.GET if k not in allowed)
    if unknown:
        raise Open311Error(400, f"Parameters not accepted: {', '.join(unknown)[:200]}")


def get_requests(request, fmt):
    _check_query(request)
    cases = _open311_cases()
    if ids := request.GET.get("service_request_id", ""):
        cases = cases.filter(reference__in=[i.strip() for i in ids.split(",")[:50]])
    if code := request.GET.get("service_code", ""):
        prefix, _, category = code.partition("-")
        cases = cases.filter(service__reference_prefix=prefix, category=category)
    if start := _date(request.GET.get("start_date", ""), "start_date"):
        cases = cases.filter(created_at__gte=start)
    if end := _date(request.GET.get("end_date", ""), "end_date"):
        cases = cases.filter(created_at__lte=end)
    status = request.GET.get("status", "")
    if status == "open":
        cases = cases.open()
    elif status == "closed":
        cases = cases.filter(status__in=CLOSED_STATUSES)
    elif status:
        raise Open311Error(400, "status must be open or closed.")
    rows = [request_row(c) for c in cases.order_by("-created_at")[:MAX_RESULTS]]
    return render(fmt, rows, root="service_requests", item="request")


@endpoint
def requests_collection(request, fmt):
    if request.method == "POST":
        return post_request(request, fmt)
    if request.method == "GET":
        return get_requests(request, fmt)
    raise Open311Error(405, "Use GET or POST.")


@endpoint
def request_detail(request, fmt, reference):
    if request.method != "GET":
        raise Open311Error(405, "Use GET.")
    _check_query(request, {"jurisdiction_id", "api_key"})
    case = _open311_cases().filter(reference=reference).first()
    if case is None:
        raise Open311Error(404, "No request with that service_request_id.")
    return render(fmt, [request_row(case)], root="service_requests", item="request")


@endpoint
def request_updates(request, fmt):
    """FixMyStreet's ``servicerequestupdates``: our public changes to reports."""
    if request.method != "GET":
        raise Open311Error(405, "Use GET.")
    _check_query(request, {"start_date", "end_date", "jurisdiction_id", "api_key"})
    now = timezone.now()
    start = _date(request.GET.get("start_date", ""), "start_date") or (
        now - datetime.timedelta(days=1)
    )
    end = _date(request.GET.get("end_date", ""), "end_date") or now
    events = (
        CaseEvent.objects.public()
        .filter(
            case__service__open311=True,
            case__anonymised_at__isnull=True,
            kind__in=[CaseEventKind.STATUS_CHANGED, CaseEventKind.PUBLIC_UPDATE],
            created_at__gte=start,
            created_at__lte=end,
        )
        .select_related("case")
        .order_by("created_at", "pk")[:MAX_RESULTS]
    )
    rows = [
        {
            "update_id": str(event.pk),
            "service_request_id": event.case.reference,
            "status": UPDATE_STATUS.get(event.to_status or event.case.status, "OPEN"),
            "updated_datetime": event.created_at.isoformat(),
            "description": event.text
            or (CaseStatus(event.to_status).label if event.to_status else ""),
            "media_url": "",
        }
        for event in events
    ]
    return render(
        fmt,
        rows,
        root="service_requests_updates",
        item="request_update",
    )
