"""Whole-page variants per segment: served through the per-segment page cache,
and nowhere else (search, sitemap, menus, listings, A to Z, their own URL)."""

from django.urls import reverse

import pytest

from tests.factories.personalisation import ReferralRuleFactory, SegmentFactory

FROM_SEARCH = {"HTTP_REFERER": "https://www.google.com/search?q=missed+bin"}
SECRET = "Zebracrossing variant wording"


@pytest.fixture
def searchers(db):
    segment = SegmentFactory(name="Searchers")
    ReferralRuleFactory(segment=segment, regex_string=r"google\.")
    return segment


def make_variant(page, segment, text=SECRET):
    """As the library's admin does it ("Variants" → segment), then edit and publish."""
    variant = page.personalisation_metadata.copy_for_segment(segment).specific
    variant.body = [("paragraph", f"<p>{text}</p>")]
    variant.save_revision().publish()
    variant.refresh_from_db()
    return variant


@pytest.mark.django_db
def test_segment_members_get_the_variant_and_others_the_page_each_through_the_cache(
    client, council, searchers
):
    service = council["service"]
    make_variant(service, searchers)
    seen = {}
    for who, headers in [
        ("in", FROM_SEARCH),
        ("out", {}),
        ("in", FROM_SEARCH),
        ("out", {}),
    ]:
        response = client.get(service.url, **headers)
        html = response.content.decode()
        assert (SECRET in html) == (who == "in")
        assert "Report a missed bin" in html  # the page's own title and place
        assert "private" in response["Cache-Control"]
        assert "Vary" not in response and not response.cookies
        seen.setdefault(who, []).append(response["X-Page-Cache"])
    assert seen == {"in": ["miss", "hit"], "out": ["miss", "hit"]}


@pytest.mark.django_db
def test_a_signed_in_residents_variant_is_private_and_never_shared(
    client, council, searchers, django_user_model
):
    service = council["service"]
    make_variant(service, searchers)
    user = django_user_model.objects.create_user("r@example.com", "r@example.com", "pw")
    client.force_login(user)
    response = client.get(service.url, **FROM_SEARCH)
    assert SECRET in response.content.decode()
    assert "private" in response["Cache-Control"]
    assert "X-Page-Cache" not in response
    client.logout()
    assert SECRET not in client.get(service.url).content.decode()


@pytest.mark.django_db
def test_a_variant_is_not_reachable_at_any_url_of_its_own(client, council, searchers):
    service = council["service"]
    variant = make_variant(service, searchers)
    assert variant.url is None  # outside every site
    landing = council["landing"].url
    assert client.get(f"{landing}{variant.slug}/", **FROM_SEARCH).status_code == 404
    # Even moved into the site by hand, it does not answer on its own.
    variant.move(council["landing"], pos="last-child")
    variant.refresh_from_db()
    assert client.get(variant.url, **FROM_SEARCH).status_code == 404


@pytest.mark.django_db
def test_variants_are_absent_from_search_sitemap_menus_listings_and_a_to_z(
    client, council, searchers
):
    from search.indexing import all_sources, page_source

    service = council["service"]
    variant = make_variant(service, searchers)
    search = client.get("/search/", {"q": "zebracrossing"}).content.decode()
    assert SECRET not in search and "(Searchers)" not in search
    assert "missed-bin" not in search  # nothing found at all
    assert page_source(variant) is None  # Elasticsearch documents
    assert all(source["page_id"] != variant.pk for _, source in all_sources())
    assert variant.get_indexed_instance() is None
    sitemap = client.get("/sitemap.xml").content.decode()
    assert variant.slug not in sitemap and service.slug in sitemap
    for page in ("home", "landing", "a_to_z"):
        html = client.get(council[page].url).content.decode()
        assert variant.slug not in html
        assert "(Searchers)" not in html


@pytest.mark.django_db
def test_an_unpublished_variant_is_not_served(client, council, searchers):
    service = council["service"]
    variant = make_variant(service, searchers)
    variant.unpublish()
    assert SECRET not in client.get(service.url, **FROM_SEARCH).content.decode()


@pytest.mark.django_db
def test_pages_without_variants_cost_no_query_for_them(client, council, searchers):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make_variant(council["service"], searchers)
    client.get(council["standard"].url)  # definitions loaded
    from django.core.cache import cache

    cache.clear()  # a fresh page cache, same definitions version gone: reload
    client.get(council["standard"].url)
    with CaptureQueriesContext(connection) as queries:
        client.get(council["standard"].url + "?uncached=1")
    assert not any("personalisablepagemetadata" in q["sql"] for q in queries)


@pytest.mark.django_db
def test_editors_create_a_variant_from_the_page_admin_and_preview_it(
    admin_client, council, searchers
):
    service = council["service"]
    listing = admin_client.get(
        reverse("wagtailadmin_explore", args=[council["landing"].pk])
    )
    assert listing.status_code == 200 and ">Variants<" in " ".join(
        listing.content.decode().split()
    ).replace("> ", ">").replace(" <", "<")
    copy_url = reverse("segment:copy_page", args=[service.pk, searchers.pk])
    created = admin_client.get(copy_url)
    assert created.status_code == 302
    variant = service.personalisation_metadata.variants_metadata.get().variant
    assert created["Location"] == reverse("wagtailadmin_pages:edit", args=[variant.pk])
    assert admin_client.get(created["Location"]).status_code == 200
    assert not variant.live and variant.title == "Report a missed bin (Searchers)"
    # The same button again goes to the same variant.
    assert admin_client.get(copy_url)["Location"] == created["Location"]
    variant = variant.specific
    variant.body = [("paragraph", f"<p>{SECRET}</p>")]
    variant.save_revision()
    preview = admin_client.get(
        reverse("wagtailadmin_pages:view_draft", args=[variant.pk])
    )
    assert preview.status_code == 200 and SECRET in preview.content.decode()
