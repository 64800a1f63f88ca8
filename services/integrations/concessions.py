"""Concession checks: does the benefits back office confirm a resident's
reduction reference (council tax reduction, housing benefit) for this address?

``get_concessions_client()`` chooses by ``CONCESSIONS_BACKEND``: ``http`` is the
council's benefits system (``CONCESSIONS_API_URL``, bearer
``CONCESSIONS_API_TOKEN``, timeout ``CONCESSIONS_TIMEOUT_SECONDS``); ``local`` is
a demo provider.

HTTP API (JSON):
* ``GET {url}/concessions/{reference}?postcode=GU14RT`` →
  ``{"reference": "CTR123456", "eligible": true, "scheme": "council_tax_reduction",
  "valid_until": "2027-03-31"}``; 404 when the reference is unknown.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.conf import settings

import requests

from frontend.formats import normalise_postcode

REFERENCE = re.compile(r"^[A-Z]{2,4}\d{6,8}$")


class ConcessionServiceError(Exception):
    """Base for every concession back-office failure."""


class ConcessionServiceUnavailable(ConcessionServiceError):
    pass


@dataclass(frozen=True)
class ConcessionResult:
    reference: str
    eligible: bool
    scheme: str = ""
    valid_until: datetime.date | None = None


def clean_reference(value: str) -> str:
    return re.sub(r"\s+", "", value or "").upper()


class BaseConcessionsClient:
    name = "base"

    def check(self, *, reference: str, postcode: str) -> ConcessionResult:
        raise NotImplementedError


class HttpConcessionsClient(BaseConcessionsClient):
    name = "http"

    def __init__(self, *, base_url: str, token: str, timeout: float, session=None):
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.session = session or requests.Session()
        if token:
            self.session.headers["Authorization"] = f"Bearer {token}"
        self.session.headers["Accept"] = "application/json"

    def check(self, *, reference, postcode):
        reference = clean_reference(reference)
        if not REFERENCE.match(reference):
            return ConcessionResult(reference=reference, eligible=False)
        path = f"/concessions/{reference}"
        try:
            response = self.session.get(
                f"{self.base_url}{path}",
                params={"postcode": normalise_postcode(postcode).replace(" ", "")},
                timeout=self.timeout,
            )
        except (requests.Timeout, requests.ConnectionError) as exc:
            raise ConcessionServiceUnavailable(str(exc)) from exc
        if response.status_code == 404:
            return ConcessionResult(reference=reference, eligible=False)
        if response.status_code >= 500:
            raise ConcessionServiceUnavailable(f"{response.status_code} from {path}")
        if response.status_code >= 400:
            raise ConcessionServiceError(f"{response.status_code} from {path}")
        try:
            data = response.json()
            until = data.get("valid_until")
            return ConcessionResult(
                reference=str(data["reference"]),
                eligible=bool(data["eligible"]),
                scheme=str(data.get("scheme", "")),
                valid_until=datetime.date.fromisoformat(until) if until else None,
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ConcessionServiceError("Unexpected concession data") from exc


class LocalConcessionsClient(BaseConcessionsClient):
    """Demo provider: references CTR followed by six digits are confirmed, unless
    they end in 0 (to show the refused branch)."""

    name = "local"

    def check(self, *, reference, postcode):
        reference = clean_reference(reference)
        eligible = bool(
            re.match(r"^CTR\d{6}$", reference) and not reference.endswith("0")
        )
        return ConcessionResult(
            reference=reference,
            eligible=eligible,
            scheme="council_tax_reduction" if eligible else "",
        )


def get_concessions_client() -> BaseConcessionsClient:
    if settings.CONCESSIONS_BACKEND == "http":
        return HttpConcessionsClient(
            base_url=settings.CONCESSIONS_API_URL,
            token=settings.CONCESSIONS_API_TOKEN,
            timeout=settings.CONCESSIONS_TIMEOUT_SECONDS,
        )
    return LocalConcessionsClient()
