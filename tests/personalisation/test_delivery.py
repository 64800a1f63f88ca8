"""Personalised content that stays safe and cheap behind the page cache."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from tests.factories.personalisation import (
    DeviceRuleFactory,
    ReferralRuleFactory,
    SegmentFactory,
)

FROM_SEARCH = {"HTTP_REFERER": "https://www.google.com/search?q=missed+bin"}


def personalise(page, segment, shown: str, fallback: str):
    page.body = [
        (
            "personalised",
            {
                "segment": str(segment.pk),
                "content": [("paragraph", f"<p>{shown}</p>")],
                "fallback": [("paragraph", f"<p>{fallback}</p>")],
            },
        )
    ]
    page.save_revision().publish()


@pytest.fixture
def from_search(db):
    return ReferralRuleFactory(regex_string=r"google\.").segment


@pytest.mark.django_db
@pytest.mark.parametrize("first", ["in segment", "everyone else"])
@pytest.mark.parametrize("worker_copies", [False, True])
def test_visitors_in_different_segments_each_see_only_their_own_content_through_the_cache(
    client, council, from_search, first, worker_copies, settings
):
    """Also with the worker's own page copies on: a personalised page is copied
    per segment, so each visitor still gets their segment's page."""
    from home.platform.cache import _local_pages

    settings.PAGE_CACHE_LOCAL_SECONDS = 60 if worker_copies else 0
    _local_pages.clear()
    service = council["service"]
    personalise(service, from_search, "Welcome, searcher", "Hello, everyone")
    visits = {
        "in segment": lambda: client.get(service.url, **FROM_SEARCH),
        "everyone else": lambda: client.get(service.url),
    }
    second = "everyone else" if first == "in segment" else "in segment"
    seen = {}
    for who in (first, second, first, second):
        response = visits[who]()
        html = response.content.decode()
        seen.setdefault(who, []).append(response["X-Page-Cache"])
        if who == "in segment":
            assert "Welcome, searcher" in html and "Hello, everyone" not in html
        else:
            assert "Hello, everyone" in html and "Welcome, searcher" not in html
        # Never cached by browsers or a CDN, which cannot tell segments apart.
        assert "private" in response["Cache-Control"]
        assert "Vary" not in response
        assert not response.cookies
    # Each segment's copy is served from the page cache the second time.
    assert seen == {first: ["miss", "hit"], second: ["miss", "hit"]}


@pytest.mark.django_db
def test_a_page_that_uses_no_segment_stays_public_and_cached(
    client, council, from_search
):
    first = client.get(council["standard"].url)
    second = client.get(council["standard"].url)
    assert "public" in first["Cache-Control"] and "s-maxage" in first["Cache-Control"]
    assert second["X-Page-Cache"] == "hit"
    assert not first.cookies and "Vary" not in first


@pytest.mark.django_db
def test_segments_add_no_query_and_no_write_however_many_there_are(
    client, council, settings
):
    settings.PAGE_CACHE_SECONDS = 0
    service = council["service"]
    one = ReferralRuleFactory().segment
    personalise(service, one, "Searcher", "Everyone")
    client.get(service.url, **FROM_SEARCH)
    with CaptureQueriesContext(connection) as with_one:
        client.get(service.url, **FROM_SEARCH)
    for _ in range(19):
        DeviceRuleFactory(mobile=True)
        ReferralRuleFactory(regex_string=r"bing\.")
    client.get(service.url, **FROM_SEARCH)
    with CaptureQueriesContext(connection) as with_twenty:
        response = client.get(service.url, **FROM_SEARCH)
    assert "Searcher" in response.content.decode()
    assert len(with_twenty) == len(with_one)
    writes = [
        q["sql"]
        for q in with_twenty.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert writes == []


@pytest.mark.django_db
def test_an_editor_changing_a_segment_takes_effect_at_once(client, council, settings):
    settings.PAGE_CACHE_SECONDS = 0
    service = council["service"]
    rule = ReferralRuleFactory(regex_string=r"google\.")
    personalise(service, rule.segment, "Searcher", "Everyone")
    assert "Searcher" in client.get(service.url, **FROM_SEARCH).content.decode()
    rule.regex_string = r"bing\."
    rule.save()
    assert "Everyone" in client.get(service.url, **FROM_SEARCH).content.decode()


@pytest.mark.django_db
def test_requests_without_a_user_agent_or_with_odd_headers_never_fail(client, council):
    service = council["service"]
    segment = DeviceRuleFactory(mobile=True).segment
    personalise(service, segment, "On your phone", "Everyone")
    # Django's test client sends no User-Agent header at all.
    assert client.get(service.url).status_code == 200
    assert client.get(service.url, HTTP_USER_AGENT="").status_code == 200
    assert client.get(service.url, HTTP_REFERER="\x00::not a url").status_code == 200
    phone = client.get(
        service.url,
        HTTP_USER_AGENT="Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) "
        "AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1",
    )
    assert "On your phone" in phone.content.decode()


@pytest.mark.django_db
def test_anonymous_pages_start_no_session(client, council, from_search):
    personalise(council["service"], from_search, "Searcher", "Everyone")
    response = client.get(council["service"].url, **FROM_SEARCH)
    assert "sessionid" not in response.cookies
    from django.contrib.sessions.models import Session

    assert Session.objects.count() == 0


@pytest.mark.django_db
def test_an_editor_previews_a_page_as_a_segment(client, editor, council, settings):
    settings.PAGE_CACHE_SECONDS = 0
    segment = SegmentFactory(name="Searchers")
    ReferralRuleFactory(segment=segment)
    personalise(council["service"], segment, "Searcher", "Everyone")
    client.force_login(editor)
    html = client.get(
        council["service"].url + f"?segment={segment.pk}"
    ).content.decode()
    assert "Searcher" in html
    client.logout()
    html = client.get(
        council["service"].url + f"?segment={segment.pk}"
    ).content.decode()
    assert "Everyone" in html


@pytest.mark.django_db
def test_editors_see_how_many_visits_each_segment_matched(
    client, admin_client, council, from_search
):
    from django.urls import reverse

    from personalisation.tasks import flush_segment_visits

    quiet = SegmentFactory(name="Nobody matches")
    ReferralRuleFactory(segment=quiet, regex_string=r"^nothing$")
    from_search.name = "Came from a search engine"
    from_search.save()
    personalise(council["service"], from_search, "Searcher", "Everyone")
    for _ in range(3):
        client.get(council["service"].url, **FROM_SEARCH)  # a miss, then hits
    client.get(council["service"].url)
    assert flush_segment_visits() == 3
    assert flush_segment_visits() == 0  # nothing counted twice
    html = admin_client.get(reverse("segment_visits_report")).content.decode()
    assert "<td>Came from a search engine</td><td>Enabled</td><td>3</td>" in html
    assert "<td>Nobody matches</td><td>Enabled</td><td>0</td>" in html


@pytest.mark.django_db
def test_an_alert_targeted_at_a_segment_shows_only_to_that_segment(
    client, council, from_search
):
    from tests.factories.home import AlertBannerFactory

    AlertBannerFactory(title="Searchers: try the A to Z", segment=from_search)
    AlertBannerFactory(title="Offices closed on Friday")
    for _ in range(2):  # the second time from the page cache, per segment
        searcher = client.get(council["standard"].url, **FROM_SEARCH).content.decode()
        everyone = client.get(council["standard"].url).content.decode()
        assert "Searchers: try the A to Z" in searcher
        assert "Searchers: try the A to Z" not in everyone
        assert (
            "Offices closed on Friday" in searcher
            and "Offices closed on Friday" in everyone
        )


@pytest.mark.django_db
def test_a_segments_cached_copy_costs_one_cache_round_trip(
    client, council, from_search, monkeypatch
):
    from django.core.cache import caches

    service = council["service"]
    personalise(service, from_search, "Welcome, searcher", "Hello, everyone")
    client.get(service.url, **FROM_SEARCH)  # stored for the segment
    client.get(service.url)  # and for everyone else
    cache = caches["default"]
    reads = []
    inside = []  # the local-memory backend's get_many calls get for each key
    for name in ("get", "get_many"):
        original = getattr(cache, name)

        def counted(*args, _original=original, _name=name, **kwargs):
            if not inside:
                reads.append((_name, args[:1]))
            inside.append(_name)
            try:
                return _original(*args, **kwargs)
            finally:
                inside.pop()

        monkeypatch.setattr(cache, name, counted)
    for headers, expected in ((FROM_SEARCH, "Welcome, searcher"), ({}, "Hello")):
        reads.clear()
        response = client.get(service.url, **headers)
        assert response["X-Page-Cache"] == "hit"
        assert expected in response.content.decode()
        assert [r[0] for r in reads] == ["get_many"], reads
