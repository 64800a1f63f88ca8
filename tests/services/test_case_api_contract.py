"""Contract run generated from the OpenAPI schema (schemathesis): every
operation, with valid and invalid input, a real token and the test database,
answers as the schema says and never with a server error."""

import os

from django.core.wsgi import get_wsgi_application

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from services import actions
from services.models import ApiClient
from tests.needs import missing

schema = schemathesis.openapi.from_wsgi(
    "/api/schema/?format=json", get_wsgi_application()
)
CALLS = {"count": 0, "server_errors": 0}
TOKEN = {"value": ""}


@schema.auth(refresh_interval=None)
class BearerToken:
    """The token of the test's API client (schemathesis leaves it out or
    spoils it itself when it checks that authentication is enforced)."""

    def get(self, case, context):
        return TOKEN["value"]

    def set(self, case, data, context):
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}


@pytest.fixture
def wsgi_in_test_transaction():
    """Calls go through the real WSGI handler, which closes the database
    connection after each request; the test client stops that (the test's
    transaction lives on the connection), and so does this."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def token(bin_service, resident, settings, wsgi_in_test_transaction):
    settings.API_RATE_LIMIT = 100_000
    client = ApiClient.objects.create(name="Contract", can_write=True)
    client.services.set([bin_service])
    value = client.issue_token()
    client.save()
    actions.open_case(service=bin_service, answers={}, resident=resident)
    TOKEN["value"] = value
    return value


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=40,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_every_operation_keeps_its_contract(case, token):
    response = case.call()
    CALLS["count"] += 1
    CALLS["server_errors"] += response.status_code >= 500
    if response.status_code == 413:
        # Refused unread for its size (API_MAX_BODY_BYTES), before any field is
        # looked at: a rejection schemathesis's checks do not list.
        # schemathesis gives headers with lower-case names and a list of values.
        [content_type] = response.headers["content-type"]
        assert content_type.startswith("application/problem+json")
        return
    if case.operation.path.endswith("/attachments/"):
        # A file's bytes are checked (viruses, type by content) beyond anything a
        # schema can say, so most generated "valid" files are refused, with the
        # 400 problem the schema documents; everything else is still checked.
        case.validate_response(response, excluded_checks=[positive_data_acceptance])
        return
    case.validate_response(response)


def test_the_contract_run_made_calls_and_no_server_errors():
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    print(
        f"\ncontract run{f' ({worker})' if worker else ''}: {CALLS['count']} "
        f"generated calls, {CALLS['server_errors']} server errors"
    )
    if worker is None:
        assert CALLS["count"] >= 100 and CALLS["server_errors"] == 0
        return
    # With pytest -n the calls are shared out between processes; each counts its own.
    if CALLS["count"] == 0:
        missing(
            f"pytest-xdist worker {worker} ran none of the generated calls; "
            "run this file without -n for the whole count",
            required=False,
        )
    assert CALLS["server_errors"] == 0
