"""A service page: the parts of its body, contact and links that are the same for
everyone come from the fragment cache, a transaction renders for each visitor, the
page is found in one query, and a publish shows at once."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from tests.factories.home import ContactDetailsFactory

pytestmark = pytest.mark.django_db

GUEST_TEXT = "You can use this service without an account"


@pytest.fixture(autouse=True)
def uncached_pages(settings):
    # The page cache would answer the second view itself: these tests are about
    # rendering a page.
    settings.PAGE_CACHE_SECONDS = 0


def publish_body(page, body):
    page.body = body
    page.save_revision().publish()
    page.refresh_from_db()


def queries_of(client, url) -> int:
    client.get(url)  # warm: the fragments of this generation are rendered once
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_content_blocks_beside_a_transaction_cost_no_queries_once_rendered(
    client, missed_bin_page, bin_service, home_page
):
    publish_body(
        missed_bin_page, [("missed_bin", {"service": bin_service, "heading": ""})]
    )
    alone = queries_of(client, missed_bin_page.url)

    contacts = [ContactDetailsFactory(name=f"Team {n}") for n in range(3)]
    publish_body(
        missed_bin_page,
        [
            ("paragraph", "<p>Report a bin we did not collect.</p>"),
            *[("contact", contact) for contact in contacts],
            (
                "related_links",
                {"heading": "Related", "links": [{"page": home_page, "url": ""}]},
            ),
            ("missed_bin", {"service": bin_service, "heading": ""}),
        ],
    )
    html = client.get(missed_bin_page.url).content.decode()
    assert "Team 2" in html and "Start now" in html
    assert queries_of(client, missed_bin_page.url) == alone


def test_a_publish_shows_the_new_text_around_the_transaction(
    client, missed_bin_page, bin_service
):
    first = client.get(missed_bin_page.url).content.decode()
    assert "Report a bin we did not collect." in first
    publish_body(
        missed_bin_page,
        [
            ("paragraph", "<p>Tell us before 5pm.</p>"),
            ("missed_bin", {"service": bin_service, "heading": "Report it here"}),
            ("paragraph", "<p>We return within two working days.</p>"),
        ],
    )
    html = client.get(missed_bin_page.url).content.decode()
    assert "Report a bin we did not collect." not in html
    assert html.index("Tell us before 5pm.") < html.index("Report it here")
    assert html.index("Report it here") < html.index("within two working days")
    assert html.count("Start now") == 1


def test_the_transaction_still_renders_for_each_visitor(
    client, missed_bin_page, resident
):
    anonymous = client.get(missed_bin_page.url).content.decode()
    assert GUEST_TEXT in anonymous
    client.force_login(resident)
    signed_in = client.get(missed_bin_page.url).content.decode()
    assert "Report a bin we did not collect." in signed_in
    assert "Start now" in signed_in
    assert GUEST_TEXT not in signed_in
    client.logout()
    assert GUEST_TEXT in client.get(missed_bin_page.url).content.decode()


def test_a_service_closed_to_guests_shows_at_once_beside_the_cached_text(
    client, missed_bin_page, bin_service
):
    assert "Start now" in client.get(missed_bin_page.url).content.decode()
    bin_service.guest_allowed = False
    bin_service.save()
    html = client.get(missed_bin_page.url).content.decode()
    assert "Report a bin we did not collect." in html
    assert "You need to sign in to use this service." in html
    assert "Start now" not in html


def page_queries(client, url) -> list[str]:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in queries if '"wagtailcore_page"' in q["sql"]]


def test_a_known_page_is_found_with_one_query(client, council):
    assert len(page_queries(client, council["service"].url)) == 1


def test_a_renamed_page_answers_at_its_new_url_only(client, council):
    service = council["service"]
    old_url = service.url
    assert client.get(old_url).status_code == 200
    service.slug = "report-a-missed-bin"
    service.save_revision().publish()
    service.refresh_from_db()
    assert service.url != old_url
    assert client.get(service.url).status_code == 200
    assert client.get(old_url).status_code == 404


def test_contact_and_related_links_cost_no_queries_and_follow_a_publish(
    client, council
):
    service = council["service"]
    service.contact = None
    service.related_links = []
    service.save_revision().publish()
    bare = queries_of(client, service.url)
    service.contact = ContactDetailsFactory(name="Waste team")
    service.related_links = [("link", {"page": council["guide"], "url": ""})]
    service.save_revision().publish()
    html = client.get(service.url).content.decode()
    assert "Waste team" in html and council["guide"].title in html
    assert queries_of(client, service.url) == bare
    service.contact = ContactDetailsFactory(name="Recycling team")
    service.save_revision().publish()
    html = client.get(service.url).content.decode()
    assert "Recycling team" in html and "Waste team" not in html
