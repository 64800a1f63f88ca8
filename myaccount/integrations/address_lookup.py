"""Address lookup by postcode: every address at a postcode, each with its UPRN.

``get_address_lookup()`` chooses by ``ADDRESS_LOOKUP_BACKEND``:

* ``os_places``: ``OSPlacesClient``, the Ordnance Survey Places API postcode search
  (``ADDRESS_LOOKUP_URL``, ``ADDRESS_LOOKUP_API_KEY``), the usual source of UPRNs
  for English and Welsh councils;
* ``local``: ``LocalAddressLookup``, a few made-up streets in the demo borough.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

import requests

from frontend.formats import normalise_postcode


class AddressLookupError(Exception):
    """The lookup service could not answer."""


@dataclass(frozen=True)
class Address:
    uprn: str
    line_1: str
    line_2: str
    town: str
    postcode: str

    @property
    def label(self) -> str:
        return ", ".join(
            p for p in (self.line_1, self.line_2, self.town, self.postcode) if p
        )


class AddressLookup:
    def find(self, postcode: str) -> list[Address]:
        raise NotImplementedError

    def get(self, postcode: str, uprn: str) -> Address | None:
        """The address with ``uprn`` at ``postcode`` (looked up again, so a
        submitted form can never store an address the lookup did not return)."""
        return next((a for a in self.find(postcode) if a.uprn == uprn), None)


def _title(value: str) -> str:
    return " ".join(w.capitalize() if w.isalpha() else w for w in value.split())


class OSPlacesClient(AddressLookup):
    def __init__(self, url: str, api_key: str, timeout: float):
        self.url = url
        self.api_key = api_key
        self.timeout = timeout

    def find(self, postcode):
        try:
            response = requests.get(
                self.url,
                params={
                    "postcode": normalise_postcode(postcode),
                    "key": self.api_key,
                    "dataset": "DPA",
                },
                timeout=self.timeout,
            )
        except requests.RequestException as exc:
            raise AddressLookupError(str(exc)) from exc
        if response.status_code == 400:
            return []  # OS Places answers 400 for a postcode it does not know
        if response.status_code != 200:
            raise AddressLookupError(f"OS Places answered {response.status_code}")
        try:
            results = response.json().get("results", [])
            return [self._address(r["DPA"]) for r in results if "DPA" in r]
        except (ValueError, KeyError, TypeError) as exc:
            raise AddressLookupError(f"unexpected response: {exc}") from exc

    @staticmethod
    def _address(dpa: dict) -> Address:
        building = " ".join(
            p
            for p in (
                dpa.get("SUB_BUILDING_NAME", ""),
                dpa.get("BUILDING_NAME", ""),
            )
            if p
        )
        street = " ".join(
            p
            for p in (dpa.get("BUILDING_NUMBER", ""), dpa.get("THOROUGHFARE_NAME", ""))
            if p
        )
        line_1, line_2 = (building, street) if building else (street, "")
        line_1 = line_1 or dpa.get("ORGANISATION_NAME", "")
        return Address(
            uprn=str(dpa["UPRN"]),
            line_1=_title(line_1),
            line_2=_title(line_2),
            town=_title(dpa.get("POST_TOWN", "")),
            postcode=dpa.get("POSTCODE", ""),
        )


LOCAL_STREETS = {
    "GH1 1AA": ("High Street", range(1, 9), "100090000"),
    "GH1 2BB": ("Market Place", range(10, 16), "100090100"),
    "GH2 3CC": ("Orchard Close", range(1, 7), "100090200"),
    "GH3 4DD": ("Mill Lane", range(20, 26), "100090300"),
}


class LocalAddressLookup(AddressLookup):
    def find(self, postcode):
        postcode = normalise_postcode(postcode)
        street = LOCAL_STREETS.get(postcode)
        if street is None:
            return []
        name, numbers, uprn_prefix = street
        return [
            Address(
                uprn=f"{uprn_prefix}{number:03d}",
                line_1=f"{number} {name}",
                line_2="",
                town="Guildhall",
                postcode=postcode,
            )
            for number in numbers
        ]


def get_address_lookup() -> AddressLookup:
    if settings.ADDRESS_LOOKUP_BACKEND == "os_places":
        return OSPlacesClient(
            settings.ADDRESS_LOOKUP_URL,
            settings.ADDRESS_LOOKUP_API_KEY,
            settings.BACK_OFFICE_TIMEOUT_SECONDS,
        )
    return LocalAddressLookup()
