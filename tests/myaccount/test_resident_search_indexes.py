"""The staff search of residents with an account: every word of the box is found
at the start of a word of a name or the email address, or in the profile's
address (one word in the name and another in the address finds the resident),
and on PostgreSQL each word is read from indexes (a full-text index over names
and email addresses, trigram indexes over addresses), not by reading every
account."""

from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from myaccount.models import Profile
from tests.explain import indexes_read, plan, read_whole
from tests.myaccount.factories import ProfileFactory, ResidentFactory, with_two_factor
from tests.needs import needs_postgres

pytestmark = pytest.mark.django_db


@pytest.fixture
def advisor_client(client, django_user_model):
    user = django_user_model.objects.create_user(
        "advisor", "advisor@guildhall.example", "pw-advisor-123", is_staff=True
    )
    user.groups.add(Group.objects.get(name="Contact centre"))
    with_two_factor(user)
    client.force_login(user)
    return client


@pytest.fixture
def orchard(db):
    return ProfileFactory(
        user=ResidentFactory(
            first_name="Nadia", last_name="Okafor", email="n.okafor@example.org"
        ),
        address_line_1="12 Orchard Close",
        address_line_2="Upper Mill",
        town="Brookfield",
        postcode="GH5 2XY",
        uprn="100090555555",
    ).user


def found(client, query) -> str:
    response = client.get("/admin/residents/", {"q": query})
    assert response.status_code == 200
    return response.content.decode().split(">People<")[0]


@pytest.mark.parametrize(
    "query",
    [
        "Nadia",
        "okafor",
        "n.okafor@example.org",  # the whole address
        "n.okafor",  # its first part
        "n.okafor@",
        "example.org",
        "nad oka",  # the beginnings of the names
        "okafor nad",
        "Orchard Close",
        "Upper Mill",
        "brookfield",
        "nadia orchard",  # one word in the name, one in the address
        "OKAFOR brookfield",
        "12 orchard close",  # a short word narrows what the others found
        "nadia 12",
        "GH5 2XY",
        "gh52xy",
        "100090555555",
    ],
)
def test_a_resident_is_found_by_every_part_of_their_account(
    advisor_client, orchard, resident, query
):
    html = found(advisor_client, query)
    assert f"/admin/residents/{orchard.pk}/" in html
    assert f"/admin/residents/{resident.pk}/" not in html


def test_every_word_must_match(advisor_client, orchard, resident):
    # "Nadia" is Nadia Okafor's, "High" Amira Khan's: nobody has both.
    html = found(advisor_client, "nadia high")
    assert f"/admin/residents/{orchard.pk}/" not in html
    assert f"/admin/residents/{resident.pk}/" not in html
    assert "No residents match" in html


def test_the_list_is_paged_and_costs_the_same_queries_however_many_match(
    advisor_client, orchard
):
    found(advisor_client, "Okafor")
    with CaptureQueriesContext(connection) as few:
        found(advisor_client, "Okafor")
    for i in range(30):
        ProfileFactory(user=ResidentFactory(first_name="Nadia", last_name=f"Okafor{i}"))
    with CaptureQueriesContext(connection) as many:
        html = found(advisor_client, "Okafor")
    assert len(many.captured_queries) == len(few.captured_queries)
    assert "Page 1 of 2." in html


SEARCH_INDEXES = {
    "myaccount_user_name_email_words",
    "myaccount_profile_address_1_trgm",
    "myaccount_profile_address_2_trgm",
    "myaccount_profile_town_trgm",
}


def test_each_word_is_read_from_the_indexes(advisor_client, orchard):
    """Names and email addresses through the full-text index, addresses through
    the trigram indexes: without the full-text index (migration
    ``myaccount.0008``), or with a query whose expression differs from the
    index's, the accounts are read whole."""
    needs_postgres("the plan of PostgreSQL's full-text and trigram indexes")
    residents = ResidentFactory._meta.model.objects.bulk_create(
        ResidentFactory._meta.model(
            username=f"bulk{i}", email=f"bulk{i}@example.com", last_name=f"Bulk{i}"
        )
        for i in range(500)
    )
    Profile.objects.bulk_create(
        Profile(user=user, address_line_1=f"{i} Long Road", town="Guildhall")
        for i, user in enumerate(residents)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE auth_user; ANALYZE myaccount_profile")
    with CaptureQueriesContext(connection) as ctx:
        html = found(advisor_client, "nadia orchard")
    assert f"/admin/residents/{orchard.pk}/" in html
    searches = [
        q["sql"] for q in ctx.captured_queries if "%ORCHARD%" in q["sql"].upper()
    ]
    assert len(searches) == 2  # the page's rows and their count
    for sql in searches:
        planned = plan(sql)
        assert SEARCH_INDEXES <= indexes_read(planned)
        for word in ("nadia", "orchard"):
            assert read_whole(planned, word) == []


def test_a_whole_postcode_finds_that_postcode_not_its_district(advisor_client, orchard):
    """Looked up as one postcode: a neighbour in the same district (GH5) whose
    address merely contains both halves is not listed."""
    neighbour = ProfileFactory(
        user=ResidentFactory(first_name="Tom", last_name="Reed"),
        address_line_1="Unit 2XY",
        town="GH5 Trading Estate",
        postcode="GH5 9ZZ",
    ).user
    html = found(advisor_client, "GH5 2XY")
    assert f"/admin/residents/{orchard.pk}/" in html
    assert f"/admin/residents/{neighbour.pk}/" not in html


@pytest.fixture
def garhurst(db):
    return ProfileFactory(
        user=ResidentFactory(
            first_name="Rhys", last_name="Garhurst", email="rhys.g+council@mail-box.net"
        ),
        address_line_1="4 Station Road",
    ).user


@pytest.fixture
def obrien(db):
    return ProfileFactory(
        user=ResidentFactory(
            first_name="Siobhan", last_name="O'Brien", email="s.obrien@example.net"
        ),
        address_line_1="7 Bridge Street",
    ).user


@pytest.mark.parametrize(
    "query",
    [
        "rhys gar",
        "RHYS GAR",
        "Gar Rhys",
        "rhys:*",  # tsquery syntax is only a separator
        "rhys & garhurst",
        "rhys | garhurst",  # not "either": every word must match
        "!rhys gar",
        "(rhys) 'gar'",
        "rh ga",  # short words alone: the beginnings of the name
        "rhys.g+council@mail-box.net",
        "rhys.g",
        "mail-box",
    ],
)
def test_the_beginnings_of_a_name_or_email_address_find_the_account(
    advisor_client, garhurst, orchard, query
):
    html = found(advisor_client, query)
    assert f"/admin/residents/{garhurst.pk}/" in html
    assert f"/admin/residents/{orchard.pk}/" not in html


@pytest.mark.parametrize("query", ["o'brien", "O\u2019Brien", "o brien", "siob o'b"])
def test_a_name_with_an_apostrophe_is_found_however_it_is_typed(
    advisor_client, obrien, garhurst, query
):
    html = found(advisor_client, query)
    assert f"/admin/residents/{obrien.pk}/" in html
    assert f"/admin/residents/{garhurst.pk}/" not in html


def test_an_ampersand_between_words_only_separates_them(
    advisor_client, garhurst, orchard
):
    html = found(advisor_client, "rh & ga")
    assert f"/admin/residents/{garhurst.pk}/" in html
    assert f"/admin/residents/{orchard.pk}/" not in html


@pytest.mark.parametrize("query", [":*", "!", "&", "'", "\\", "':*|!", "*"])
def test_a_box_of_only_punctuation_finds_nobody_and_does_not_fail(
    advisor_client, garhurst, orchard, query
):
    html = found(advisor_client, query)
    assert f"/admin/residents/{garhurst.pk}/" not in html
    assert "No residents match" in html


def test_a_word_that_matches_neither_person_finds_nobody(
    advisor_client, garhurst, obrien
):
    # "Rhys" is Garhurst's first name, "Bridge" O'Brien's street.
    assert "No residents match" in found(advisor_client, "rhys bridge")
