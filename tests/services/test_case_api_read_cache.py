"""Case API reads given again from the cache (``services.api.read_cache``): the same
bytes for no case query, until anything the API shows changes, and never to
another token."""

import json

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import pytest

from services import actions, erasure
from services.api import read_cache
from services.models import ApiClient, Case, CaseAttachment, ServiceDefinition
from tests.services.api_clients import make_client, post


def urls(case) -> list[str]:
    return ["/api/v1/cases/", f"/api/v1/cases/{case.reference}/"]


def read(client, url, auth):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, **auth)
    return response, [q["sql"] for q in ctx.captured_queries]


def from_database(client, url, auth, settings) -> tuple[int, bytes]:
    """The answer as the database gives it now, bypassing the kept answers."""
    kept = settings.API_READ_CACHE_SECONDS
    settings.API_READ_CACHE_SECONDS = 0
    try:
        response = client.get(url, **auth)
    finally:
        settings.API_READ_CACHE_SECONDS = kept
    return response.status_code, response.content


@pytest.mark.django_db
def test_a_read_asked_again_is_the_same_answer_for_only_its_audit_row(
    client, auth, bin_case
):
    for url in urls(bin_case):
        first, _ = read(client, url, auth)
        again, queries = read(client, url, auth)
        assert again.status_code == first.status_code == 200
        assert again.content == first.content
        assert again["Content-Type"] == first["Content-Type"] == "application/json"
        assert len(queries) == 1 and "services_apicalllog" in queries[0], queries


def _status_by_api(client, case, settings):
    writer, token = make_client("Back office", [case.service])
    response = post(
        client,
        f"/api/v1/cases/{case.reference}/status/",
        {"status": "in_progress"},
        {"HTTP_AUTHORIZATION": f"Bearer {token}"},
    )
    assert response.status_code == 200


def _public_update(client, case, settings):
    actions.add_note(case=case, actor=None, text="Crew on the way", public=True)


def _attachment(client, case, settings):
    CaseAttachment.objects.create(
        case=case,
        question="Photo",
        original_name="bin.png",
        file=f"case-{case.pk}/bin.png",
        content_type="image/png",
        size=10,
    )


def _case_saved(client, case, settings):
    case.summary = "Green bin, not black"
    case.save()


def _queryset_update(client, case, settings):
    Case.objects.filter(pk=case.pk).update(postcode="BN1 1AA")


def _erased(client, case, settings):
    now = timezone.now()
    erasure.erase_cases([case.pk], reason="Kept for six years", anonymised_at=now)


def _workflow_changed(client, case, settings):
    service = ServiceDefinition.objects.get(pk=case.service_id)
    service.allowed_transitions = {"submitted": ["rejected"]}
    service.save()


def _service_taken_away(client, case, settings):
    ApiClient.objects.get(name="Waste crew system").services.clear()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change",
    [
        _status_by_api,
        _public_update,
        _attachment,
        _case_saved,
        _queryset_update,
        _erased,
        _workflow_changed,
        _service_taken_away,
    ],
    ids=lambda change: change.__name__.strip("_"),
)
def test_every_change_the_api_shows_is_in_the_next_read(
    client, auth, bin_case, settings, change
):
    before = {}
    for url in urls(bin_case):
        client.get(url, **auth)
        response = client.get(url, **auth)
        before[url] = (response.status_code, response.content)
    change(client, bin_case, settings)
    for url in urls(bin_case):
        response = client.get(url, **auth)
        now = (response.status_code, response.content)
        assert now == from_database(client, url, auth, settings), url
        # The case itself always shows the change (the list need not: it has
        # no attachments).
        if url != "/api/v1/cases/":
            assert now != before[url], f"{url} does not show the change"


@pytest.mark.django_db
@pytest.mark.parametrize("how", ["save", "queryset"])
def test_a_revoked_token_is_refused_on_its_next_read(client, crew, auth, bin_case, how):
    url = f"/api/v1/cases/{bin_case.reference}/"
    assert client.get(url, **auth).status_code == 200
    assert client.get(url, **auth).status_code == 200  # remembered and kept
    api_client = crew[0]
    if how == "save":
        api_client.revoked_at = timezone.now()
        api_client.save()
    else:
        ApiClient.objects.filter(pk=api_client.pk).update(revoked_at=timezone.now())
    refused = client.get(url, **auth)
    assert refused.status_code == 401
    assert bin_case.reference not in refused.content.decode()


@pytest.mark.django_db
def test_another_token_never_gets_the_answer_kept_for_the_first(
    client, auth, bin_case, street_service, resident
):
    street = actions.open_case(service=street_service, answers={}, resident=resident)
    client.get("/api/v1/cases/", **auth)
    client.get("/api/v1/cases/", **auth)
    _other, token = make_client("Highways", [street_service])
    other = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    listing = client.get("/api/v1/cases/", **other).json()
    assert [c["reference"] for c in listing["results"]] == [street.reference]
    detail = client.get(f"/api/v1/cases/{bin_case.reference}/", **other)
    assert detail.status_code == 404
    # Nor does a caller with no token, or a wrong one.
    for headers in ({}, {"HTTP_AUTHORIZATION": "Bearer gh_wrong"}):
        refused = client.get("/api/v1/cases/", **headers)
        assert refused.status_code == 401
        assert bin_case.reference not in json.dumps(refused.json())


@pytest.mark.django_db
def test_a_change_moves_the_version_at_once_and_again_at_commit(
    bin_case, django_capture_on_commit_callbacks
):
    """A read between the change and its commit sees the old rows and may keep
    them under the version set at once; the one set at commit drops them."""
    from django.core.cache import cache

    read_cache.changed()
    start = cache.get(read_cache.VERSION_KEY)
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            Case.objects.filter(pk=bin_case.pk).update(summary="Changed")
            during = cache.get(read_cache.VERSION_KEY)
        assert cache.get(read_cache.VERSION_KEY) == during
    after = cache.get(read_cache.VERSION_KEY)
    assert len({start, during, after}) == 3


@pytest.mark.django_db
def test_noting_a_tokens_use_keeps_the_answers(client, crew, auth, bin_case):
    """Last use is written once a minute; it changes nothing the API shows."""
    url = f"/api/v1/cases/{bin_case.reference}/"
    client.get(url, **auth)
    ApiClient.objects.filter(pk=crew[0].pk).update(last_used_at=None)
    client.get(url, **auth)  # notes the use (and the client changed: read afresh)
    response, queries = read(client, url, auth)
    assert response.status_code == 200
    assert len(queries) == 1, queries
