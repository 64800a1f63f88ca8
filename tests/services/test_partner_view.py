"""Partners see only what the case needs: a contractor's staff see the problem,
its place and its timeline, not the resident's name, email address, phone number
or home address, unless the service definition says the partner needs them."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

import pytest

from services import actions
from services.models import Case
from tests.myaccount.factories import with_two_factor

pytestmark = pytest.mark.django_db

RESIDENT = {
    "first_name": "Priyanka",
    "last_name": "Dasgupta",
    "email": "priyanka.dasgupta@example.com",
}
PHONE = "07700900982"
PERSONAL = [
    "Priyanka",
    "Dasgupta",
    "priyanka.dasgupta@example.com",
    "07700900982",
    "07700 900 982",
    "+44 7700 900982",
    "14 Orchard Way",
    "GH7 1ZZ",
    "100090777777",
]
NEEDED = ["Deep pothole by the bus stop", "outside the post office", "51.250000"]


@pytest.fixture
def partner_user(django_user_model, contractor):
    user = django_user_model.objects.create_user(
        "partner", "crew@roadworks.example", "pw"
    )
    user.groups.add(contractor, Group.objects.get(name="Editors"))
    with_two_factor(user)
    return user


@pytest.fixture
def routed_case(street_service, highways_officer, contractor, django_user_model):
    resident = django_user_model.objects.create_user(
        "priyanka", password="pw", **RESIDENT
    )
    case = actions.open_case(
        service=street_service,
        answers={
            "description": "Deep pothole by the bus stop. Call Priyanka on 07700 900 982",
            "uprn": "100090777777",
        },
        resident=resident,
        address="14 Orchard Way, Guildhall",
        postcode="GH7 1ZZ",
        uprn="100090777777",
        latitude=Decimal("51.25"),
        longitude=Decimal("-0.5"),
        location_description="Market Street, outside the post office",
    )
    Case.objects.filter(pk=case.pk).update(contact_phone=PHONE)
    actions.add_note(
        case=case,
        actor=highways_officer,
        text="Spoke to Priyanka Dasgupta on +44 7700 900982 about access.",
        public=False,
    )
    actions.assign(case=case, actor=highways_officer, partner=contractor)
    actions.change_status(case=case, to_status="in_progress", actor=highways_officer)
    actions.change_status(case=case, to_status="resolved", actor=highways_officer)
    actions.record_satisfaction(
        case=case, answer="yes", comment="Thanks, from Priyanka", actor=resident
    )
    return Case.objects.get(pk=case.pk)


def pages(client, case):
    detail = client.get(reverse("services_cases:detail", args=[case.pk]))
    listing = client.get(reverse("services_cases:list"), {"status": "all"})
    assert detail.status_code == listing.status_code == 200
    return detail.content.decode(), listing.content.decode()


def test_a_partner_sees_the_problem_and_its_place_but_not_the_resident(
    client, partner_user, routed_case
):
    client.force_login(partner_user)
    detail, listing = pages(client, routed_case)
    for text in NEEDED:
        assert text in detail
    assert routed_case.reference in listing
    leaked = [value for value in PERSONAL if value in detail + listing]
    assert leaked == []
    assert "Not shared with partners" in detail


def test_the_councils_own_team_sees_everything(client, highways_officer, routed_case):
    client.force_login(highways_officer)
    detail, listing = pages(client, routed_case)
    for value in ["priyanka.dasgupta@example.com", "07700900982", "14 Orchard Way"]:
        assert value in detail
    assert "Priyanka Dasgupta" in listing and "GH7 1ZZ" in listing


def test_a_service_can_share_contact_details_or_the_address_with_partners(
    client, partner_user, routed_case
):
    client.force_login(partner_user)
    service = routed_case.service
    service.partner_sees_contact_details = True
    service.save()
    detail, listing = pages(client, routed_case)
    assert "priyanka.dasgupta@example.com" in detail and "07700900982" in detail
    assert "Priyanka Dasgupta" in listing
    assert "14 Orchard Way" not in detail and "GH7 1ZZ" not in listing

    service.partner_sees_contact_details = False
    service.partner_sees_address = True
    service.save()
    detail, listing = pages(client, routed_case)
    assert "14 Orchard Way" in detail and "GH7 1ZZ" in listing
    assert "100090777777" in detail
    assert "priyanka.dasgupta@example.com" not in detail


def test_a_partner_cannot_find_a_case_by_what_is_hidden_from_them(
    client, partner_user, highways_officer, routed_case
):
    url = reverse("services_cases:list")

    def found(user, text):
        client.force_login(user)
        html = client.get(url, {"q": text, "status": "all"}).content.decode()
        return routed_case.reference in html

    for hidden in [
        "priyanka.dasgupta@example.com",
        "Dasgupta",
        "GH7 1ZZ",
        "14 Orchard",
    ]:
        assert not found(partner_user, hidden), hidden
        assert found(highways_officer, hidden), hidden
    assert found(partner_user, routed_case.reference)


def test_the_partners_case_list_costs_the_same_queries_at_10_and_100_cases(
    client, partner_user, street_service, contractor, django_user_model
):
    residents = [
        django_user_model.objects.create_user(f"r{i}", f"r{i}@example.com", "x")
        for i in range(5)
    ]

    def bulk(n):
        start = Case.objects.count()
        Case.objects.bulk_create(
            Case(
                reference=f"STR-2026-{start + i + 1:06d}",
                service=street_service,
                case_type="Street problem",
                team=street_service.team,
                partner=contractor,
                resident=residents[i % 5],
                postcode="GH1 1AA",
                due_date=timezone.localdate() + datetime.timedelta(days=i % 3),
            )
            for i in range(n)
        )

    client.force_login(partner_user)
    url = reverse("services_cases:list")
    bulk(10)
    client.get(url)
    with CaptureQueriesContext(connection) as at_10:
        assert client.get(url).status_code == 200
    bulk(90)
    with CaptureQueriesContext(connection) as at_100:
        html = client.get(url).content.decode()
    assert len(at_10) == len(at_100)
    assert "r3@example.com" not in html
