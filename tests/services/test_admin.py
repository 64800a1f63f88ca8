"""Staff case work in the Wagtail admin: queues, isolation, actions, query counts."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

import pytest

from services import actions
from services.enums import CaseEventKind, CaseStatus
from services.models import Case
from tests.myaccount.factories import with_two_factor

pytestmark = pytest.mark.django_db


def make_cases(service, n, resident=None, **extra):
    return [
        actions.open_case(
            service=service,
            answers={"bin_type": "general"},
            resident=resident,
            guest_email="" if resident else f"g{i}@example.com",
            postcode="GU1 4AA",
            **extra,
        )
        for i in range(n)
    ]


@pytest.fixture
def partner_user(django_user_model, contractor):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user("partner", "partner@example.com", "pw")
    user.groups.add(contractor, Group.objects.get(name="Editors"))
    with_two_factor(user)
    return user


def test_staff_see_only_their_teams_queue(
    client, bin_service, street_service, waste_officer, resident
):
    [bin_case] = make_cases(bin_service, 1, resident)
    [street_case] = make_cases(street_service, 1, resident)
    client.force_login(waste_officer)
    html = client.get(reverse("services_cases:list")).content.decode()
    assert bin_case.reference in html and street_case.reference not in html
    other = client.get(reverse("services_cases:detail", args=[street_case.pk]))
    assert other.status_code == 404


def test_partner_sees_and_updates_only_cases_routed_to_it(
    client, street_service, highways_officer, partner_user, contractor, resident
):
    routed, not_routed = make_cases(street_service, 2, resident)
    actions.assign(case=routed, actor=highways_officer, partner=contractor)
    client.force_login(partner_user)
    html = client.get(reverse("services_cases:list")).content.decode()
    assert routed.reference in html and not_routed.reference not in html
    assert (
        client.get(reverse("services_cases:detail", args=[not_routed.pk])).status_code
        == 404
    )
    url = reverse("services_cases:detail", args=[routed.pk])
    response = client.post(
        url, {"action": "status", "to_status": "in_progress", "message": ""}
    )
    assert response.status_code == 302
    routed.refresh_from_db()
    assert routed.status == "in_progress"
    assert routed.events.filter(
        kind=CaseEventKind.STATUS_CHANGED, actor=partner_user
    ).exists()
    # Partners cannot reassign.
    denied = client.post(url, {"action": "assign", "assignee": partner_user.pk})
    assert (denied.status_code, denied.url) == (
        302,
        "/admin/",
    )  # Wagtail's "permission denied"
    routed.refresh_from_db()
    assert routed.assignee is None


def test_people_outside_any_team_cannot_open_the_queue(client, editor):
    client.force_login(editor)
    denied = client.get(reverse("services_cases:list"))
    assert (denied.status_code, denied.url) == (302, "/admin/")


def test_case_page_shows_answers_timeline_and_allows_only_allowed_transitions(
    client, bin_service, waste_officer, resident
):
    [case] = make_cases(bin_service, 1, resident)
    client.force_login(waste_officer)
    url = reverse("services_cases:detail", args=[case.pk])
    html = client.get(url).content.decode()
    assert "<dt>Which bin was not collected?</dt>" in html and "general" in html
    assert "<dt>bin_type</dt>" not in html
    assert '<option value="in_progress">' in html
    assert '<option value="closed">' not in html
    bad = client.post(url, {"action": "status", "to_status": "closed"})
    assert bad.status_code == 200
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED
    client.post(url, {"action": "note", "text": "Crew blocked by car"})
    client.post(
        url,
        {
            "action": "note",
            "text": "",
            "canned": "The crew will return.",
            "public": "on",
        },
    )
    client.post(url, {"action": "assign", "assignee": waste_officer.pk})
    kinds = list(case.events.values_list("kind", "public", "actor"))
    assert (CaseEventKind.INTERNAL_NOTE, False, waste_officer.pk) in kinds
    assert (CaseEventKind.PUBLIC_UPDATE, True, waste_officer.pk) in kinds
    assert (CaseEventKind.ASSIGNED, False, waste_officer.pk) in kinds
    html = client.get(url).content.decode()
    assert "Crew blocked by car" in html and "The crew will return." in html


def test_filters_and_search(client, bin_service, waste_officer, resident):
    first, second, third = make_cases(bin_service, 3, resident)
    Case.objects.filter(pk=first.pk).update(
        due_date=timezone.localdate() - datetime.timedelta(days=1)
    )
    actions.assign(case=second, actor=waste_officer, assignee=waste_officer)
    client.force_login(waste_officer)
    url = reverse("services_cases:list")

    def refs(**params):
        html = client.get(url, params).content.decode()
        return {c.reference for c in (first, second, third) if c.reference in html}

    assert refs(overdue="on", status="") == {first.reference}
    assert refs(assignee="me", status="") == {second.reference}
    assert refs(q=third.reference, status="all") == {third.reference}
    assert refs(channel="phone", status="") == set()
    assert refs(q="GU1 4AA", status="") == {
        first.reference,
        second.reference,
        third.reference,
    }


def test_bulk_assign_assigns_each_case_and_records_it(
    client, bin_service, waste_officer
):
    cases = make_cases(bin_service, 3)
    client.force_login(waste_officer)
    response = client.post(
        reverse("services_cases:bulk_assign"),
        {"cases": [c.pk for c in cases[:2]], "assignee": waste_officer.pk},
    )
    assert response.status_code == 302
    assert Case.objects.filter(assignee=waste_officer).count() == 2
    assert Case.objects.filter(events__kind=CaseEventKind.ASSIGNED).count() == 2


def test_bulk_assign_cannot_reach_another_teams_cases(
    client, street_service, waste_officer
):
    [case] = make_cases(street_service, 1)
    client.force_login(waste_officer)
    client.post(
        reverse("services_cases:bulk_assign"),
        {"cases": [case.pk], "assignee": waste_officer.pk},
    )
    case.refresh_from_db()
    assert case.assignee is None


def test_case_list_query_count_is_constant(
    client, bin_service, waste_officer, django_user_model
):
    residents = [
        django_user_model.objects.create_user(f"r{i}", f"r{i}@example.com", "x")
        for i in range(5)
    ]

    def bulk(n):
        from services.models import ServiceDefinition  # noqa: F401

        start = Case.objects.count()
        Case.objects.bulk_create(
            [
                Case(
                    reference=f"BIN-2026-{start + i + 1:06d}",
                    service=bin_service,
                    case_type="Missed bin",
                    team=bin_service.team,
                    resident=residents[i % 5],
                    assignee=waste_officer if i % 2 else None,
                    due_date=timezone.localdate() - datetime.timedelta(days=i % 3),
                )
                for i in range(n)
            ]
        )

    client.force_login(waste_officer)
    url = reverse("services_cases:list")
    bulk(100)
    client.get(url)  # warm per-session caches
    with CaptureQueriesContext(connection) as at_100:
        assert client.get(url).status_code == 200
    bulk(900)
    with CaptureQueriesContext(connection) as at_1000:
        assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as filtered:
        client.get(url, {"overdue": "on", "team": bin_service.team_id, "status": ""})
    assert len(at_100) == len(at_1000)
    assert len(filtered) <= len(at_1000) + 1


def test_editors_manage_service_definitions_and_place_the_block(
    client, admin_user, missed_bin_page, waste_team
):
    from services.models import ServiceDefinition

    client.force_login(admin_user)
    add_url = reverse("wagtailsnippets_services_servicedefinition:add")
    assert client.get(add_url).status_code == 200
    response = client.post(
        add_url,
        {
            "name": "Bulky waste",
            "reference_prefix": "BULK",
            "case_type": "Bulky waste",
            "team": waste_team.pk,
            "sla_days": 5,
            "allowed_transitions": '{"submitted": ["closed"]}',
            "retention_days": 365,
            "canned_responses-count": 0,
        },
    )
    assert response.status_code == 302
    assert ServiceDefinition.objects.get(reference_prefix="BULK").next_statuses(
        "submitted"
    ) == ["closed"]
    bad = client.post(
        add_url,
        {
            "name": "Broken",
            "reference_prefix": "bad1",
            "case_type": "x",
            "team": waste_team.pk,
            "sla_days": 5,
            "allowed_transitions": '{"submitted": ["nonsense"]}',
            "retention_days": 365,
            "canned_responses-count": 0,
        },
    )
    assert bad.status_code == 200
    assert not ServiceDefinition.objects.filter(name="Broken").exists()
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[missed_bin_page.pk]))
    assert edit.status_code == 200
    assert "Report a missed bin collection" in edit.content.decode()
