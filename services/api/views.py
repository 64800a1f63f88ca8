"""The case API: read a service's cases and work them as staff would.

Every change goes through ``services.actions`` (the same workflow, timeline,
outbox emails and webhooks as the admin); the timeline entry says which system
made it. Each view is thin: parse with a strict serializer, call the action,
answer with the case.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import connection
from django.http import Http404, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import serializers
from rest_framework.pagination import CursorPagination
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response
from rest_framework.views import APIView

from services import actions, uploads
from services.api import auth, read_cache
from services.api.problems import PROBLEM, Conflict, PayloadTooLarge
from services.api.serializers import (
    ATTACHMENT_COLUMNS,
    CASE_ROW_COLUMNS,
    CASE_ROW_EXPRESSIONS,
    EVENT_COLUMNS,
    NO_CONTROL_CHARACTERS,
    AttachmentUploadSerializer,
    CaseDetailSerializer,
    CaseSerializer,
    CloseSerializer,
    PublicUpdateSerializer,
    StatusChangeSerializer,
    StrictSerializer,
    case_detail,
    case_rows,
)
from services.enums import CaseStatus
from services.models import ApiCallLog, Case, CaseAttachment, CaseEvent

Problem = inline_serializer(
    "Problem",
    {
        "type": serializers.CharField(),
        "title": serializers.CharField(),
        "status": serializers.IntegerField(),
        "detail": serializers.CharField(required=False),
        "errors": serializers.DictField(
            child=serializers.ListField(child=serializers.CharField()),
            required=False,
        ),
    },
)


def _problems(**codes) -> dict:
    return {
        (int(code[1:]), PROBLEM): OpenApiResponse(Problem, description=text)
        for code, text in codes.items()
    }


ERRORS = _problems(
    _400="Bad input",
    _401="No valid token",
    _403="The token may not do this",
    _404="No such case for this token",
    _406="Ask for application/json",
    _413="Request body too large",
    _415="Send application/json",
    _429="Rate limit reached",
)
CHANGE_ERRORS = ERRORS | _problems(_409="The workflow does not allow it")


def log_call(**fields) -> None:
    """Write the audit row of a call.

    A read writes nothing but this row, and waiting for PostgreSQL to flush it
    to disk (milliseconds, far more on a busy disk) was the longest wait in a
    read, taken by every read in turn. So a read's row is committed without
    waiting for the flush (``synchronous_commit`` off for that one
    transaction): a database crash may lose the last fraction of a second of
    read rows, never a change's, and never leaves a half-written row.
    """
    if fields["method"] in SAFE_METHODS and connection.vendor == "postgresql":
        _insert_without_flush(ApiCallLog(**fields))
    else:
        ApiCallLog.objects.create(**fields)


def _insert_without_flush(row: ApiCallLog) -> None:
    """One statement, so one round trip and (outside a request's transaction)
    its own transaction: ``set_config(..., true)`` turns ``synchronous_commit``
    off for that transaction alone, which is what ``BEGIN``, ``SET LOCAL``, the
    insert and ``COMMIT`` did in four."""
    meta = ApiCallLog._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name
    # Names from the model's meta; every value is bound.
    sql = "INSERT INTO {} ({}) SELECT {} FROM {}".format(  # noqa: S608
        quote(meta.db_table),
        ", ".join(quote(f.column) for f in fields),
        ", ".join(["%s"] * len(fields)),
        "set_config('synchronous_commit', 'off', true)",
    )
    values = [f.get_db_prep_save(getattr(row, f.attname), connection) for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, values)


class ApiView(APIView):
    """Bearer tokens, per-client limits, a size cap and an audit row per call."""

    authentication_classes = [auth.BearerTokenAuthentication]
    permission_classes = [auth.ReadOrWrite]
    throttle_classes = [auth.PerClientRateThrottle]

    def max_body_bytes(self) -> int:
        return settings.API_MAX_BODY_BYTES

    def initial(self, request, *args, **kwargs):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > self.max_body_bytes():
            raise PayloadTooLarge(f"Send at most {self.max_body_bytes()} bytes.")
        if request.method in ("GET", "HEAD") and read_cache.enabled():
            token_hash = auth.token_hash_of(request)
            if token_hash is not None:
                # Before authentication, which may take the client from it.
                request.api_read = read_cache.Read(
                    token_hash, request.build_absolute_uri()
                )
        super().initial(request, *args, **kwargs)

    def kept_answer(self) -> HttpResponse | None:
        """The answer given to this token for this URL, if no case, service or
        client has changed since (``services.api.read_cache``)."""
        read = getattr(self.request, "api_read", None)
        if read is None or read.answer is None:
            return None
        return HttpResponse(read.answer, content_type="application/json")

    @property
    def client(self):
        return self.request.user.client

    def cases(self):
        return Case.objects.filter(
            service__api_clients=self.client, anonymised_at__isnull=True
        ).select_related("service")

    def get_case(self, reference: str) -> Case:
        case = self.cases().filter(reference=reference).first()
        if case is None:
            raise Http404
        return case

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        read = getattr(request, "api_read", None)
        if (
            read is not None
            and read.answer is None
            and isinstance(response, Response)
            and response.status_code == 200
        ):
            read.keep(response.render().content)
        user = getattr(request, "_user", None)
        log_call(
            client_id=user.pk if isinstance(user, auth.ApiPrincipal) else None,
            method=request.method[:8],
            path=request.path[:300],
            status_code=response.status_code,
            case_reference=str(kwargs.get("reference", ""))[:24],
        )
        return response

    def read_case(self, **lookup) -> dict | None:
        """The case as the API shows it, in three queries (the case with its
        service's prefix and workflow, its public timeline, its attachments),
        read as plain rows (``serializers.case_detail``), or None."""
        row = (
            self.cases()
            .filter(**lookup)
            .values(*CASE_ROW_COLUMNS, **CASE_ROW_EXPRESSIONS)
            .first()
        )
        if row is None:
            return None
        events = (
            CaseEvent.objects.filter(case_id=row["id"], public=True)
            .order_by("created_at", "pk")
            .values(*EVENT_COLUMNS)
        )
        attachments = CaseAttachment.objects.filter(case_id=row["id"]).values(
            *ATTACHMENT_COLUMNS
        )
        return case_detail(row, events, attachments)

    def answer_case(self, case: Case, status: int = 200) -> Response:
        return Response(self.read_case(pk=case.pk), status=status)

    def via(self) -> dict:
        return {"api_client": self.client.name}


class CasePagination(CursorPagination):
    page_size = 50
    ordering = ("-created_at", "-id")


class CaseListFilter(StrictSerializer):
    status = serializers.ChoiceField(choices=CaseStatus.choices, required=False)
    service = serializers.RegexField(
        r"^[A-Z]{0,6}$",
        max_length=6,
        required=False,
        allow_blank=True,
        help_text="Reference prefix, e.g. BIN",
    )
    cursor = serializers.RegexField(
        r"^[A-Za-z0-9+/=_-]{0,200}$",
        max_length=200,
        required=False,
        allow_blank=True,
        help_text="From a page's next link",
    )


CasePage = inline_serializer(
    "CasePage",
    {
        "next": serializers.URLField(allow_null=True),
        "previous": serializers.URLField(allow_null=True),
        "results": CaseSerializer(many=True),
    },
)


class CaseList(ApiView):
    """Cases of the services this token may see, newest first, 50 a page
    (follow ``next``)."""

    @extend_schema(
        operation_id="list_cases",
        summary="List cases",
        parameters=[CaseListFilter],
        responses={200: CasePage, **ERRORS},
    )
    def get(self, request):
        if (kept := self.kept_answer()) is not None:
            return kept
        filters = CaseListFilter(data=request.query_params.dict())
        filters.is_valid(raise_exception=True)
        cases = self.cases()
        if status := filters.validated_data.get("status"):
            cases = cases.filter(status=status)
        if service := filters.validated_data.get("service"):
            cases = cases.filter(service__reference_prefix=service)
        paginator = CasePagination()
        # Plain rows (the paginator reads its cursor from them as from models).
        page = paginator.paginate_queryset(
            cases.values(*CASE_ROW_COLUMNS, **CASE_ROW_EXPRESSIONS), request, view=self
        )
        return paginator.get_paginated_response(case_rows(page))


REFERENCE_PATTERN = r"^[A-Z]{1,6}-[0-9]{4}-[0-9]{6,}$"
REFERENCE = OpenApiParameter(
    "reference",
    {"type": "string", "pattern": REFERENCE_PATTERN, "maxLength": 24},
    OpenApiParameter.PATH,
    description="e.g. BIN-2026-000123",
)


class CaseDetail(ApiView):
    """One case with its public timeline and the statuses it may move to."""

    @extend_schema(
        operation_id="get_case",
        summary="Read a case",
        parameters=[REFERENCE],
        responses={200: CaseDetailSerializer, **ERRORS},
    )
    def get(self, request, reference):
        if (kept := self.kept_answer()) is not None:
            return kept
        case = self.read_case(reference=reference)
        if case is None:
            raise Http404
        return Response(case)


class CaseStatusChange(ApiView):
    """Move the case to one of its ``next_statuses``; the resident is emailed
    with the message, as when staff change it."""

    @extend_schema(
        operation_id="set_case_status",
        summary="Set the status",
        parameters=[REFERENCE],
        request=StatusChangeSerializer,
        responses={200: CaseDetailSerializer, **CHANGE_ERRORS},
    )
    def post(self, request, reference):
        case = self.get_case(reference)
        data = StatusChangeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            actions.change_status(
                case=case,
                to_status=data.validated_data["status"],
                actor=None,
                message=data.validated_data.get("message", "").strip(),
                data=self.via(),
            )
        except actions.InvalidTransition as exc:
            raise Conflict(str(exc)) from exc
        return self.answer_case(case)


class CasePublicUpdate(ApiView):
    """Add an update the resident sees on the case and is emailed about."""

    @extend_schema(
        operation_id="add_case_update",
        summary="Add a public update",
        parameters=[REFERENCE],
        request=PublicUpdateSerializer,
        responses={201: CaseDetailSerializer, **CHANGE_ERRORS},
    )
    def post(self, request, reference):
        case = self.get_case(reference)
        data = PublicUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        text = data.validated_data["text"].strip()
        if not text:
            raise serializers.ValidationError({"text": ["Write the update."]})
        if not case.is_open:
            raise Conflict("The case is closed.")
        actions.add_note(case=case, actor=None, text=text, public=True, data=self.via())
        return self.answer_case(case, status=201)


class CaseClose(ApiView):
    """Close the case with an outcome (resolved, closed or rejected) the
    service's workflow allows; the resident is emailed what was done."""

    @extend_schema(
        operation_id="close_case",
        summary="Close with an outcome",
        parameters=[REFERENCE],
        request=CloseSerializer,
        responses={200: CaseDetailSerializer, **CHANGE_ERRORS},
    )
    def post(self, request, reference):
        case = self.get_case(reference)
        data = CloseSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        message = data.validated_data["message"].strip()
        if not message:
            raise serializers.ValidationError({"message": ["Say what was done."]})
        try:
            actions.change_status(
                case=case,
                to_status=data.validated_data["outcome"],
                actor=None,
                message=message,
                data=self.via(),
            )
        except actions.InvalidTransition as exc:
            raise Conflict(str(exc)) from exc
        return self.answer_case(case)


# Written out rather than generated, to say what the serializer enforces: no
# fields but these, and no control characters in the description.
ATTACHMENT_REQUEST = {
    "type": "object",
    "properties": {
        "file": {
            "type": "string",
            "format": "binary",
            "description": AttachmentUploadSerializer().fields["file"].help_text,
        },
        "description": {
            "type": "string",
            "maxLength": 120,
            "pattern": NO_CONTROL_CHARACTERS,
            "description": AttachmentUploadSerializer().fields["description"].help_text,
        },
    },
    "required": ["file"],
    "additionalProperties": False,
}


class CaseAttachmentUpload(ApiView):
    """Attach a file to the case (``multipart/form-data``: ``file`` and an
    optional ``description``). The file is refused when it is over
    ``CASE_UPLOAD_MAX_BYTES``, carries a virus or is not really a PDF or an
    image; staff see it on the case, the resident does not."""

    parser_classes = [MultiPartParser]
    # Room for the multipart framing around a file of the largest size allowed.
    FRAMING_BYTES = 64 * 1024

    def max_body_bytes(self) -> int:
        return settings.CASE_UPLOAD_MAX_BYTES + self.FRAMING_BYTES

    @extend_schema(
        operation_id="attach_case_file",
        summary="Attach a file",
        parameters=[REFERENCE],
        request={"multipart/form-data": ATTACHMENT_REQUEST},
        responses={201: CaseDetailSerializer, **CHANGE_ERRORS},
    )
    def post(self, request, reference):
        case = self.get_case(reference)
        data = AttachmentUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            checked = uploads.clean_document(data.validated_data["file"])
        except DjangoValidationError as exc:
            raise serializers.ValidationError({"file": exc.messages}) from exc
        if not case.is_open:
            raise Conflict("The case is closed.")
        actions.attach_file(
            case=case,
            checked=checked,
            question=data.validated_data.get("description", "").strip(),
            data=self.via(),
        )
        return self.answer_case(case, status=201)


@csrf_exempt
def not_found(request, *args, **kwargs):
    """Unknown addresses under /api/ answer as the API does, not with a page."""
    response = JsonResponse(
        {"type": "about:blank", "title": "Not found", "status": 404}, status=404
    )
    response["Content-Type"] = PROBLEM
    return response
