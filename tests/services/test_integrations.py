"""The waste back-office client against recorded responses (GOV.UK Notify:
``test_notify.py``)."""

import datetime
import json
from pathlib import Path

import pytest
import requests
import responses

from services.integrations import waste

FIXTURES = Path(__file__).parent.parent / "fixtures" / "http"
WASTE_URL = "https://waste.example.gov.uk/api"


def recorded(system: str, name: str):
    return json.loads((FIXTURES / system / name).read_text())


def http_client():
    return waste.HttpWasteClient(base_url=WASTE_URL, token="secret", timeout=2.5)


@responses.activate
def test_http_waste_client_finds_properties_with_token_and_timeout():
    call = responses.get(
        f"{WASTE_URL}/properties",
        json=recorded("waste", "properties_gu1_4aa.json"),
        match=[responses.matchers.query_param_matcher({"postcode": "GU14AA"})],
    )
    found = http_client().find_properties("gu1 4aa")
    assert [p.uprn for p in found] == ["100061000001", "100061000002"]
    assert found[0].address == "1 High Street, Guildford, GU1 4AA"
    assert call.calls[0].request.headers["Authorization"] == "Bearer secret"
    assert call.calls[0].request.req_kwargs["timeout"] == 2.5


@responses.activate
def test_http_waste_client_reads_round_status():
    responses.get(
        f"{WASTE_URL}/properties/100061000001/rounds/recycling",
        json=recorded("waste", "round_completed.json"),
    )
    responses.get(
        f"{WASTE_URL}/properties/100061000002/rounds/recycling",
        json=recorded("waste", "round_in_progress.json"),
    )
    done = http_client().round_status(uprn="100061000001", bin_type="recycling")
    out = http_client().round_status(uprn="100061000002", bin_type="recycling")
    day = datetime.date(2026, 12, 1)
    assert done.finished_today(day) and not out.finished_today(day)
    assert not done.finished_today(day + datetime.timedelta(days=1))
    assert "not finished the round" in out.explanation


@responses.activate
def test_http_waste_client_raises_typed_errors():
    responses.get(
        f"{WASTE_URL}/properties/100061000001/rounds/general",
        json=recorded("waste", "error_500.json"),
        status=500,
    )
    responses.get(f"{WASTE_URL}/properties/100061000009/rounds/general", status=404)
    responses.get(f"{WASTE_URL}/properties", body=requests.ConnectTimeout("timed out"))
    responses.get(
        f"{WASTE_URL}/properties/100061000003/rounds/general", body="<html>oops"
    )
    client = http_client()
    with pytest.raises(waste.WasteServiceUnavailable):
        client.round_status(uprn="100061000001", bin_type="general")
    with pytest.raises(waste.PropertyNotFound):
        client.round_status(uprn="100061000009", bin_type="general")
    with pytest.raises(waste.PropertyNotFound):
        client.round_status(uprn="../admin", bin_type="general")
    with pytest.raises(waste.WasteServiceUnavailable):
        client.find_properties("GU1 4AA")
    with pytest.raises(waste.WasteServiceError):
        client.round_status(uprn="100061000003", bin_type="general")


def test_get_waste_client_chooses_by_setting(settings):
    settings.WASTE_BACKEND = "local"
    assert isinstance(waste.get_waste_client(), waste.LocalWasteClient)
    settings.WASTE_BACKEND = "http"
    settings.WASTE_API_URL = WASTE_URL
    assert isinstance(waste.get_waste_client(), waste.HttpWasteClient)


def test_misconfigured_real_waste_backend_fails_the_system_check(settings):
    from services.checks import check_case_integrations

    settings.WASTE_BACKEND = "http"
    settings.WASTE_API_URL = ""
    assert [e.id for e in check_case_integrations(None)] == ["services.E002"]
