"""One search box for staff: people with and without accounts, properties and
cases, and a page per property."""

from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from services import actions
from services.models import InteractionReason, ServiceDefinition
from tests.myaccount.factories import with_two_factor

pytestmark = pytest.mark.django_db


@pytest.fixture
def bins(db):
    team = Group.objects.create(name="Waste team")
    return ServiceDefinition.objects.create(
        name="Missed bin collection",
        reference_prefix="BIN",
        case_type="Missed bin",
        team=team,
        sla_days=2,
        guest_allowed=True,
    )


def guest_case(bins, **kwargs):
    return actions.open_case(
        service=bins,
        answers={},
        guest_email="pat.guest@example.com",
        contact_name="Pat Guest",
        address="7 Orchard Close, Guildhall",
        postcode="GH2 3CC",
        uprn="100090000777",
        **kwargs,
    )


@pytest.mark.parametrize(
    "query", ["pat.guest@example.com", "Pat Guest", "gh23cc", "100090000777"]
)
def test_a_guest_is_found_with_their_case_and_property(advisor_client, bins, query):
    case = guest_case(bins)
    html = advisor_client.get("/admin/residents/", {"q": query}).content.decode()
    assert f"/admin/cases/{case.pk}/" in html
    if query in ("pat.guest@example.com", "Pat Guest"):
        assert "Pat Guest" in html and "pat.guest@example.com" in html
    else:
        assert "/admin/residents/property/100090000777/" in html


def test_a_case_reference_finds_the_case(advisor_client, bins):
    case = guest_case(bins)
    html = advisor_client.get(
        "/admin/residents/", {"q": case.reference}
    ).content.decode()
    assert f'<a href="/admin/cases/{case.pk}/">{case.reference}</a>' in html


def test_a_caller_logged_by_phone_is_found_by_their_number(advisor_client, advisor):
    actions.log_interaction(
        staff=advisor,
        reason=InteractionReason.objects.first(),
        channel="phone",
        outcome="answered",
        contact_name="Sam Caller",
        contact_phone="07700 900444",
    )
    html = advisor_client.get(
        "/admin/residents/", {"q": "07700 900444"}
    ).content.decode()
    assert "Sam Caller" in html


def test_names_alone_never_join_two_people(advisor_client, bins, advisor):
    guest_case(bins)
    actions.log_interaction(
        staff=advisor,
        reason=InteractionReason.objects.first(),
        channel="phone",
        outcome="answered",
        contact_name="Pat Guest",
        contact_phone="07700 900111",
    )
    html = advisor_client.get("/admin/residents/", {"q": "Pat Guest"}).content.decode()
    people = html.split(">People<")[1].split("Properties")[0]
    assert people.count("Pat Guest</a>") == 2  # same name, two people


def test_the_property_page_lists_every_case_at_the_address(
    advisor_client, bins, resident
):
    first = guest_case(bins)
    second = actions.open_case(
        service=bins, answers={}, resident=resident, uprn="100090000777"
    )
    html = advisor_client.get(
        "/admin/residents/property/100090000777/"
    ).content.decode()
    assert "7 Orchard Close" in html
    assert first.reference in html and second.reference in html


def test_staff_who_only_read_residents_see_no_cases_outside_their_queues(
    client, django_user_model, bins
):
    case = guest_case(bins)
    reader = django_user_model.objects.create_user(
        "reader", "reader@guildhall.example", "pw-reader-123", is_staff=True
    )
    reader.groups.add(Group.objects.get(name="Contact centre"))
    Group.objects.get(name="Contact centre").permissions.remove(
        Permission.objects.get(codename="open_case_on_behalf")
    )
    with_two_factor(reader)
    client.force_login(reader)
    html = client.get("/admin/residents/", {"q": case.reference}).content.decode()
    assert f"/admin/cases/{case.pk}/" not in html
    page = client.get("/admin/residents/property/100090000777/").content.decode()
    assert case.reference not in page


def test_the_search_costs_the_same_queries_however_much_matches(advisor_client, bins):
    guest_case(bins)
    advisor_client.get("/admin/residents/", {"q": "GH2 3CC"})
    with CaptureQueriesContext(connection) as few:
        advisor_client.get("/admin/residents/", {"q": "GH2 3CC"})
    for _ in range(30):
        guest_case(bins)
    with CaptureQueriesContext(connection) as many:
        advisor_client.get("/admin/residents/", {"q": "GH2 3CC"})
    assert len(many.captured_queries) == len(few.captured_queries)
