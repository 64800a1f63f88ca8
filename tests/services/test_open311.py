"""Open311 GeoReport v2: a report-it app lists our services, reports a problem
that lands as a case in the right queue, reads it back and sees our updates.
The reading is done by ``georeport`` (a GeoReport v2 client from PyPI) against
the running server; it cannot post, so the report is a plain form POST as the
specification describes."""

import pytest
import requests
from georeport import GeoReport

from services import actions
from services.enums import CaseStatus
from services.models import ApiCallLog, ApiClient, Case


@pytest.fixture
def open311_service(street_service):
    street_service.open311 = True
    street_service.save()
    return street_service


@pytest.fixture
def app_key(open311_service):
    client = ApiClient.objects.create(name="FixMyStreet", can_write=True)
    client.services.set([open311_service])
    key = client.issue_token()
    client.save()
    return key


def report(base, **fields):
    data = {
        "service_code": "STR-pothole",
        "lat": "51.2",
        "long": "-0.5",
        "email": "reporter@example.com",
        "first_name": "Ada",
        "description": "Deep pothole by the school gate",
    } | fields
    return requests.post(f"{base}/requests.json", data=data, timeout=10)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_report_it_app_lists_reports_and_reads_back_through_a_georeport_client(
    live_server, open311_service, app_key, bin_service
):
    base = live_server.url + "/open311/v2"
    client = GeoReport(base)
    services = client.get_service_list()
    codes = {s["service_code"] for s in services}
    assert "STR-pothole" in codes and "STR-graffiti" in codes
    assert not any(c.startswith("BIN-") for c in codes)  # not offered
    assert client.get_service_definition("STR-pothole")["attributes"] == []
    xml_services = GeoReport(base, output_format="xml").get_service_list()
    assert {s["service_code"] for s in xml_services} == codes

    response = report(base, api_key=app_key)
    assert response.status_code == 201, response.text
    reference = response.json()[0]["service_request_id"]

    case = Case.objects.get(reference=reference)
    assert case.service == open311_service and case.team == open311_service.team
    assert case.category == "pothole" and case.guest_email == "reporter@example.com"
    assert str(case.latitude) == "51.200000"
    assert case.answers["source"] == "FixMyStreet"
    assert case.channel == "api"  # counted as other systems in channel shift

    read = client.get_service_request(reference)
    assert read["status"] == "open" and read["service_code"] == "STR-pothole"
    assert "reporter@example.com" not in str(read)
    listed = client.get_service_requests(service_request_id=reference)
    assert [r["service_request_id"] for r in listed] == [reference]

    actions.change_status(
        case=case, to_status=CaseStatus.IN_PROGRESS, actor=None, message="Crew booked"
    )
    updates = requests.get(f"{base}/servicerequestupdates.json", timeout=10).json()
    assert [(u["service_request_id"], u["status"], u["description"]) for u in updates][
        -1
    ] == (reference, "IN_PROGRESS", "Crew booked")
    xml = requests.get(f"{base}/servicerequestupdates.xml", timeout=10)
    assert b"<request_update>" in xml.content and b"IN_PROGRESS" in xml.content
    assert ApiCallLog.objects.filter(case_reference=reference, status_code=201).exists()


@pytest.mark.django_db
def test_reports_without_a_valid_key_or_with_bad_fields_are_refused(
    client, open311_service, app_key, bin_service
):
    def post(**fields):
        data = {
            "api_key": app_key,
            "service_code": "STR-pothole",
            "lat": "51.2",
            "long": "-0.5",
            "email": "reporter@example.com",
            "description": "Pothole",
        } | fields
        data = {k: v for k, v in data.items() if v is not None}
        return client.post("/open311/v2/requests.json", data)

    reader = ApiClient.objects.create(name="Reader", can_write=False)
    reader.services.set([open311_service])
    read_key = reader.issue_token()
    reader.save()
    refused = {
        "no key": (post(api_key=None), 400),
        "wrong key": (post(api_key="gh_nope"), 403),
        "read-only key": (post(api_key=read_key), 403),
        "unknown field": (post(colour="red"), 400),
        "unknown service": (post(service_code="BIN-pothole"), 404),
        "no place": (post(lat=None, long=None), 400),
        "outside the area": (post(lat="10", long="10"), 400),
        "bad email": (post(email="nope"), 400),
        "no description": (post(description=""), 400),
    }
    for why, (response, code) in refused.items():
        assert response.status_code == code, why
        assert response.json()[0]["code"] == code, why
    # Refused before any view reads it (home.platform.input), as a problem.
    nul = post(description="a\x00b")
    assert nul.status_code == 400 and nul.json()["status"] == 400
    assert not Case.objects.exists()
    assert post().status_code == 201


@pytest.mark.django_db
def test_bad_queries_get_georeport_errors_not_server_errors(client, open311_service):
    for url in (
        "/open311/v2/requests.json?start_date=yesterday",
        "/open311/v2/requests.json?status=sideways",
        "/open311/v2/requests.json?colour=red",
        "/open311/v2/requests/STR-2026-999999.json",
        "/open311/v2/services/NOPE-x.xml",
        "/open311/v2/servicerequestupdates.json?end_date=%ff",
    ):
        response = client.get(url)
        assert 400 <= response.status_code < 500, url
    big = client.post(
        "/open311/v2/requests.json",
        {"description": "x" * 20000},
    )
    assert big.status_code == 413
