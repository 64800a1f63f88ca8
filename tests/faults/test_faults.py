"""Faults: the site degrades and loses nothing when a service fails.

Each test breaks a real service (a private Redis stopped and started, PostgreSQL
behind a proxy that is cut, a broker that is down at submit, a Celery worker killed
with SIGKILL mid-send), counts the requests answered, the server errors, the cases
and emails lost and the duplicates, and prints the figures at the end of the run.
"""

from __future__ import annotations

import datetime
import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from django.core import mail
from django.db import connection
from django.test import Client
from django.utils import timezone

import pytest
import time_machine
from allauth.account.models import EmailAddress
from kombu import pools as kombu_pools

from home.platform import redis_cache
from services import actions
from services.models import Case, OutboxEvent
from services.tasks import deliver_pending_outbox
from tests.faults.servers import (
    HangingServer,
    RedisServer,
    SmtpReceiver,
    TcpProxy,
)
from tests.needs import needs_postgres, needs_program
from tests.services.test_missed_bin_journey import post_step, token, walk_to_check

BASE_DIR = Path(__file__).resolve().parent.parent.parent
CACHE_PORT, BROKER_PORT, WORKER_PORT = 6396, 6397, 6398
HANGING_PORT, PROXY_PORT, SMTP_PORT = 8161, 8162, 8163


class Counted:
    """A browser whose requests are counted (5xx never raised, only counted)."""

    def __init__(self, figures: Counter):
        self.client = Client(raise_request_exception=False)
        self.figures = figures

    def __getattr__(self, name):
        return getattr(self.client, name)

    def get(self, path, data=None, **extra):
        return self._count(self.client.get(path, data, **extra))

    def post(self, path, data=None, **extra):
        return self._count(self.client.post(path, data, **extra))

    def _count(self, response):
        self.figures["requests"] += 1
        if response.status_code >= 500:
            self.figures["5xx"] += 1
        return response


def redis_cache_settings(settings, location: str) -> None:
    redis_cache._breakers.clear()
    settings.CACHES = {
        alias: {
            "BACKEND": "home.platform.redis_cache.CouncilRedisCache",
            "LOCATION": location,
            "KEY_PREFIX": "faults",
            "TIMEOUT": 300,
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.5},
        }
        for alias in ("default", "renditions")
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    settings.CACHE_RETRY_SECONDS = 0.5


@pytest.fixture
def redis_for_cache(settings):
    server = RedisServer(CACHE_PORT)
    server.start()
    redis_cache_settings(settings, server.url + "/0")
    yield server
    if server.process:
        server.stop()
    redis_cache._breakers.clear()


@pytest.fixture
def signed_in_resident(django_user_model):
    user = django_user_model.objects.create_user(
        "amira", "amira@example.com", "pw-amira-12345"
    )
    EmailAddress.objects.create(
        user=user, email=user.email, verified=True, primary=True
    )
    return user


def finish_journey(browser, page) -> str:
    """Walk the missed-bin journey as a guest; the confirmation's reference."""
    walk_to_check(browser, page)
    done = post_step(browser, page, "check", token=token(browser, page))
    assert done.status_code == 302 and done.url.endswith("?step=done"), done
    confirmation = browser.get(done.url)
    assert confirmation.status_code == 200
    reference = Case.objects.order_by("-pk").first().reference
    assert reference in confirmation.content.decode()
    return reference


@pytest.mark.django_db
def test_redis_down_pages_sign_in_and_journeys_work_and_recover_without_a_restart(
    redis_for_cache, home_page, missed_bin_page, signed_in_resident, report
):
    figures = Counter()
    guest, resident = Counted(figures), Counted(figures)
    resident.force_login(signed_in_resident)
    pages = ["/", missed_bin_page.url, "/bins/", "/search/?q=bin", "/track-a-request/"]
    for path in pages:
        guest.get(path)
    assert guest.get("/")["X-Page-Cache"] == "hit"
    assert (
        resident.get("/account/profile/").status_code == 200
    )  # its session now in Redis

    redis_for_cache.stop()
    outage = Counter()
    for _ in range(3):
        for path in pages:
            outage[guest.get(path).status_code] += 1
        outage[resident.get("/account/profile/").status_code] += 1
    assert set(outage) == {200}, outage
    # A journey to the end, and a sign-in with a password.
    finish_journey(Counted(figures), missed_bin_page)
    newcomer = Counted(figures)
    signed_in = newcomer.post(
        "/account/login/", {"login": "amira@example.com", "password": "pw-amira-12345"}
    )
    assert signed_in.status_code == 302
    assert newcomer.get("/account/profile/").status_code == 200
    ready = guest.get("/readyz/")
    assert ready.status_code == 200
    assert json.loads(ready.content)["checks"]["cache"]["ok"] is False
    assert resident.post("/account/logout/").status_code == 302

    redis_for_cache.start()
    time.sleep(0.6)  # CACHE_RETRY_SECONDS
    assert resident.get("/account/profile/").status_code == 302  # to sign in: still out
    assert guest.get("/").status_code == 200
    assert guest.get("/")["X-Page-Cache"] == "hit"  # the page cache works again
    assert json.loads(guest.get("/readyz/").content)["status"] == "ok"
    assert figures["5xx"] == 0
    report(
        "Redis stopped and started",
        {
            "requests": figures["requests"],
            "5xx": figures["5xx"],
            "cases lost": 0 if Case.objects.count() == 1 else "?",
        },
    )


@pytest.mark.django_db
def test_redis_hanging_costs_one_short_timeout_not_one_per_request(
    settings, home_page, missed_bin_page, report
):
    hanging = HangingServer(HANGING_PORT)
    try:
        redis_cache_settings(settings, f"redis://127.0.0.1:{HANGING_PORT}/0")
        settings.CACHE_RETRY_SECONDS = 30
        figures = Counter()
        guest = Counted(figures)
        for _ in range(5):
            for path in ("/", missed_bin_page.url, "/search/?q=bin"):
                assert guest.get(path).status_code == 200
        # The breaker opened on the first timeout: Redis was asked once, not per
        # request or per cache operation.
        assert hanging.accepted == 1
        report(
            "Redis hanging",
            {
                "requests": figures["requests"],
                "5xx": figures["5xx"],
                "connections": hanging.accepted,
            },
        )
    finally:
        hanging.close()
        redis_cache._breakers.clear()


@pytest.mark.django_db
def test_redis_unreachable_but_keeping_its_data_serves_nothing_stale_afterwards(
    settings, home_page, missed_bin_page, signed_in_resident, report
):
    """A partition rather than a restart: Redis still holds the session and the
    page cache generation when it comes back, so what changed meanwhile (a sign
    out, a publish) must not be undone by those old values."""
    server = RedisServer(CACHE_PORT)
    server.start()
    proxy = TcpProxy(PROXY_PORT, CACHE_PORT)
    try:
        redis_cache_settings(settings, f"redis://127.0.0.1:{PROXY_PORT}/0")
        figures = Counter()
        guest, resident = Counted(figures), Counted(figures)
        resident.force_login(signed_in_resident)
        assert resident.get("/account/profile/").status_code == 200  # session cached
        guest.get("/")
        assert guest.get("/")["X-Page-Cache"] == "hit"

        proxy.cut()
        assert resident.post("/account/logout/").status_code == 302
        home_page.title = "Council home, updated during the outage"
        home_page.save_revision().publish()  # purges the page cache: a lost write
        assert resident.get("/account/profile/").status_code == 302

        proxy.restore()
        time.sleep(0.6)  # CACHE_RETRY_SECONDS
        first = guest.get("/")  # the first request back removes the stale keys
        assert resident.get("/account/profile/").status_code == 302  # still signed out
        page = guest.get("/")
        assert "updated during the outage" in page.content.decode(), first
        assert figures["5xx"] == 0
        report(
            "Redis partitioned (data kept)",
            {"requests": figures["requests"], "5xx": figures["5xx"], "stale": 0},
        )
    finally:
        proxy.close()
        server.stop()
        redis_cache._breakers.clear()


@pytest.fixture
def postgres_proxy():
    needs_postgres("the proxy forwards to PostgreSQL")
    settings_dict = connection.settings_dict
    original = (settings_dict["HOST"], settings_dict["PORT"])
    proxy = TcpProxy(PROXY_PORT, int(original[1] or 5432))
    connection.close()
    settings_dict["HOST"], settings_dict["PORT"] = "127.0.0.1", str(PROXY_PORT)
    yield proxy
    proxy.close()
    connection.close()
    settings_dict["HOST"], settings_dict["PORT"] = original


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_database_cut_only_pages_that_need_it_fail_and_it_recovers(
    postgres_proxy, home_page, missed_bin_page, bin_service, report
):
    figures = Counter()
    guest = Counted(figures)
    warm = [guest.get("/").get("X-Page-Cache") for _ in range(3)]
    assert warm[-1] == "hit"
    case = actions.open_case(
        service=bin_service, answers={}, guest_email="guest@example.com"
    )
    # Its email's task was lost: the sweep has to find it.
    OutboxEvent.objects.filter(case=case).update(delivered_at=None, attempts=0)

    postgres_proxy.cut()
    during = Counter()
    cached = guest.get("/")
    assert cached.status_code == 200  # from the page cache: no query
    during["from cache"] += 1
    assert guest.get("/healthz/").status_code == 200
    ready = guest.get("/readyz/")
    assert ready.status_code == 503
    assert json.loads(ready.content)["checks"]["database"]["ok"] is False
    uncached = guest.get(missed_bin_page.url + "start/")
    during[uncached.status_code] += 1
    # The outbox sweep fails with the database and says so (Celery retries it).
    with pytest.raises(Exception) as swept:
        deliver_pending_outbox.apply().get()
    assert "connect" in str(swept.value).lower() or "server" in str(swept.value).lower()
    db_5xx = figures["5xx"]

    postgres_proxy.restore()
    connection.close_if_unusable_or_obsolete()  # as every request and task does
    after = [guest.get(path).status_code for path in ("/", missed_bin_page.url)]
    assert after == [200, 200]
    assert json.loads(guest.get("/readyz/").content)["status"] == "ok"
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=1)):
        assert deliver_pending_outbox.apply().get() == 1
    assert OutboxEvent.objects.get(case=case).delivered_at is not None
    assert figures["5xx"] == db_5xx  # none once the database was back
    report(
        "PostgreSQL cut and restored",
        {
            "requests": figures["requests"],
            "5xx (database unreachable)": db_5xx,
            "5xx after": figures["5xx"] - db_5xx,
            "cases lost": 0,
            "emails lost": 0,
        },
    )


@pytest.fixture
def celery_publisher(settings):
    """The site's Celery app publishing to a private broker (not inline)."""
    from cms.celery import app

    server = RedisServer(BROKER_PORT)
    before = {
        key: app.conf[key]
        for key in ("broker_url", "task_always_eager", "result_backend")
    }

    def reset_pools() -> None:
        # Closed pools stay registered in kombu's global registry: drop them all,
        # so later publishers (other tests) get fresh ones.
        app.pool.force_close_all()
        app._pool = None
        app.amqp._producer_pool = None
        kombu_pools.reset()

    def point_at(url: str) -> None:
        reset_pools()
        app.conf.update(broker_url=url, task_always_eager=False, result_backend=None)
        settings.CELERY_TASK_ALWAYS_EAGER = False

    yield server, point_at
    reset_pools()
    app.conf.update(before)
    if server.process:
        server.stop()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_broker_down_at_submit_the_resident_gets_the_confirmation_and_the_email_follows(
    celery_publisher, home_page, missed_bin_page, report
):
    server, point_at = celery_publisher
    point_at(f"{server.url}/1")  # nothing listens there yet
    mail.outbox.clear()
    figures = Counter()
    reference = finish_journey(Counted(figures), missed_bin_page)
    assert figures["5xx"] == 0
    case = Case.objects.get(reference=reference)
    row = OutboxEvent.objects.get(case=case)
    assert row.delivered_at is None and len(mail.outbox) == 0

    # The broker is back; the next sweep (every minute) sends the email.
    server.start()
    from cms.celery import app

    app.conf.task_always_eager = True
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=1)):
        assert deliver_pending_outbox.apply().get() == 1
    row.refresh_from_db()
    assert row.delivered_at is not None
    assert [m for m in mail.outbox if reference in m.subject]
    report(
        "Broker down at submit",
        {
            "requests": figures["requests"],
            "5xx": figures["5xx"],
            "cases lost": 0,
            "emails lost": 0 if row.delivered_at else 1,
        },
    )


def start_worker(env: dict) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "cms", "worker", "--pool", "solo",
         "--without-heartbeat", "--without-gossip", "--without-mingle",
         "--loglevel", "INFO"],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    for line in process.stdout:
        if "ready." in line:
            return process
        if time.monotonic() > deadline:
            break
    process.kill()
    raise RuntimeError("the Celery worker did not start")


def wait_until(check, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.2)
    return check()


@pytest.mark.celery
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_worker_killed_mid_send_loses_no_email_and_repeats_at_most_the_one_in_flight(
    celery_publisher, bin_service, report
):
    needs_postgres("the worker process shares the test database")
    needs_program("redis-server", "redis-server")
    server, point_at = celery_publisher
    server.port = WORKER_PORT
    server.start()
    point_at(f"{server.url}/1")
    smtp = SmtpReceiver(SMTP_PORT, hold=1)
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.dev",
        "DEBUG": "False",
        "DATABASE_URL": (
            f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}"
            f":{db['PORT'] or 5432}/{db['NAME']}"
        ),
        "REDIS_URL": server.url,
        "REDIS_BROKER_DB": "1",
        "REDIS_RESULT_DB": "2",
        "REDIS_CACHE_DB": "0",
        "CELERY_TASK_ALWAYS_EAGER": "False",
        "EMAIL_URL": f"smtp://127.0.0.1:{SMTP_PORT}",
        "OUTBOX_LEASE_SECONDS": "3",
    }
    workers = []
    try:
        workers.append(start_worker(env))
        cases = [
            actions.open_case(
                service=bin_service, answers={}, guest_email=f"guest{i}@example.com"
            )
            for i in range(5)
        ]
        keys = set(OutboxEvent.objects.values_list("key", flat=True))
        assert len(keys) == 5
        assert smtp.holding.wait(60), "the first email never reached the provider"
        os.kill(workers[0].pid, signal.SIGKILL)  # mid-send: the provider has it
        workers[0].wait(10)
        smtp.release.set()

        workers.append(start_worker(env))

        # Celery beat's sweep, every few seconds here instead of every minute.
        def swept():
            deliver_pending_outbox.delay()
            return OutboxEvent.objects.filter(delivered_at__isnull=False).count() == 5

        assert wait_until(lambda: swept() or time.sleep(1.5), seconds=90)
        received = Counter(smtp.references())
        lost = len(keys - set(received))
        duplicates = sum(n - 1 for n in received.values())
        assert lost == 0
        assert duplicates <= 1
        assert OutboxEvent.objects.filter(dead_at__isnull=False).count() == 0
        report(
            "Worker SIGKILLed mid-send",
            {
                "outbox rows": len(cases),
                "emails received": len(smtp.messages),
                "emails lost": lost,
                "duplicates": duplicates,
            },
        )
    finally:
        smtp.release.set()
        for worker in workers:
            if worker.poll() is None:
                worker.send_signal(signal.SIGTERM)
                try:
                    worker.wait(15)
                except subprocess.TimeoutExpired:
                    worker.kill()
        smtp.close()
