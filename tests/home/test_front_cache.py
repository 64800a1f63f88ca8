"""The nginx front cache (cms/deploy/nginx.conf) in front of the running site.

Each test starts nginx on free ports with the configuration ``make serve`` uses,
proxying to pytest-django's live server, and talks HTTP to it: what a visitor, a
resident, an editor and a stopped application meet.
"""

from __future__ import annotations

import http.client
import socket
import subprocess
import time
from pathlib import Path

from django.core.management import call_command
from django.test import Client

import pytest

from tests.needs import missing, needs_program

PURGE_MODULE = Path("/usr/lib/nginx/modules/ngx_http_cache_purge_module.so")
HOST = "testserver"  # the test site's hostname (tests/conftest.py)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.05)
    raise AssertionError(f"nothing listens on {port}")


class FrontCache:
    def __init__(self, nginx: str, directory: Path, upstream: str):
        self.nginx = nginx
        self.directory = directory
        self.port = free_port()
        self.purge_port = free_port()
        self.process = None
        self.configure(upstream)

    def configure(self, upstream: str) -> None:
        call_command(
            "front_cache_config",
            output=str(self.directory),
            listen=f"127.0.0.1:{self.port}",
            purge_listen=f"127.0.0.1:{self.purge_port}",
            upstream=upstream,
            workers="1",
            stdout=open("/dev/null", "w"),
        )

    def command(self, *extra: str) -> list[str]:
        return [
            self.nginx,
            "-p",
            str(self.directory),
            "-c",
            str(self.directory / "nginx.conf"),
            "-e",
            str(self.directory / "nginx-error.log"),
            *extra,
        ]

    def start(self) -> None:
        self.process = subprocess.Popen(
            self.command("-g", "daemon off;"),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        try:
            wait_for_port(self.port)
            wait_for_port(self.purge_port)
        except AssertionError:
            self.stop()
            raise AssertionError(self.process.stderr.read().decode()) from None

    def point_at(self, upstream: str) -> None:
        """Send requests to another application (a stopped one, say)."""
        self.configure(upstream)
        subprocess.run(self.command("-s", "reload"), check=True)
        time.sleep(0.5)  # the old workers finish; new ones take over

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)

    def get(
        self, path: str, *, cookies: dict | None = None, headers=None, method="GET"
    ):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        sent = {"Host": HOST, **(headers or {})}
        if cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        connection.request(method, path, headers=sent)
        response = connection.getresponse()
        body = response.read().decode()
        connection.close()
        return response.status, response, body


@pytest.fixture
def front_cache(live_server, tmp_path, settings):
    nginx = needs_program("nginx", "nginx")
    if not PURGE_MODULE.exists():
        missing(
            "nginx's cache purge module is not installed "
            "(apt-get install libnginx-mod-http-cache-purge)"
        )
    cache = FrontCache(nginx, tmp_path, live_server.url.removeprefix("http://"))
    settings.WAGTAILFRONTENDCACHE = {
        "pagecache": {"BACKEND": "home.platform.cache.PageCacheBackend"},
        "nginx": {
            "BACKEND": "home.platform.frontcache.NginxPurgeBackend",
            "LOCATION": f"http://127.0.0.1:{cache.purge_port}",
        },
    }
    cache.start()
    yield cache
    cache.stop()


def session_cookies(user) -> dict:
    client = Client()
    client.force_login(user)
    return {name: morsel.value for name, morsel in client.cookies.items()}


def cached_twice(front_cache, path: str) -> str:
    """Fetch ``path`` until nginx answers from its cache; its HTML."""
    status, first, body = front_cache.get(path)
    assert status == 200, body
    status, second, body = front_cache.get(path)
    assert second.getheader("X-Cache") == "HIT", (
        first.getheader("Cache-Control"),
        second.getheader("X-Cache"),
    )
    return body


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_anonymous_pages_come_from_the_front_cache_until_a_publish_purges_them(
    front_cache, council
):
    service, landing = council["service"], council["landing"]
    status, first, _ = front_cache.get(service.url)
    assert status == 200 and first.getheader("X-Cache") == "MISS"
    cache_control = first.getheader("Cache-Control")
    assert "public" in cache_control and "s-maxage=" in cache_control
    assert "stale-if-error=" in cache_control
    assert "stale-while-revalidate=" in cache_control
    assert "Report a missed bin" in cached_twice(front_cache, service.url)
    cached_twice(front_cache, landing.url)
    untouched = council["news_index"].url
    cached_twice(front_cache, untouched)

    service.title = "Report a missed bin collection"
    revision = service.save_revision()
    published = time.monotonic()
    revision.publish()
    deadline = published + 1.0
    while True:
        status, response, body = front_cache.get(service.url)
        if "Report a missed bin collection" in body:
            break
        assert time.monotonic() < deadline, "the old page was still served after 1 s"
        time.sleep(0.05)
    # The listings that show it were purged too ...
    assert "Report a missed bin collection" in front_cache.get(landing.url)[2]
    # ... but a page that does not show it stays cached.
    assert front_cache.get(untouched)[1].getheader("X-Cache") == "HIT"

    # Unpublished: gone at once.
    standard = council["standard"]
    cached_twice(front_cache, standard.url)
    standard.unpublish()
    assert front_cache.get(standard.url)[0] == 404


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_residents_never_see_each_others_pages(
    front_cache, council, django_user_model
):
    ann = django_user_model.objects.create_user(
        "ann", "ann@example.com", "pw-ann-12345", first_name="Ann"
    )
    bob = django_user_model.objects.create_user(
        "bob", "bob@example.com", "pw-bob-12345", first_name="Bob"
    )
    page = council["service"].url
    anonymous = cached_twice(front_cache, page)
    assert "Sign out" not in anonymous
    for resident, other in ((ann, bob), (bob, ann)):
        cookies = session_cookies(resident)
        status, response, body = front_cache.get(page, cookies=cookies)
        assert "Sign out" in body
        assert response.getheader("X-Cache") == "BYPASS"
        status, response, body = front_cache.get("/account/profile/", cookies=cookies)
        assert status == 200
        assert resident.email in body and other.email not in body
    # Neither resident's page went into the shared cache.
    status, response, body = front_cache.get(page)
    assert response.getheader("X-Cache") == "HIT"
    assert "Sign out" not in body
    assert front_cache.get("/account/profile/")[0] == 302


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_segments_never_see_each_others_content(front_cache, council):
    from tests.factories.personalisation import ReferralRuleFactory
    from tests.personalisation.test_delivery import personalise

    searchers = ReferralRuleFactory(regex_string=r"google\.").segment
    service = council["service"]
    personalise(service, searchers, "Welcome, searcher", "Hello, everyone")
    from_search = {"Referer": "https://www.google.com/search?q=missed+bin"}
    for _ in range(2):
        for headers, shown, hidden in (
            (from_search, "Welcome, searcher", "Hello, everyone"),
            ({}, "Hello, everyone", "Welcome, searcher"),
        ):
            status, response, body = front_cache.get(service.url, headers=headers)
            assert shown in body and hidden not in body
            assert response.getheader("X-Cache") != "HIT"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_editors_draft_never_reaches_visitors(front_cache, council, admin_user):
    from django.urls import reverse

    service = council["service"]
    cached_twice(front_cache, service.url)
    service.title = "Draft title nobody may see yet"
    service.save_revision()
    cookies = session_cookies(admin_user)
    draft = reverse("wagtailadmin_pages:view_draft", args=[service.pk])
    for _ in range(2):
        status, response, body = front_cache.get(draft, cookies=cookies)
        assert status == 200 and "Draft title nobody may see yet" in body
        status, response, body = front_cache.get(service.url, cookies=cookies)
        assert response.getheader("X-Cache") == "BYPASS"
    # Visitors, with or without cookies of their own, get the live page.
    for cookies in ({}, {"cookies_policy": "accepted"}):
        body = front_cache.get(service.url, cookies=cookies)[2]
        assert "Draft title nobody may see yet" not in body
    status, response, body = front_cache.get(draft)
    assert status in (302, 403) and "Draft title" not in body


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_with_the_application_stopped_cached_pages_stay_and_the_rest_say_unavailable(
    front_cache, council, settings
):
    # Pages go stale after a second, then are served under stale-if-error.
    settings.PAGE_CACHE_SECONDS = 1
    service = council["service"].url
    cached_twice(front_cache, service)
    front_cache.point_at(f"127.0.0.1:{free_port()}")  # nothing listens there
    time.sleep(1.2)
    # Served from the cache on every request; once nginx counts the copy as
    # expired (its clock ticks in whole seconds, and a loaded machine reloads
    # slowly) it says STALE: served under stale-if-error, not from the app.
    seen = []
    for _ in range(10):
        status, response, body = front_cache.get(service)
        assert status == 200 and "Report a missed bin" in body
        seen.append(response.getheader("X-Cache"))
        if seen[-1] == "STALE":
            break
        time.sleep(0.5)
    assert seen[-1] == "STALE", seen
    for path, method in (
        ("/account/login/", "GET"),
        (council["service"].url + "?step=start", "GET"),
        (council["service"].url, "POST"),
        ("/a-page-never-cached/", "GET"),
    ):
        status, response, body = front_cache.get(path, method=method)
        assert status == 503, path
        assert "Sorry, the service is unavailable" in body
        assert "/static/" in body  # styled like the rest of the site
