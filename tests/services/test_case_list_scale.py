"""The staff case list asks the database the same number of questions at 100 and
at 10,000 cases, whatever the filters; the case page the same at 5 and 50
timeline entries."""

import datetime
import itertools

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

import pytest

from services.enums import CaseEventKind, CaseStatus, Channel
from services.models import Case, CaseEvent

pytestmark = pytest.mark.django_db

FILTERS = [
    {},
    {"team": "TEAM", "overdue": "on", "status": ""},
    {"status": "all", "channel": Channel.PHONE, "assignee": "none"},
    {"q": "Mill Lane", "status": "all"},
    {"team": "TEAM", "status": "all", "p": "3"},
]


@pytest.fixture
def seed(bin_service, street_service, contractor, waste_officer, django_user_model):
    residents = django_user_model.objects.bulk_create(
        django_user_model(username=f"r{i}", email=f"r{i}@example.com")
        for i in range(50)
    )
    services = [bin_service, street_service]
    statuses = itertools.cycle(CaseStatus.values)
    channels = itertools.cycle(Channel.values)
    today = timezone.localdate()
    counter = itertools.count(1)

    def bulk(n: int) -> None:
        rows = []
        for _ in range(n):
            i = next(counter)
            service = services[i % 2]
            rows.append(
                Case(
                    reference=f"{service.reference_prefix}-2026-{i:06d}",
                    service=service,
                    case_type=service.case_type,
                    team_id=service.team_id,
                    partner=contractor if i % 7 == 0 else None,
                    status=next(statuses),
                    channel=next(channels),
                    resident=residents[i % 50] if i % 3 else None,
                    guest_email="" if i % 3 else f"g{i}@example.com",
                    contact_name="" if i % 3 else f"Guest {i}",
                    assignee=waste_officer if i % 4 == 0 else None,
                    address=f"{i} Mill Lane, Guildhall",
                    due_date=today + datetime.timedelta(days=(i % 21) - 10),
                )
            )
        Case.objects.bulk_create(rows, batch_size=2000)

    return bulk


def counts(client, team_id) -> list[int]:
    url = reverse("services_cases:list")
    out = []
    for params in FILTERS:
        query = {k: (team_id if v == "TEAM" else v) for k, v in params.items()}
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url, query)
        assert response.status_code == 200
        out.append(len(ctx))
    return out


def test_case_list_queries_are_the_same_at_100_and_10000_cases(
    client, seed, waste_officer, bin_service
):
    client.force_login(waste_officer)
    seed(100)
    client.get(reverse("services_cases:list"))  # warm per-session caches
    at_100 = counts(client, bin_service.team_id)
    seed(9_900)
    assert Case.objects.count() == 10_000
    at_10000 = counts(client, bin_service.team_id)
    assert at_100 == at_10000
    assert max(at_10000) <= 25  # mostly the Wagtail admin chrome


def test_case_page_queries_are_the_same_at_5_and_50_timeline_entries(
    client, seed, waste_officer, bin_service
):
    seed(2)
    case = Case.objects.filter(service=bin_service).first()
    client.force_login(waste_officer)
    url = reverse("services_cases:detail", args=[case.pk])

    def add_events(n):
        start = CaseEvent.objects.filter(case=case).count()
        CaseEvent.objects.bulk_create(
            CaseEvent(
                case=case,
                kind=CaseEventKind.INTERNAL_NOTE,
                actor=waste_officer,
                text=f"Note {i}",
            )
            for i in range(start, start + n)
        )

    add_events(5)
    client.get(url)
    with CaptureQueriesContext(connection) as at_5:
        assert client.get(url).status_code == 200
    add_events(45)
    with CaptureQueriesContext(connection) as at_50:
        response = client.get(url)
    assert "Note 49" in response.content.decode()
    assert len(at_5) == len(at_50)
