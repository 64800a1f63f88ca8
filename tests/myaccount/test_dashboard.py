"""The My Account page: blocks, empty states, the timeline registry, caching and
a query count that does not grow with a resident's history."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import pytest

from myaccount.enums import TimelineKind
from myaccount.registry import (
    TimelineItem,
    register_timeline_source,
    unregister_timeline_source,
)
from tests.myaccount.factories import (
    CouncilTaxLinkFactory,
    DemoCouncilTaxAccountFactory,
    ResidentMessageFactory,
)

pytestmark = pytest.mark.django_db


def test_signed_out_visitors_are_sent_to_sign_in(client, my_account_page):
    response = client.get(my_account_page.url)
    assert response.status_code == 302
    assert response["Location"] == f"/account/login/?next={my_account_page.url}"


def test_empty_states_for_records_that_arrive_later(resident_client, my_account_page):
    html = resident_client.get(my_account_page.url).content.decode()
    for text in (
        "You have not made any requests yet.",
        "You have no bookings.",
        "You have not made any payments.",
        "You have no messages.",
        "Link your council tax account",
    ):
        assert text in html


def test_messages_newest_first_with_their_reference(
    resident_client, resident, my_account_page
):
    now = timezone.now()
    ResidentMessageFactory(
        user=resident,
        subject="Older one",
        reference="MSG-OLD",
        sent_at=now - timezone.timedelta(days=2),
    )
    ResidentMessageFactory(
        user=resident, subject="Newer one", reference="MSG-NEW", sent_at=now
    )
    html = resident_client.get(my_account_page.url).content.decode()
    assert html.index("Newer one") < html.index("Older one")
    assert "Reference MSG-NEW" in html


def test_personalised_notice_shows_only_to_its_audience(
    resident_client, resident, my_account_page
):
    # The resident has an address, so the "add your address" notice is hidden.
    html = resident_client.get(my_account_page.url).content.decode()
    assert "Add it." not in html
    resident.resident_profile.uprn = ""
    resident.resident_profile.save()
    assert "Add it." in resident_client.get(my_account_page.url).content.decode()


def test_dashboard_is_private_and_never_cached(resident_client, my_account_page):
    response = resident_client.get(my_account_page.url)
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    assert "X-Page-Cache" not in response


class FakeCaseSource:
    """A later app's timeline source: one query for a resident's and their
    organisations' records."""

    kind = TimelineKind.REQUEST

    def __init__(self):
        self.calls = []

    def items(self, *, user, organisation_ids, limit):
        from myaccount.models import ResidentMessage

        self.calls.append(list(organisation_ids))
        # One real query, standing in for Case.objects.for_resident(...)[:limit].
        rows = list(
            ResidentMessage.objects.filter(user=user).values_list(
                "reference", "sent_at"
            )[:limit]
        )
        return [
            TimelineItem(
                kind=self.kind,
                reference=f"CASE-{ref}",
                title="Missed bin",
                occurred_at=at,
                status="Open",
            )
            for ref, at in rows
        ]

    def residents_with_reference(self, reference):
        return []


@pytest.fixture
def case_source():
    source = FakeCaseSource()
    register_timeline_source(source)
    yield source
    unregister_timeline_source(source)


def test_registered_sources_fill_their_blocks(
    resident_client, resident, my_account_page, case_source
):
    ResidentMessageFactory(user=resident, reference="R1")
    html = resident_client.get(my_account_page.url).content.decode()
    assert "Reference CASE-R1" in html
    assert "You have not made any requests yet." not in html


def test_members_sources_receive_their_organisations(
    resident_client, resident, my_account_page, case_source
):
    from myaccount import actions

    organisation = actions.create_organisation(user=resident, name="Khan Ltd")
    resident_client.get(my_account_page.url)
    assert case_source.calls == [[organisation.pk]]


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_dashboard_query_count_is_the_same_with_10_and_100_records(
    resident_client, resident, my_account_page, case_source
):
    for number in ("10000001", "10000002"):
        DemoCouncilTaxAccountFactory(account_number=number)
        CouncilTaxLinkFactory(user=resident, account_number=number)
    ResidentMessageFactory.create_batch(10, user=resident)
    resident_client.get(my_account_page.url)  # warm Wagtail's site and route caches
    with_10 = _queries(resident_client, my_account_page.url)
    ResidentMessageFactory.create_batch(90, user=resident)
    for number in ("10000003", "10000004", "10000005"):
        DemoCouncilTaxAccountFactory(account_number=number)
        CouncilTaxLinkFactory(user=resident, account_number=number)
    with_100 = _queries(resident_client, my_account_page.url)
    assert with_10 == with_100
    assert with_100 <= 15


def test_header_says_sign_in_on_cached_pages_and_your_account_when_signed_in(
    client, resident, home_page
):
    anonymous = client.get("/")
    assert "public" in anonymous["Cache-Control"]
    assert "Sign in" in anonymous.content.decode()
    client.force_login(resident)
    signed_in = client.get("/")
    html = signed_in.content.decode()
    assert "Your account" in html and "Sign out" in html
    assert "Amira" not in html.split("</header>")[0]
    assert "private" in signed_in["Cache-Control"]
    # The page cache never answers or stores a signed-in request.
    assert signed_in.get("X-Page-Cache", "") in ("",)
    client.logout()
    client.cookies.clear()
    again = client.get("/")
    html = again.content.decode()
    assert "Sign in" in html and "Your account" not in html


def test_get_writes_nothing_to_the_session_or_database(
    resident_client, my_account_page
):
    resident_client.get(my_account_page.url)
    with CaptureQueriesContext(connection) as ctx:
        response = resident_client.get(my_account_page.url)
    writes = [
        q["sql"]
        for q in ctx.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert writes == []
    assert "sessionid" not in response.cookies
