"""The staff case list's search (``/admin/cases/?q=``): a reference or its
beginning, an email address or phone number however it is typed, a postcode, a
UPRN, a name or an address finds the case; on PostgreSQL each kind of match is
read from an index, not by reading every case."""

from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pytest

from services import actions
from services.models import Case, Contact, ContactPoint
from services.on_behalf import Caller
from tests.explain import indexes_read, plan, read_whole
from tests.needs import needs_postgres

pytestmark = pytest.mark.django_db


@pytest.fixture
def guest(bin_service, advisor):
    return actions.open_case(
        service=bin_service,
        answers={},
        guest_email="Pat.Guest@Example.com",
        contact_name="Pat Guest",
        caller=Caller(
            page_id=0,
            channel="phone",
            name="Pat Guest",
            email="",
            phone="07700 900123",
            staff=advisor,
        ),  # fmt: skip
        address="7 Orchard Close, Guildhall",
        postcode="GH2 3CC",
        uprn="100090000777",
    )


@pytest.fixture
def account_case(bin_service, django_user_model):
    resident = django_user_model.objects.create_user(
        "amira", "amira.khan@example.com", "pw-amira-123456",
        first_name="Amira", last_name="Khan",
    )  # fmt: skip
    return actions.open_case(
        service=bin_service, answers={}, resident=resident, address="3 High Street"
    )


def listed(client, query) -> str:
    response = client.get(reverse("services_cases:list"), {"q": query, "status": "all"})
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        "pat.guest@example.com",
        "PAT.GUEST@EXAMPLE.COM",
        "07700 900123",
        "+44 7700 900123",
        "07700900123",
        "GH2 3CC",
        "gh23cc",
        "100090000777",
        "Pat Guest",
        "guest",
        "Orchard Close",
    ],
)
def test_a_guests_case_is_found_by_their_details_and_its_address(
    advisor_client, guest, account_case, query
):
    html = listed(advisor_client, query)
    assert guest.reference in html
    assert account_case.reference not in html


@pytest.mark.parametrize(
    "query", ["amira.khan@example.com", "Amira", "khan", "Amira Khan", "High Street"]
)
def test_an_account_holders_case_is_found_by_their_name_and_email(
    advisor_client, guest, account_case, query
):
    html = listed(advisor_client, query)
    assert account_case.reference in html
    assert guest.reference not in html


def test_a_reference_or_its_beginning_finds_the_case(advisor_client, guest):
    assert guest.reference in listed(advisor_client, guest.reference)
    assert guest.reference in listed(advisor_client, guest.reference.lower())
    assert guest.reference in listed(advisor_client, guest.reference[:-1])
    assert guest.reference in listed(advisor_client, "BIN")
    assert guest.reference not in listed(advisor_client, "STR-")


def test_nothing_matching_lists_nothing(advisor_client, guest):
    assert guest.reference not in listed(advisor_client, "nobody@example.com")
    assert guest.reference not in listed(advisor_client, "Zebedee")


@pytest.mark.parametrize("found_as_ids", [2000, 1])
def test_a_search_lists_every_case_it_finds_whether_few_or_many(
    advisor_client, guest, bin_service, monkeypatch, found_as_ids
):
    """A few cases found go to the list as their ids; more than
    ``FOUND_AS_IDS`` stay a search the list runs itself. Both list the same."""
    monkeypatch.setattr("services.visibility.FOUND_AS_IDS", found_as_ids)
    others = [
        actions.open_case(
            service=bin_service,
            answers={},
            guest_email=f"neighbour{i}@example.com",
            address=f"{i} Orchard Close, Guildhall",
        )
        for i in (1, 2)
    ]
    with CaptureQueriesContext(connection) as ctx:
        html = listed(advisor_client, "Orchard")
    for case in (guest, *others):
        assert case.reference in html
    assert "<p>3 cases</p>" in html
    searched = [q["sql"] for q in ctx.captured_queries if "ORCHARD" in q["sql"].upper()]
    # Few: read once, as ids. Many: the ids read stops at the limit, then the
    # list's count and rows run the search themselves.
    assert len(searched) == (1 if found_as_ids > 3 else 3)


@pytest.fixture
def many_cases(bin_service):
    """A few hundred callers and cases beside the searched one, so the planner
    has tables worth reading through an index."""
    needs_postgres("the plan of PostgreSQL's indexes")
    contacts = Contact.objects.bulk_create(
        Contact(name=f"Caller {i}") for i in range(400)
    )
    ContactPoint.objects.bulk_create(
        ContactPoint(contact=contact, kind=kind, value=value)
        for i, contact in enumerate(contacts)
        for kind, value in (("email", f"caller{i}@example.com"), ("phone", f"0770091{i:04d}"))
    )  # fmt: skip
    Case.objects.bulk_create(
        Case(
            reference=f"BIN-2025-{i:06d}",
            service=bin_service,
            case_type=bin_service.case_type,
            team_id=bin_service.team_id,
            contact=contact,
            contact_name=contact.name,
            address=f"{i} Long Road, Guildhall",
            postcode="GH9 9ZZ",
        )
        for i, contact in enumerate(contacts)
    )
    get_user_model().objects.bulk_create(
        get_user_model()(username=f"r{i}", first_name="Rita", last_name=f"Resident{i}")
        for i in range(1000)
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "ANALYZE services_case; ANALYZE services_contact; "
            "ANALYZE services_contactpoint; ANALYZE auth_user"
        )


@pytest.mark.parametrize(
    "query, searched, indexes",
    [
        ("Orchard", "%ORCHARD%", {"services_case_address_trgm"}),
        (
            "Pat Gue",
            "%PAT GUE%",
            {
                "services_contact_name_trgm",
                "services_case_contact_name_trgm",
                "myaccount_user_first_name_trgm",
                "myaccount_user_last_name_trgm",
            },
        ),
        ("pat.guest@example.com", "pat.guest@example.com", {"services_co_kind_cc6805_idx"}),
        ("07700 900123", "07700900123", {"services_co_kind_cc6805_idx"}),
        ("gh23cc", "GH2 3CC", {"services_case_postcode_"}),
        ("BIN-2026", "BIN-2026", {"services_case_reference_"}),
    ],
)  # fmt: skip
def test_each_kind_of_match_is_read_from_an_index(
    advisor_client, guest, many_cases, query, searched, indexes
):
    with CaptureQueriesContext(connection) as ctx:
        html = listed(advisor_client, query)
    assert guest.reference in html
    # The search is read once, as ids, before the list's count and rows (which
    # get the ids it found, not the search).
    searches = [
        q["sql"] for q in ctx.captured_queries if searched.upper() in q["sql"].upper()
    ]
    assert len(searches) == 1
    planned = plan(searches[0])
    read = indexes_read(planned)
    for index in indexes:
        assert any(name.startswith(index) for name in read), (index, read)
    assert read_whole(planned, searched) == []
