"""Errors as RFC 9457 problem details (``application/problem+json``).

Every 4xx the API gives has a ``title``, the HTTP ``status`` and, where one field
was wrong, ``errors`` naming each field. DRF's exceptions, Django's 404 and
permission errors all arrive here (``REST_FRAMEWORK["EXCEPTION_HANDLER"]``).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from rest_framework import exceptions, status
from rest_framework.response import Response

PROBLEM = "application/problem+json"

TITLES = {
    400: "Bad request",
    401: "Not authenticated",
    403: "Not allowed",
    404: "Not found",
    405: "Method not allowed",
    406: "Not acceptable",
    409: "Conflict",
    413: "Request body too large",
    415: "Unsupported media type",
    429: "Too many requests",
}


def problem(status_code: int, detail: str = "", *, errors=None, headers=None):
    body = {
        "type": "about:blank",
        "title": TITLES.get(status_code, "Error"),
        "status": status_code,
    }
    if detail:
        body["detail"] = detail
    if errors:
        body["errors"] = errors
    response = Response(body, status=status_code, headers=headers)
    response.content_type = PROBLEM
    return response


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The case cannot change that way."


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request body is too large."


def _flatten(detail, prefix=""):
    """DRF's nested error detail as {"field": ["message", ...]}."""
    if isinstance(detail, dict):
        out = {}
        for key, value in detail.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            out |= _flatten(value, name)
        return out
    if isinstance(detail, list):
        if all(not isinstance(v, (dict, list)) for v in detail):
            return {prefix or "body": [str(v) for v in detail]}
        out = {}
        for index, value in enumerate(detail):
            out |= _flatten(value, f"{prefix}[{index}]")
        return out
    return {prefix or "body": [str(detail)]}


def exception_handler(exc, context):
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    if not isinstance(exc, exceptions.APIException):
        return None
    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(exc.wait))
    if isinstance(exc, exceptions.ValidationError):
        errors = _flatten(exc.detail)
        return problem(
            400, "Some fields are not valid.", errors=errors, headers=headers
        )
    detail = exc.detail if isinstance(exc.detail, str) else ""
    return problem(exc.status_code, str(detail), headers=headers)
