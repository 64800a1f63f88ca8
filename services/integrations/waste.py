"""The waste back office: property lookup and collection round status.

``get_waste_client()`` chooses by ``WASTE_BACKEND``: ``http`` is the council's
waste system over HTTP (``WASTE_API_URL``, bearer ``WASTE_API_TOKEN``, timeout
``WASTE_TIMEOUT_SECONDS``); ``local`` is a deterministic demo provider so the
journey works on a laptop. Both return the same plain data classes.

HTTP API (JSON):
* ``GET {url}/properties?postcode=SW1A1AA`` →
  ``{"properties": [{"uprn": "100023336956", "address": "1 High Street, …"}]}``
* ``GET {url}/properties/{uprn}/rounds/{bin_type}`` →
  ``{"uprn": …, "bin_type": …, "scheduled": "2026-12-01", "status": "completed",
  "completed_at": "2026-12-01T11:20:00Z"}``; status is one of ``completed``,
  ``in_progress``, ``not_started``, ``not_scheduled``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

import requests

from frontend.formats import normalise_postcode

BIN_TYPES = [
    ("general", "General waste (black bin)"),
    ("recycling", "Recycling (blue bin)"),
    ("food", "Food waste (brown caddy)"),
    ("garden", "Garden waste (green bin)"),
]


class WasteServiceError(Exception):
    """Base for every waste back-office failure."""


class WasteServiceUnavailable(WasteServiceError):
    """The back office did not answer in time or answered with a server error."""


class PropertyNotFound(WasteServiceError):
    """The back office does not know this property."""


@dataclass(frozen=True)
class Property:
    uprn: str
    address: str
    postcode: str = ""


@dataclass(frozen=True)
class RoundStatus:
    uprn: str
    bin_type: str
    scheduled: datetime.date | None
    status: str  # completed, in_progress, not_started, not_scheduled

    def finished_today(self, today: datetime.date | None = None) -> bool:
        """A missed collection can be reported once today's round is finished."""
        today = today or timezone.localdate()
        return self.status == "completed" and self.scheduled == today

    @property
    def explanation(self) -> str:
        if self.status == "not_scheduled":
            return "This bin was not due to be collected today."
        if self.status in ("in_progress", "not_started"):
            return (
                "The crew has not finished the round for your street yet today. "
                "Please leave your bin out: collections can run until 6pm."
            )
        return ""


class BaseWasteClient:
    name = "base"

    def find_properties(self, postcode: str) -> list[Property]:
        raise NotImplementedError

    def round_status(self, *, uprn: str, bin_type: str) -> RoundStatus:
        raise NotImplementedError


class HttpWasteClient(BaseWasteClient):
    name = "http"

    def __init__(self, *, base_url: str, token: str, timeout: float, session=None):
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.session = session or requests.Session()
        if token:
            self.session.headers["Authorization"] = f"Bearer {token}"
        self.session.headers["Accept"] = "application/json"

    def _get(self, path: str, params=None) -> dict:
        try:
            response = self.session.get(
                f"{self.base_url}{path}", params=params, timeout=self.timeout
            )
        except (requests.Timeout, requests.ConnectionError) as exc:
            raise WasteServiceUnavailable(str(exc)) from exc
        if response.status_code == 404:
            raise PropertyNotFound(path)
        if response.status_code >= 500:
            raise WasteServiceUnavailable(f"{response.status_code} from {path}")
        if response.status_code >= 400:
            raise WasteServiceError(f"{response.status_code} from {path}")
        try:
            return response.json()
        except ValueError as exc:
            raise WasteServiceError(f"Invalid JSON from {path}") from exc

    def find_properties(self, postcode: str) -> list[Property]:
        postcode = normalise_postcode(postcode)
        if not postcode:
            return []
        data = self._get("/properties", {"postcode": postcode.replace(" ", "")})
        try:
            return [
                Property(uprn=str(p["uprn"]), address=p["address"], postcode=postcode)
                for p in data["properties"]
            ]
        except (KeyError, TypeError) as exc:
            raise WasteServiceError("Unexpected property data") from exc

    def round_status(self, *, uprn: str, bin_type: str) -> RoundStatus:
        if not uprn.isdigit():
            raise PropertyNotFound(uprn)
        data = self._get(f"/properties/{uprn}/rounds/{bin_type}")
        try:
            scheduled = data.get("scheduled")
            return RoundStatus(
                uprn=str(data["uprn"]),
                bin_type=data["bin_type"],
                scheduled=datetime.date.fromisoformat(scheduled) if scheduled else None,
                status=data["status"],
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise WasteServiceError("Unexpected round data") from exc


class LocalWasteClient(BaseWasteClient):
    """Demo provider: five houses in any valid postcode; every round finished
    today except at number 5, where the crew is still out (to show that branch)."""

    name = "local"

    def find_properties(self, postcode: str) -> list[Property]:
        postcode = normalise_postcode(postcode)
        if not postcode:
            return []
        seed = sum(ord(c) for c in postcode) % 9000 + 1000
        return [
            Property(
                uprn=f"1000{seed:04d}{n:04d}",
                address=f"{n} Guildhall Road, Guildford, {postcode}",
                postcode=postcode,
            )
            for n in range(1, 6)
        ]

    def round_status(self, *, uprn: str, bin_type: str) -> RoundStatus:
        if not uprn.isdigit():
            raise PropertyNotFound(uprn)
        status = "in_progress" if uprn.endswith("5") else "completed"
        return RoundStatus(
            uprn=uprn, bin_type=bin_type, scheduled=timezone.localdate(), status=status
        )


def get_waste_client() -> BaseWasteClient:
    if settings.WASTE_BACKEND == "http":
        return HttpWasteClient(
            base_url=settings.WASTE_API_URL,
            token=settings.WASTE_API_TOKEN,
            timeout=settings.WASTE_TIMEOUT_SECONDS,
        )
    return LocalWasteClient()
