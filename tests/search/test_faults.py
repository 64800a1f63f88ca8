"""Elasticsearch down or hanging: search answers from the database within one
short timeout, indexing retries on the client's own errors, and a reconcile
re-indexes what was published during the outage."""

from collections import Counter

from django.test import Client

import pytest
from elastic_transport import ApiResponseMeta, HttpHeaders, NodeConfig
from elasticsearch import ApiError

from search import es_engine, indexing, tasks
from tests.factories.services import ServicePageFactory
from tests.faults.servers import HangingServer

CLOSED_PORT, HANGING_PORT = 8165, 8166


@pytest.fixture(autouse=True)
def _fresh_breaker():
    es_engine.breaker.down_since = None
    yield
    es_engine.breaker.down_since = None
    indexing._client.cache_clear()


def searches(figures, paths):
    client = Client(raise_request_exception=False)
    pages = []
    for path in paths:
        response = client.get(path)
        figures["requests"] += 1
        figures["5xx"] += response.status_code >= 500
        pages.append(response)
    return pages


@pytest.mark.django_db
def test_cluster_at_a_closed_port_search_answers_from_the_database(
    council, settings, report
):
    settings.ELASTICSEARCH_URL = f"http://127.0.0.1:{CLOSED_PORT}"
    figures = Counter()
    pages = searches(
        figures, ["/search/?q=missed+bin"] * 3 + ["/search/suggest/?q=rep"]
    )
    assert figures["5xx"] == 0
    html = pages[0].content.decode()
    assert "Report a missed bin" in html
    # Nothing alarming: no error summary, no word of an outage.
    assert "govuk-error-summary" not in html and "unavailable" not in html.lower()
    assert "Report a missed bin" in pages[-1].content.decode()
    report("Elasticsearch at a closed port", dict(figures))


@pytest.mark.django_db
def test_cluster_hanging_costs_one_short_timeout_then_is_left_alone(
    council, settings, report
):
    hanging = HangingServer(HANGING_PORT)
    try:
        settings.ELASTICSEARCH_URL = f"http://127.0.0.1:{HANGING_PORT}"
        settings.ELASTICSEARCH_QUERY_TIMEOUT_SECONDS = 0.5
        figures = Counter()
        pages = searches(figures, ["/search/?q=missed+bin"] * 4)
        assert figures["5xx"] == 0
        assert all("Report a missed bin" in p.content.decode() for p in pages)
        # One connection, no retries, and the breaker kept later searches away.
        assert hanging.accepted == 1
        report(
            "Elasticsearch hanging",
            {**figures, "connections": hanging.accepted},
        )
    finally:
        hanging.close()


def test_indexing_retries_on_the_clients_own_errors():
    meta = ApiResponseMeta(
        status=503,
        http_version="1.1",
        headers=HttpHeaders(),
        duration=0.0,
        node=NodeConfig("http", "localhost", 9200),
    )
    with pytest.raises(indexing.ClusterUnavailable):
        indexing._server_errors_retryable(
            lambda: (_ for _ in ()).throw(ApiError("unavailable", meta, {}))
        )
    for task in (tasks.index_page, tasks.remove_page, tasks.index_document):
        assert task.autoretry_for == indexing.RETRYABLE


@pytest.mark.django_db
def test_a_closed_port_raises_an_error_the_task_retries_on(council, settings):
    settings.ELASTICSEARCH_URL = f"http://127.0.0.1:{CLOSED_PORT}"
    with pytest.raises(indexing.RETRYABLE):
        indexing.index_page(council["service"].pk)
    # The task runs once inline (no broker here), logs, and leaves it to reconcile.
    assert tasks.index_page.delay(council["service"].pk) is None


@pytest.mark.elasticsearch
@pytest.mark.django_db
def test_a_page_published_during_an_outage_is_indexed_by_the_reconcile(
    council, elasticsearch, settings, report
):
    from search.models import IndexMark

    indexing.rebuild(replicas=0)
    built = IndexMark.get(IndexMark.PAGES)
    assert built is not None
    cluster = settings.ELASTICSEARCH_URL
    settings.ELASTICSEARCH_URL = f"http://127.0.0.1:{CLOSED_PORT}"
    page = ServicePageFactory(
        parent=council["landing"], title="Report fly-tipping", slug="fly-tipping"
    )
    page.save_revision().publish()  # its index task fails: the cluster is down

    settings.ELASTICSEARCH_URL = cluster
    client = indexing.get_client()
    doc = indexing.page_doc_id(page.pk)
    assert not client.exists(index=indexing.alias_name(), id=doc)
    indexed = tasks.reconcile_index.apply().get()
    assert indexed >= 1
    assert client.exists(index=indexing.alias_name(), id=doc)
    assert IndexMark.get(IndexMark.PAGES) > built
    report("Elasticsearch down at publish", {"re-indexed by reconcile": indexed})
