"""The concessions back-office client against recorded responses, and the demo
provider."""

import datetime
import json
from pathlib import Path

import pytest
import responses

from services.integrations import concessions

FIXTURES = Path(__file__).parent.parent / "fixtures" / "http" / "concessions"
URL = "https://benefits.example.gov.uk/api"


def recorded(name):
    return json.loads((FIXTURES / name).read_text())


def client():
    return concessions.HttpConcessionsClient(base_url=URL, token="t0ken", timeout=2.0)


@responses.activate
def test_a_confirmed_reference_is_eligible_with_its_scheme():
    call = responses.get(
        f"{URL}/concessions/CTR123456",
        json=recorded("eligible.json"),
        match=[responses.matchers.query_param_matcher({"postcode": "GU14AA"})],
    )
    result = client().check(reference="ctr 123456", postcode="gu1 4aa")
    assert result.eligible and result.scheme == "council_tax_reduction"
    assert result.valid_until == datetime.date(2027, 3, 31)
    assert call.calls[0].request.headers["Authorization"] == "Bearer t0ken"


@responses.activate
def test_unknown_and_refused_references_are_not_eligible():
    responses.get(f"{URL}/concessions/CTR654321", json=recorded("not_eligible.json"))
    responses.get(f"{URL}/concessions/CTR999999", status=404)
    assert not client().check(reference="CTR654321", postcode="GU1 4AA").eligible
    assert not client().check(reference="CTR999999", postcode="GU1 4AA").eligible
    # Not even sent when it cannot be a reference.
    assert not client().check(reference="../admin", postcode="GU1 4AA").eligible


@responses.activate
def test_a_back_office_outage_is_typed():
    responses.get(f"{URL}/concessions/CTR123456", status=502)
    with pytest.raises(concessions.ConcessionServiceUnavailable):
        client().check(reference="CTR123456", postcode="GU1 4AA")


def test_the_demo_provider_confirms_ctr_references_not_ending_in_0():
    local = concessions.LocalConcessionsClient()
    assert local.check(reference="CTR123456", postcode="GU1 4AA").eligible
    assert not local.check(reference="CTR123450", postcode="GU1 4AA").eligible
