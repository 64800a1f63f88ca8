"""The council tax (revenues) back office: verify an account, read its summary.

``get_council_tax_client()`` chooses by ``COUNCIL_TAX_BACKEND``:

* ``http``: ``HttpCouncilTaxClient``, a JSON API (``COUNCIL_TAX_API_URL`` with a
  bearer ``COUNCIL_TAX_API_TOKEN``)::

      POST {url}/accounts/{number}/verify  {"postcode": "GH1 1AA"}
           200 {"verified": true|false}; 404 unknown account
      GET  {url}/accounts/{number}
           200 {"account_number", "property_address", "band", "balance",
                "next_instalment": {"date", "amount"} | null}

* ``local``: ``LocalCouncilTaxClient``, backed by ``DemoCouncilTaxAccount`` rows
  (seeded by ``load_demo``), for demos and development.

An unknown account and a wrong answer look the same to the resident, so the check
cannot be used to find out which account numbers exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache

import requests

from frontend.formats import normalise_postcode

SUMMARY_CACHE_SECONDS = 300
SUMMARY_KEY = "counciltax:summary:{}"


def forget_summary(account_number: str) -> None:
    """Drop a cached summary (it holds the property's address): on unlinking and
    on erasure."""
    cache.delete(SUMMARY_KEY.format(account_number))


class CouncilTaxError(Exception):
    """The back office could not answer."""


class CouncilTaxUnavailable(CouncilTaxError):
    pass


@dataclass(frozen=True)
class CouncilTaxAccount:
    account_number: str
    property_address: str
    band: str
    balance: Decimal
    next_instalment_date: date | None = None
    next_instalment_amount: Decimal | None = None


class CouncilTaxClient:
    def verify(self, account_number: str, postcode: str) -> bool:
        raise NotImplementedError

    def summary(self, account_number: str) -> CouncilTaxAccount | None:
        raise NotImplementedError

    def summaries(self, account_numbers: list[str]) -> dict[str, CouncilTaxAccount]:
        """Several accounts at once (a dashboard shows every linked account)."""
        found = {}
        for number in account_numbers:
            account = self.summary(number)
            if account is not None:
                found[number] = account
        return found


class HttpCouncilTaxClient(CouncilTaxClient):
    def __init__(self, base_url: str, token: str, timeout: float):
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.session = requests.Session()
        self.session.headers.update(
            {"Authorization": f"Bearer {token}", "Accept": "application/json"}
        )

    def _request(self, method: str, path: str, **kwargs) -> requests.Response | None:
        try:
            response = self.session.request(
                method, f"{self.base_url}{path}", timeout=self.timeout, **kwargs
            )
        except requests.RequestException as exc:
            raise CouncilTaxUnavailable(str(exc)) from exc
        if response.status_code == 404:
            return None
        if response.status_code >= 400:
            raise CouncilTaxUnavailable(f"{method} {path}: {response.status_code}")
        return response

    def verify(self, account_number, postcode):
        response = self._request(
            "POST",
            f"/accounts/{account_number}/verify",
            json={"postcode": normalise_postcode(postcode)},
        )
        return bool(response is not None and response.json().get("verified") is True)

    def summary(self, account_number):
        key = SUMMARY_KEY.format(account_number)
        cached = cache.get(key)
        if cached is not None:
            return cached
        response = self._request("GET", f"/accounts/{account_number}")
        if response is None:
            return None
        try:
            data = response.json()
            instalment = data.get("next_instalment") or {}
            account = CouncilTaxAccount(
                account_number=data["account_number"],
                property_address=data["property_address"],
                band=data["band"],
                balance=Decimal(str(data["balance"])),
                next_instalment_date=(
                    date.fromisoformat(instalment["date"]) if instalment else None
                ),
                next_instalment_amount=(
                    Decimal(str(instalment["amount"])) if instalment else None
                ),
            )
        except (KeyError, ValueError, TypeError) as exc:
            raise CouncilTaxError(f"unexpected response: {exc}") from exc
        cache.set(key, account, SUMMARY_CACHE_SECONDS)
        return account


class LocalCouncilTaxClient(CouncilTaxClient):
    def verify(self, account_number, postcode):
        from myaccount.models import DemoCouncilTaxAccount

        record = DemoCouncilTaxAccount.objects.filter(
            account_number=account_number
        ).first()
        return bool(record and record.postcode == normalise_postcode(postcode))

    def summary(self, account_number):
        return self.summaries([account_number]).get(account_number)

    def summaries(self, account_numbers):
        from myaccount.models import DemoCouncilTaxAccount

        return {
            record.account_number: self._account(record)
            for record in DemoCouncilTaxAccount.objects.filter(
                account_number__in=account_numbers
            )
        }

    @staticmethod
    def _account(record) -> CouncilTaxAccount:
        return CouncilTaxAccount(
            account_number=record.account_number,
            property_address=record.property_address,
            band=record.band,
            balance=record.balance,
            next_instalment_date=record.next_instalment_date,
            next_instalment_amount=record.next_instalment_amount,
        )


def get_council_tax_client() -> CouncilTaxClient:
    if settings.COUNCIL_TAX_BACKEND == "http":
        return HttpCouncilTaxClient(
            settings.COUNCIL_TAX_API_URL,
            settings.COUNCIL_TAX_API_TOKEN,
            settings.BACK_OFFICE_TIMEOUT_SECONDS,
        )
    return LocalCouncilTaxClient()
