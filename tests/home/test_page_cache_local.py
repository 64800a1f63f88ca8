"""A worker's own copies of the pages it serves most: a hit costs no round trip to
the shared cache, and a publish anywhere shows within PAGE_CACHE_LOCAL_SECONDS."""

import os
import subprocess
import sys
import time

from django.conf import settings as django_settings

import pytest

from home.platform import cache as page_cache

INTERVAL = 0.3


@pytest.fixture
def local_copies(settings):
    settings.PAGE_CACHE_LOCAL_SECONDS = INTERVAL
    page_cache._local_pages.clear()
    yield
    page_cache._local_pages.clear()


@pytest.fixture
def shared_reads(monkeypatch):
    """How many times the page cache reads the shared cache."""
    reads = []
    real = page_cache._cache

    class Counting:
        def __init__(self, cache):
            self._cache = cache

        def get_many(self, keys):
            reads.append(keys)
            return self._cache.get_many(keys)

        def __getattr__(self, name):
            return getattr(self._cache, name)

    monkeypatch.setattr(page_cache, "_cache", lambda: Counting(real()))
    return reads


@pytest.mark.django_db
def test_a_hit_on_a_page_this_worker_has_served_needs_no_shared_cache_read(
    client, council, local_copies, shared_reads
):
    url = council["landing"].url
    first = client.get(url)
    assert first["X-Page-Cache"] == "miss"
    assert client.get(url)["X-Page-Cache"] == "hit"  # from the shared cache, copied
    reads = len(shared_reads)
    third = client.get(url)
    assert third["X-Page-Cache"] == "hit"
    assert len(shared_reads) == reads
    assert third.content == first.content
    assert third["Cache-Control"] == first["Cache-Control"]


@pytest.mark.django_db
def test_another_workers_publish_shows_here_within_the_interval(
    client, council, local_copies
):
    service = council["service"]
    client.get(service.url)
    assert client.get(service.url)["X-Page-Cache"] == "hit"
    # Another worker publishes: the page changes and the shared generation moves
    # on, but nothing in this worker is told.
    type(service).objects.filter(pk=service.pk).update(title="Bin day changes")
    page_cache._cache().set(page_cache.GENERATION_KEY, "another-workers", None)
    time.sleep(INTERVAL + 0.05)
    response = client.get(service.url)
    assert response["X-Page-Cache"] == "miss"
    assert "Bin day changes" in response.content.decode()


@pytest.mark.django_db
def test_a_publish_in_this_worker_shows_at_once(client, council, local_copies):
    service = council["service"]
    client.get(service.url)
    assert client.get(service.url)["X-Page-Cache"] == "hit"
    assert client.get(service.url)["X-Page-Cache"] == "hit"  # the worker's copy
    service.title = "Report a missed bin collection"
    service.save_revision().publish()
    response = client.get(service.url)
    assert response["X-Page-Cache"] == "miss"
    assert "Report a missed bin collection" in response.content.decode()


@pytest.mark.django_db
def test_an_emptied_shared_cache_drops_the_workers_copies(
    client, council, local_copies
):
    url = council["landing"].url
    client.get(url)
    client.get(url)
    page_cache._cache().clear()
    time.sleep(INTERVAL + 0.05)
    assert client.get(url)["X-Page-Cache"] == "miss"


@pytest.mark.django_db
def test_a_page_personalised_by_segment_is_copied_per_segment_and_counts_each_visit(
    client, council, local_copies, shared_reads
):
    from personalisation import visits
    from personalisation.segments import VERSION_KEY
    from tests.factories.personalisation import ReferralRuleFactory
    from tests.personalisation.test_delivery import FROM_SEARCH, personalise

    searchers = ReferralRuleFactory(regex_string=r"google\.").segment
    service = council["service"]
    personalise(service, searchers, "Welcome, searcher", "Hello, everyone")
    visits._pending.counts.clear()
    for _ in range(2):  # rendered, then from the shared cache (and copied)
        client.get(service.url, **FROM_SEARCH)
        client.get(service.url)
    reads = len(shared_reads)
    searcher = client.get(service.url, **FROM_SEARCH)
    everyone = client.get(service.url)
    assert len(shared_reads) == reads  # both from this worker's copies
    assert searcher["X-Page-Cache"] == everyone["X-Page-Cache"] == "hit"
    assert "Welcome, searcher" in searcher.content.decode()
    assert "Welcome, searcher" not in everyone.content.decode()
    assert "Hello, everyone" in everyone.content.decode()
    assert "private" in searcher["Cache-Control"]
    # Every visit by a searcher counted, the copies' included.
    assert sum(visits._pending.counts.values()) == 3
    # Another worker changes the segment definitions: the copies go within the
    # interval, as for a publish.
    page_cache._cache().set(VERSION_KEY, "another-workers-version", None)
    time.sleep(INTERVAL + 0.05)
    client.get(service.url, **FROM_SEARCH)
    assert len(shared_reads) > reads


def _local_seconds(**env: str) -> float:
    """PAGE_CACHE_LOCAL_SECONDS as a deployment with this environment gets it."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("FRONTEND_CACHE_", "CLOUDFLARE_", "PAGE_CACHE_LOCAL"))
    }
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.PAGE_CACHE_LOCAL_SECONDS)",
        ],
        env=clean | {"DJANGO_SETTINGS_MODULE": "cms.settings.dev"} | env,
        cwd=django_settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    return float(result.stdout.strip().splitlines()[-1])


def test_copies_are_off_when_a_shared_cache_sits_in_front():
    """A front cache asks for a page right after purging it: it must not get a
    worker's copy from before the publish."""
    assert _local_seconds() == 1.0
    assert _local_seconds(FRONTEND_CACHE_NGINX_URL="http://127.0.0.1:8141") == 0
    assert _local_seconds(FRONTEND_CACHE_PURGE_URL="http://varnish:6081") == 0
    assert _local_seconds(PAGE_CACHE_LOCAL_SECONDS="2.5") == 2.5
