"""The case API: scoped tokens, the service's workflow, the resident told as if
staff made the change, problem+json for bad input, limits and an audit trail."""

import datetime
import hashlib
import json
from decimal import Decimal

from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest
from rest_framework.renderers import JSONRenderer

from services import actions
from services.api.serializers import CaseDetailSerializer, CaseSerializer
from services.enums import CaseStatus
from services.models import ApiCallLog, ApiClient, Case, CaseAttachment, CaseEvent
from services.models.integrations import hash_token
from tests.needs import needs_postgres
from tests.services.api_clients import make_client, post

PROBLEM = "application/problem+json"


@pytest.mark.django_db
def test_a_token_sees_only_the_cases_of_its_services(
    client, auth, bin_case, street_service, resident
):
    street = actions.open_case(service=street_service, answers={}, resident=resident)
    listing = client.get("/api/v1/cases/", **auth).json()
    assert [c["reference"] for c in listing["results"]] == [bin_case.reference]
    assert listing["results"][0]["next_statuses"] == ["in_progress", "rejected"]
    assert "resident@example.com" not in json.dumps(listing)
    response = client.get(f"/api/v1/cases/{street.reference}/", **auth)
    assert response.status_code == 404 and response["Content-Type"] == PROBLEM


@pytest.mark.django_db
def test_without_a_valid_token_nothing_is_answered(client, crew, bin_case):
    for headers in (
        {},
        {"HTTP_AUTHORIZATION": "Bearer gh_wrong"},
        {"HTTP_AUTHORIZATION": "Bearer"},
        {"HTTP_AUTHORIZATION": f"Token {crew[1]}"},
    ):
        response = client.get("/api/v1/cases/", **headers)
        assert response.status_code == 401, headers
        assert response["Content-Type"] == PROBLEM
        assert response.json()["status"] == 401
        assert bin_case.reference not in response.content.decode()
    api_client = crew[0]
    api_client.revoked_at = api_client.created_at
    api_client.save()
    revoked = client.get("/api/v1/cases/", HTTP_AUTHORIZATION=f"Bearer {crew[1]}")
    assert revoked.status_code == 401


@pytest.mark.django_db
def test_setting_the_status_follows_the_workflow_and_emails_the_resident(
    client, auth, bin_case, django_capture_on_commit_callbacks
):
    url = f"/api/v1/cases/{bin_case.reference}/status/"
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = post(
            client, url, {"status": "in_progress", "message": "Crew sent"}, auth
        )
    assert response.status_code == 200
    assert response.json()["status"] == "in_progress"
    assert response.json()["timeline"][-1]["text"] == "Crew sent"
    (email,) = mail.outbox
    assert email.to == ["resident@example.com"] and "Crew sent" in email.body
    event = CaseEvent.objects.filter(case=bin_case).last()
    assert event.data == {"api_client": "Waste crew system"} and event.public

    refused = post(client, url, {"status": "submitted"}, auth)
    assert refused.status_code == 409 and refused["Content-Type"] == PROBLEM
    assert "cannot become" in refused.json()["detail"]


@pytest.mark.django_db
def test_a_public_update_and_closing_reach_the_resident(
    client, auth, bin_case, django_capture_on_commit_callbacks
):
    base = f"/api/v1/cases/{bin_case.reference}"
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            post(client, base + "/updates/", {"text": "On Tuesday"}, auth).status_code
            == 201
        )
        post(client, base + "/status/", {"status": "in_progress"}, auth)
        closed = post(
            client,
            base + "/close/",
            {"outcome": "resolved", "message": "Emptied"},
            auth,
        )
    assert closed.status_code == 200 and closed.json()["status"] == "resolved"
    assert closed.json()["closed_at"]
    assert [m.to for m in mail.outbox] == [["resident@example.com"]] * 3
    assert "Emptied" in mail.outbox[-1].body
    late = post(client, base + "/updates/", {"text": "More"}, auth)
    assert late.status_code == 409


@pytest.mark.django_db
def test_bad_input_gets_a_problem_naming_the_field(client, auth, bin_case):
    url = f"/api/v1/cases/{bin_case.reference}/status/"
    cases = [
        ({"status": "in_progress", "priority": "high"}, "priority"),
        ({"status": "flying"}, "status"),
        ({}, "status"),
        ({"status": "in_progress", "message": "x" * 2001}, "message"),
        (["in_progress"], "non_field_errors"),
    ]
    for body, field in cases:
        response = post(client, url, body, auth)
        assert response.status_code == 400, body
        assert response["Content-Type"] == PROBLEM
        assert field in response.json()["errors"], response.json()
    assert post(client, url, "{not json", auth).status_code == 400
    wrong_type = post(client, url, "status=x", auth, content_type="text/plain")
    assert wrong_type.status_code == 415 and wrong_type["Content-Type"] == PROBLEM
    assert client.get("/api/v1/cases/?colour=red", **auth).status_code == 400
    assert client.get("/api/v1/cases/?cursor=%ff%00", **auth).status_code in (400, 404)
    assert Case.objects.get(pk=bin_case.pk).status == CaseStatus.SUBMITTED


@pytest.mark.django_db
def test_a_body_over_the_cap_is_refused_unread(client, auth, bin_case, settings):
    settings.API_MAX_BODY_BYTES = 1000
    url = f"/api/v1/cases/{bin_case.reference}/updates/"
    response = post(client, url, {"text": "x" * 2000}, auth)
    assert response.status_code == 413 and response["Content-Type"] == PROBLEM
    assert not CaseEvent.objects.filter(case=bin_case, text__startswith="xxx").exists()


@pytest.mark.django_db
def test_a_read_only_token_cannot_change_a_case(client, bin_service, bin_case):
    _reader, token = make_client("Reporting", [bin_service], can_write=False)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    assert (
        client.get(f"/api/v1/cases/{bin_case.reference}/", **headers).status_code == 200
    )
    response = post(
        client,
        f"/api/v1/cases/{bin_case.reference}/status/",
        {"status": "rejected"},
        headers,
    )
    assert response.status_code == 403 and response["Content-Type"] == PROBLEM
    assert Case.objects.get(pk=bin_case.pk).status == CaseStatus.SUBMITTED


@pytest.mark.django_db
def test_each_token_has_its_own_rate_limit(client, bin_service, settings):
    settings.API_RATE_LIMIT = 3
    _a, token_a = make_client("A", [bin_service])
    _b, token_b = make_client("B", [bin_service])
    a = {"HTTP_AUTHORIZATION": f"Bearer {token_a}"}
    codes = [client.get("/api/v1/cases/", **a).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    limited = client.get("/api/v1/cases/", **a)
    assert limited["Retry-After"] and limited["Content-Type"] == PROBLEM
    assert (
        client.get("/api/v1/cases/", HTTP_AUTHORIZATION=f"Bearer {token_b}").status_code
        == 200
    )


@pytest.mark.django_db
def test_every_call_is_audit_logged(client, crew, auth, bin_case):
    client.get(f"/api/v1/cases/{bin_case.reference}/", **auth)
    post(client, f"/api/v1/cases/{bin_case.reference}/status/", {"x": 1}, auth)
    client.get("/api/v1/cases/", HTTP_AUTHORIZATION="Bearer nope")
    rows = list(ApiCallLog.objects.order_by("pk"))
    assert [(r.client_id, r.method, r.status_code, r.case_reference) for r in rows] == [
        (crew[0].pk, "GET", 200, bin_case.reference),
        (crew[0].pk, "POST", 400, bin_case.reference),
        (None, "GET", 401, ""),
    ]


def read_queries(client, url, auth) -> list[str]:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, **auth).status_code == 200
    return [q["sql"] for q in ctx.captured_queries]


@pytest.mark.django_db
def test_a_read_costs_the_same_queries_at_ten_times_the_cases_and_updates(
    client, auth, bin_service, resident, settings
):
    # The database path: answers given again from the cache are tested in
    # test_case_api_read_cache.py.
    settings.API_READ_CACHE_SECONDS = 0
    case = actions.open_case(service=bin_service, answers={}, resident=resident)
    for _ in range(2):
        actions.open_case(service=bin_service, answers={}, resident=resident)
    listing, detail = "/api/v1/cases/", f"/api/v1/cases/{case.reference}/"
    client.get(listing, **auth)  # the token's first use is recorded
    few = [read_queries(client, url, auth) for url in (listing, detail)]
    for _ in range(27):
        actions.open_case(service=bin_service, answers={}, resident=resident)
    for n in range(10):
        actions.add_note(case=case, actor=None, text=f"Update {n}", public=True)
        actions.add_note(case=case, actor=None, text=f"Note {n}", public=False)
        CaseAttachment.objects.create(
            case=case,
            question=f"Photo {n}",
            original_name=f"photo-{n}.png",
            file=f"case-{case.pk}/photo-{n}.png",
            content_type="image/png",
            size=10,
        )
    many = [read_queries(client, url, auth) for url in (listing, detail)]
    assert [len(q) for q in many] == [len(q) for q in few]
    # The token, the page (or the case, its timeline, its files), the audit row.
    assert [len(q) for q in many] == [3, 5], many
    answer = client.get(detail, **auth).json()
    assert len(answer["timeline"]) == 11 and len(answer["attachments"]) == 10
    assert "Note 0" not in json.dumps(answer)

    # A read writes nothing but its own audit row.
    for queries in many:
        writes = [q for q in queries if q.startswith(("INSERT", "UPDATE", "DELETE"))]
        assert len(writes) == 1 and "services_apicalllog" in writes[0]


@pytest.mark.django_db
def test_reads_answer_exactly_what_the_schemas_serializers_describe(
    client, auth, bin_service, resident, django_capture_on_commit_callbacks
):
    # Reads are built from plain rows; the schema from the serializers. Every
    # field filled (a map pin, a closed case, a timeline, a file) must come out
    # of both alike, byte for byte.
    case = actions.open_case(
        service=bin_service,
        answers={},
        resident=resident,
        summary="Blue bin missed",
        address="1 High Street",
        postcode="GU1 4AA",
        uprn="100062345678",
        latitude=Decimal("51.236220"),
        longitude=Decimal("-0.570409"),
        location_description="By the gate",
    )
    actions.change_status(
        case=case, to_status="in_progress", actor=None, message="Crew sent"
    )
    actions.change_status(case=case, to_status="resolved", actor=None, message="Done")
    actions.add_note(case=case, actor=None, text="Internal", public=False)
    CaseAttachment.objects.create(
        case=case,
        question="Crew photo",
        original_name="photo.png",
        file=f"case-{case.pk}/photo.png",
        content_type="image/png",
        size=10,
    )
    case = Case.objects.get(pk=case.pk)
    assert case.closed_at and case.due_date and case.latitude

    def rendered(data) -> bytes:
        return JSONRenderer().render(data)

    listing = client.get("/api/v1/cases/", **auth).json()["results"]
    assert rendered(listing) == rendered(CaseSerializer([case], many=True).data)
    assert list(listing[0]) == CaseSerializer.Meta.fields
    detail = client.get(f"/api/v1/cases/{case.reference}/", **auth)
    assert detail.content == rendered(CaseDetailSerializer(case).data)
    assert [e["text"] for e in detail.json()["timeline"]][-2:] == ["Crew sent", "Done"]
    assert detail.json()["attachments"][0]["description"] == "Crew photo"


@pytest.mark.django_db
def test_a_token_is_checked_by_a_fast_hash_and_its_use_noted_once_a_minute(
    client, crew, auth, bin_case
):
    api_client, token = crew
    # 32 random bytes need no slow password hash: the check is one SHA-256.
    assert api_client.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert client.get("/api/v1/cases/", **auth).status_code == 200
    api_client.refresh_from_db()
    first_use = api_client.last_used_at
    assert first_use is not None
    client.get("/api/v1/cases/", **auth)
    api_client.refresh_from_db()
    assert api_client.last_used_at == first_use
    ApiClient.objects.filter(pk=api_client.pk).update(
        last_used_at=first_use - datetime.timedelta(minutes=2)
    )
    client.get("/api/v1/cases/", **auth)
    api_client.refresh_from_db()
    assert api_client.last_used_at > first_use


@pytest.mark.django_db
def test_a_read_does_not_wait_for_its_audit_row_to_reach_the_disk(
    client, auth, bin_case
):
    needs_postgres("synchronous_commit is PostgreSQL's; SQLite has no such setting")
    queries = read_queries(client, f"/api/v1/cases/{bin_case.reference}/", auth)
    (insert,) = [q for q in queries if "services_apicalllog" in q]
    # One statement, its own transaction, committed without waiting for the flush.
    assert "set_config('synchronous_commit', 'off', true)" in insert
    assert not any(q in ("BEGIN", "COMMIT") for q in queries)
    row = ApiCallLog.objects.get()
    assert (row.method, row.status_code, row.case_reference) == (
        "GET",
        200,
        bin_case.reference,
    )

    # A change's audit row is flushed like the change itself.
    with CaptureQueriesContext(connection) as ctx:
        post(
            client,
            f"/api/v1/cases/{bin_case.reference}/updates/",
            {"text": "Crew on the way"},
            auth,
        )
    assert not any("synchronous_commit" in q["sql"] for q in ctx.captured_queries)
    assert ApiCallLog.objects.filter(method="POST", status_code=201).exists()


@pytest.mark.django_db
def test_the_openapi_schema_is_served_and_lists_the_operations(client):
    response = client.get("/api/schema/?format=json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    ops = {
        op["operationId"] for path in schema["paths"].values() for op in path.values()
    }
    assert ops == {
        "list_cases",
        "get_case",
        "set_case_status",
        "add_case_update",
        "close_case",
        "attach_case_file",
    }


@pytest.mark.django_db
def test_unknown_api_addresses_answer_with_a_problem(client):
    response = client.get("/api/v9/nothing/")
    assert response.status_code == 404 and response["Content-Type"] == PROBLEM


@pytest.fixture
def ops(django_user_model):
    from tests.myaccount.factories import with_two_factor

    user = django_user_model.objects.create_superuser(
        "ops", "ops@example.com", "pw-ops-12345"
    )
    with_two_factor(user)
    return user


@pytest.mark.django_db
def test_staff_create_a_client_issue_rotate_and_revoke_its_token(
    client, ops, bin_service, bin_case
):
    client.force_login(ops)
    response = client.post(
        "/admin/snippets/services/apiclient/add/",
        {"name": "Crew", "services": [bin_service.pk], "can_write": "on"},
    )
    assert response.status_code == 302
    api_client = ApiClient.objects.get(name="Crew")
    url = f"/admin/integrations/api-clients/{api_client.pk}/token/"
    page = client.post(url, {"action": "issue"}).content.decode()
    token = page.split('id="new-token">')[1].split("<")[0]
    api_client.refresh_from_db()
    assert api_client.token_hash == hash_token(token) and token not in str(
        ApiClient.objects.values_list()
    )
    assert token not in client.get(url).content.decode()  # shown once
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    assert client.get("/api/v1/cases/", **headers).status_code == 200

    page = client.post(url, {"action": "issue"}).content.decode()
    new_token = page.split('id="new-token">')[1].split("<")[0]
    assert client.get("/api/v1/cases/", **headers).status_code == 401
    new_headers = {"HTTP_AUTHORIZATION": f"Bearer {new_token}"}
    assert client.get("/api/v1/cases/", **new_headers).status_code == 200
    assert "GET /api/v1/cases/" in client.get(url).content.decode()

    client.post(url, {"action": "revoke"})
    assert client.get("/api/v1/cases/", **new_headers).status_code == 401
