"""Search fixtures: an Elasticsearch-compatible server for the ``elasticsearch`` tests.

With ``ELASTICSEARCH_URL`` set, the tests run against that cluster (its client as in
production). Otherwise an ``osmem-server`` (an in-memory, OpenSearch-compatible
server from PyPI) is started for the session. If it cannot start, the tests fail
when ``REQUIRE_SERVICES=1`` (CI), ``REQUIRE_ELASTICSEARCH=1`` or ``CI=true`` and are
skipped, with the reason, otherwise (``tests.needs.missing``). Each test gets its own alias (so its own indices), deleted afterwards.
"""

import os
import uuid

import pytest

from tests.needs import missing, services_required

PLAIN_JSON_NODE = "tests.search.es_transport.PlainJsonNode"


def _required() -> bool:
    return (
        services_required()
        or os.environ.get("CI", "").lower() == "true"
        or os.environ.get("REQUIRE_ELASTICSEARCH") in ("1", "true", "yes")
    )


@pytest.fixture(scope="session")
def search_cluster():
    """(url, node class path) of a running Elasticsearch-compatible server."""
    url = os.environ.get("ELASTICSEARCH_URL")
    if url:
        yield url, ""
        return
    try:
        from osmem_server import OsmemServer

        server = OsmemServer.start(japanese=False, startup_timeout=30)
    except Exception as error:  # noqa: BLE001 - any failure to start is reported
        message = f"osmem-server could not start ({error}); set ELASTICSEARCH_URL to use a real cluster"
        missing(message, required=_required())
    try:
        yield server.url, PLAIN_JSON_NODE
    finally:
        server.close()


@pytest.fixture
def elasticsearch(search_cluster, settings):
    """Switch the site to Elasticsearch on a fresh alias for this test."""
    from search import indexing

    url, node_class = search_cluster
    settings.ELASTICSEARCH_URL = url
    settings.ELASTICSEARCH_NODE_CLASS = node_class
    settings.ELASTICSEARCH_INDEX = f"test-{uuid.uuid4().hex[:12]}"
    client = indexing.get_client()
    yield client
    for name in indexing.current_indices():
        client.indices.delete(index=name, ignore_unavailable=True)
    indexing._client.cache_clear()


@pytest.fixture
def report():
    from tests.faults.conftest import FIGURES

    def add(name: str, figures: dict) -> None:
        FIGURES.append(f"{name}: " + ", ".join(f"{k} {v}" for k, v in figures.items()))

    return add
