"""The Elasticsearch path, end to end, against a real Elasticsearch-compatible server
(osmem-server in CI, a real cluster when ELASTICSEARCH_URL is set): indexing on
publish and delete through a real Celery worker, an alias swap on rebuild, facets,
suggestions and synonyms, all through the query object the search view uses."""

import time

from wagtail.models import Site

import pytest

from search import indexing
from search.models import Synonym
from search.queries import SiteSearch
from tests.factories.services import ServicePageFactory

pytestmark = pytest.mark.elasticsearch


def titles(results):
    return [hit.title for hit in results.best_bets + results.hits]


def search(text, **kwargs):
    site = Site.objects.get(is_default_site=True)
    return SiteSearch(text=text, site=site, **kwargs).results()


def wait_for(check, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.2)
    return check()


@pytest.mark.django_db
def test_the_search_view_finds_pages_in_elasticsearch(client, council, elasticsearch):
    indexing.rebuild()
    response = client.get("/search/", {"q": "missed bin"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Report a missed bin" in html
    assert response["Cache-Control"].startswith("public")


@pytest.mark.django_db
def test_facets_count_sections_and_types_and_filters_narrow(council, elasticsearch):
    ServicePageFactory(
        parent=council["landing"], title="Bin collection days", slug="days"
    )
    indexing.rebuild()
    everything = search("bin")
    assert everything.total >= 2
    kinds = {facet.value: facet.count for facet in everything.kinds}
    assert kinds["service"] >= 2
    sections = {facet.value: facet.count for facet in everything.sections}
    assert sections[council["landing"].slug] >= 2
    services = search("bin", kind="service")
    assert {hit.kind for hit in services.hits} == {"service"}
    # Facet counts stay those of the whole search when a filter is chosen.
    assert {f.value: f.count for f in services.kinds} == kinds


@pytest.mark.django_db
def test_suggestions_complete_a_partly_typed_title(council, elasticsearch):
    indexing.rebuild()
    site = Site.objects.get(is_default_site=True)
    suggestions = SiteSearch(text="miss", site=site).suggestions()
    assert "Report a missed bin" in [hit.title for hit in suggestions][0]


@pytest.mark.django_db
def test_an_editors_synonym_works_at_once(council, elasticsearch):
    indexing.rebuild()
    assert not titles(search("dump"))
    Synonym.objects.create(terms="dump, tip", means="missed bin")
    assert titles(search("dump"))[0].startswith("Report a missed bin")


@pytest.mark.django_db
def test_rebuild_swaps_the_alias_to_a_new_index_and_drops_the_old(
    council, elasticsearch
):
    first = indexing.rebuild()
    assert indexing.current_indices() == [first]
    assert titles(search("missed bin"))
    second = indexing.rebuild()
    assert second != first
    assert indexing.current_indices() == [second]
    assert not elasticsearch.indices.exists(index=first)
    assert titles(search("missed bin"))


@pytest.mark.celery
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_publishing_unpublishing_and_deleting_update_the_index_through_the_worker(
    council, elasticsearch, celery_app, celery_worker
):
    indexing.rebuild()
    page = ServicePageFactory(
        parent=council["landing"], title="Apply for a skip permit", slug="skip"
    )
    page.save_revision().publish()
    assert wait_for(lambda: "Apply for a skip permit" in titles(search("skip permit")))

    page.unpublish()
    assert wait_for(lambda: not titles(search("skip permit")))

    page.save_revision().publish()
    assert wait_for(lambda: titles(search("skip permit")))
    page.delete()
    assert wait_for(lambda: not titles(search("skip permit")))
