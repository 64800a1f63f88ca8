"""The address lookup and council tax adapters against recorded responses."""

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.core.checks import run_checks

import pytest
import requests
import responses

from myaccount.integrations.address_lookup import (
    AddressLookupError,
    LocalAddressLookup,
    OSPlacesClient,
    get_address_lookup,
)
from myaccount.integrations.council_tax import (
    CouncilTaxUnavailable,
    HttpCouncilTaxClient,
    LocalCouncilTaxClient,
    get_council_tax_client,
)
from tests.myaccount.factories import DemoCouncilTaxAccountFactory

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "http"
OS_URL = "https://api.os.uk/search/places/v1/postcode"
CT_URL = "https://revenues.example.gov.uk/api"


def recorded(name):
    return json.loads((FIXTURES / name).read_text())


@responses.activate
def test_os_places_lists_the_addresses_at_a_postcode_with_their_uprns():
    responses.get(
        OS_URL,
        json=recorded("os_places/postcode_gh1_1aa.json"),
        match=[
            responses.matchers.query_param_matcher(
                {"postcode": "GH1 1AA", "key": "k", "dataset": "DPA"}
            )
        ],
    )
    addresses = OSPlacesClient(OS_URL, "k", 2).find("gh11aa")
    assert [a.uprn for a in addresses] == [
        "100090000001",
        "100090000002",
        "10023456789",
    ]
    assert addresses[0].label == "1 High Street, Guildhall, GH1 1AA"
    assert (addresses[1].line_1, addresses[1].line_2) == (
        "Flat 2 Mill House",
        "2 High Street",
    )
    assert addresses[2].line_1 == "4 High Street"


@responses.activate
def test_os_places_unknown_postcode_is_an_empty_list():
    responses.get(
        OS_URL, status=400, json=recorded("os_places/postcode_not_found.json")
    )
    assert OSPlacesClient(OS_URL, "k", 2).find("ZZ9 9ZZ") == []


@responses.activate
def test_os_places_outage_and_timeout_are_typed_errors():
    responses.get(OS_URL, status=503, body="Service Unavailable")
    with pytest.raises(AddressLookupError):
        OSPlacesClient(OS_URL, "k", 2).find("GH1 1AA")
    responses.replace(responses.GET, OS_URL, body=requests.ConnectTimeout())
    with pytest.raises(AddressLookupError):
        OSPlacesClient(OS_URL, "k", 2).find("GH1 1AA")


@responses.activate
def test_os_places_get_only_returns_an_address_the_lookup_returned():
    responses.get(OS_URL, json=recorded("os_places/postcode_gh1_1aa.json"))
    client = OSPlacesClient(OS_URL, "k", 2)
    assert client.get("GH1 1AA", "100090000002").line_1 == "Flat 2 Mill House"
    assert client.get("GH1 1AA", "999") is None


def test_local_address_lookup_knows_the_demo_streets(settings):
    settings.ADDRESS_LOOKUP_BACKEND = "local"
    lookup = get_address_lookup()
    assert isinstance(lookup, LocalAddressLookup)
    assert lookup.find("gh1 1aa")[0].label == "1 High Street, Guildhall, GH1 1AA"
    assert lookup.find("SW1A 1AA") == []


@responses.activate
def test_council_tax_http_client_verifies_and_reads_a_summary():
    responses.post(
        f"{CT_URL}/accounts/31234567/verify",
        json=recorded("council_tax/verify_ok.json"),
        match=[
            responses.matchers.json_params_matcher({"postcode": "GH1 1AA"}),
            responses.matchers.header_matcher({"Authorization": "Bearer t"}),
        ],
    )
    responses.get(
        f"{CT_URL}/accounts/31234567", json=recorded("council_tax/account.json")
    )
    client = HttpCouncilTaxClient(CT_URL, "t", 2)
    assert client.verify("31234567", "gh11aa") is True
    account = client.summary("31234567")
    assert account.balance == Decimal("1246.50")
    assert account.next_instalment_date == date(2027, 1, 1)
    assert account.next_instalment_amount == Decimal("138.50")


@responses.activate
def test_council_tax_http_client_refusals_and_failures():
    responses.post(
        f"{CT_URL}/accounts/31234567/verify",
        json=recorded("council_tax/verify_refused.json"),
    )
    responses.post(
        f"{CT_URL}/accounts/39999999/verify",
        status=404,
        json=recorded("council_tax/not_found.json"),
    )
    responses.get(
        f"{CT_URL}/accounts/39999999",
        status=404,
        json=recorded("council_tax/not_found.json"),
    )
    responses.get(f"{CT_URL}/accounts/30000000", status=500)
    client = HttpCouncilTaxClient(CT_URL, "t", 2)
    assert client.verify("31234567", "GH1 1AA") is False
    assert client.verify("39999999", "GH1 1AA") is False
    assert client.summary("39999999") is None
    with pytest.raises(CouncilTaxUnavailable):
        client.summary("30000000")


@pytest.mark.django_db
def test_local_council_tax_client_uses_seeded_records(settings):
    settings.COUNCIL_TAX_BACKEND = "local"
    DemoCouncilTaxAccountFactory(account_number="10000001", postcode="GH1 1AA")
    client = get_council_tax_client()
    assert isinstance(client, LocalCouncilTaxClient)
    assert client.verify("10000001", "gh1 1aa")
    assert not client.verify("10000001", "GH9 9ZZ")
    assert not client.verify("19999999", "GH1 1AA")
    assert client.summary("10000001").band == "C"


def test_selecting_a_real_back_office_without_its_settings_fails_the_checks(settings):
    settings.COUNCIL_TAX_BACKEND = "http"
    settings.COUNCIL_TAX_API_URL = ""
    settings.ADDRESS_LOOKUP_BACKEND = "os_places"
    settings.ADDRESS_LOOKUP_API_KEY = ""
    ids = {e.id for e in run_checks()}
    assert {"myaccount.E002", "myaccount.E004"} <= ids
