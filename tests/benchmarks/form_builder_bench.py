"""The form builder at size: a step of a 30-question form that branches, and
10,000 residents half-way through it.

Run it from the repository root (``make bench-forms``)::

    .venv/bin/python tests/benchmarks/form_builder_bench.py           # 10,000 journeys
    .venv/bin/python tests/benchmarks/form_builder_bench.py --quick   # 1,000, 3s runs

It creates its own database (the configured name with ``_bench_forms`` appended;
PostgreSQL with ``DATABASE_URL``, else SQLite), migrates it, and drops it at the
end. Test settings (local-memory cache, eager tasks). The form has 30 questions: 15
yes/no questions, each followed by a number question shown only after a yes, and,
after a no, a jump over the next pair (all but the last two).

What it measures:

1. **queries per step**: a signed-in resident's step 2 and step 28 (the page, the
   session, the journey, the count of step views): target <= 10 and the same at
   both.
2. **step throughput**: requests a second for the resident's step against the bare
   trivial view (the same view as ``/healthz/`` with no project middleware,
   ``bare_settings``), measured twice:

   * in this process by Django's test client on both sides, for ``--duration``
     seconds each, in ``--rounds`` interleaved rounds (medians). With no HTTP
     server on either side the bare view is far faster than when gunicorn serves
     it, so this ratio is stricter than the served one;
   * served the way ``run.py`` serves the site, with its helpers: each side by its
     own gunicorn (2 sync workers, production settings, this benchmark's database
     and Redis database ``BENCH_FORMS_REDIS_DB``, default 10, flushed before and
     after) and loaded with wrk -t2 at 16 connections, interleaved rounds. The
     step is a GET with the resident's session cookie (made in the database), the
     journey already at that step. Needs PostgreSQL and wrk; ``--in-process``
     leaves it out.

   Target: the step >= 2% of the bare view, served (in process when the served
   figures cannot be measured). The load average is printed after each.
3. **journeys in progress**: ``--journeys`` residents (10,000) each answer the
   first question; the rows every table gained, apart from the residents' own
   accounts and sign-in sessions, are counted. Target: one row per journey (its
   ``CaseDraft``).

Every figure is printed; one PASS/FAIL line per target at the end, exit status 1
when one fails (``--no-fail`` to explore). Timing figures depend on the machine:
compare runs on the same one.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(HERE))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")

import report  # noqa: E402  (tests/benchmarks/report.py)
import run as pages_bench  # noqa: E402  (tests/benchmarks/run.py: gunicorn, wrk)

QUESTIONS = 30
QUERY_TARGET = 10
THROUGHPUT_TARGET = 0.02  # of the bare trivial view
# Served like run.py serves the site: gunicorn with 2 sync workers, wrk -t2 at 16
# connections, for the step and the bare trivial view alike.
SERVED_CONNECTIONS = 16
REDIS_DB = int(os.environ.get("BENCH_FORMS_REDIS_DB", "10"))
# The bare server's middleware and URLs (``bare_settings``, which builds on the
# production settings and so is not imported here).
BARE_MIDDLEWARE = ["allauth.account.middleware.AccountMiddleware"]
BARE_URLS = "tests.benchmarks.bare_urls"


def setup():
    import django
    from django.conf import settings

    django.setup()
    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.postgresql":
        database.setdefault("TEST", {})["NAME"] = database["NAME"] + "_bench_forms"
    settings.ALLOWED_HOSTS = ["*"]
    from django.test.utils import setup_databases, setup_test_environment

    setup_test_environment()
    return setup_databases(verbosity=0, interactive=False)


def questions() -> list:
    """The 30-question form: a yes/no, then a number asked only after a yes; a no
    jumps over the next pair (but for the last two pairs)."""
    pairs = QUESTIONS // 2
    out = []
    for n in range(pairs):
        jump = (
            {"answer": "No", "question": f"Question {n + 2}?"} if n < pairs - 2 else {}
        )
        out.append(
            {
                "type": "yes_no",
                "value": {"label": f"Question {n}?", "hint": "", "required": True,
                          "go_to": jump},
            }
        )  # fmt: skip
        out.append(
            {
                "type": "number",
                "value": {"label": f"How many {n}?", "hint": "", "required": True,
                          "whole": True,
                          "show_when": {"question": f"Question {n}?", "answer": "Yes"}},
            }
        )  # fmt: skip
    return out


def make_form():
    from django.contrib.auth.models import Group

    from wagtail.models import Page, Site

    from home.models import HomePage
    from services.models import ServiceDefinition
    from tests.factories.services import ServiceLandingPageFactory, ServicePageFactory

    root = Page.get_first_root_node()
    home = HomePage(title="Home", slug="bench-home")
    root.add_child(instance=home)
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "testserver", "root_page": home, "port": 80},
    )
    service = ServiceDefinition.objects.create(
        name="Apply for a licence",
        reference_prefix="LIC",
        case_type="Licence application",
        team=Group.objects.create(name="Bench licensing team"),
    )
    landing = ServiceLandingPageFactory(parent=home, title="Licences", slug="lic")
    page = ServicePageFactory(parent=landing, title="Licence", slug="licence", body=[])
    page.body = [
        (
            "form_service",
            {
                "service": service,
                "heading": "",
                "intro": "",
                "questions": questions(),
                "declaration": "I declare that my answers are correct.",
            },
        )
    ]
    page.save_revision().publish()
    page.refresh_from_db()
    block = next(b for b in page.body if b.block_type == "form_service")
    names = [f"q-{question.id}" for question in block.value["questions"]]
    return page, block.id, names


def resident_client(username: str):
    from django.contrib.auth import get_user_model
    from django.test import Client

    user = get_user_model().objects.create_user(username, f"{username}@example.com")
    client = Client()
    client.force_login(user)
    return client


def answer(client, page, block_id, step, value):
    from services.blocks.transactions import STEP_FIELD, TRANSACTION_FIELD

    response = client.post(
        page.journey_url(block_id),
        {TRANSACTION_FIELD: block_id, STEP_FIELD: step, "answer": value},
    )
    assert response.status_code == 302, response


def queries_per_step(page, block_id, names) -> list[int]:
    """Queries for a resident's step 2 and step 28 (every answer a yes)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = resident_client("bench-queries")
    counts = []
    for index, name in enumerate(names):
        if index in (1, QUESTIONS - 2):
            url = page.journey_url(block_id) + f"?step={name}"
            for _warm in range(3):  # the site's caches, filled after a publish
                assert client.get(url).status_code == 200
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            counts.append(len(queries))
            if os.environ.get("BENCH_SHOW_QUERIES"):  # to see where they go
                for query in queries.captured_queries:
                    print("   ", query["sql"][:150])
        answer(client, page, block_id, name, "Yes" if index % 2 == 0 else "2")
    return counts


def requests_per_second(get, seconds: float) -> float:
    done, started = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - started) < seconds:
        assert get().status_code == 200
        done += 1
    return done / elapsed


THROUGHPUT_RESIDENT = "bench-throughput"


def throughput(page, block_id, names, rounds: int, seconds: float) -> dict:
    """Median requests a second: the step, and the bare trivial view."""
    from django.test import Client
    from django.test.utils import override_settings

    client = resident_client(THROUGHPUT_RESIDENT)
    for index, name in enumerate(names[:14]):
        answer(client, page, block_id, name, "Yes" if index % 2 == 0 else "2")
    step_url = page.journey_url(block_id) + f"?step={names[14]}"
    bare = Client()
    figures = {"step": [], "bare": []}
    for round_ in range(rounds):
        figures["step"].append(
            requests_per_second(lambda: client.get(step_url), seconds)
        )
        with override_settings(MIDDLEWARE=BARE_MIDDLEWARE, ROOT_URLCONF=BARE_URLS):
            figures["bare"].append(
                requests_per_second(lambda: bare.get("/healthz/"), seconds)
            )
        print(
            f"  round {round_ + 1}: step {figures['step'][-1]:8.1f} rps, bare trivial "
            f"view {figures['bare'][-1]:8.1f} rps",
            flush=True,
        )
    return {
        "step": statistics.median(figures["step"]),
        "bare": statistics.median(figures["bare"]),
        "step_path": step_url,
    }


def session_cookie(username: str) -> str:
    """A signed-in session for ``username``, made in the database (the servers'
    ``cached_db`` sessions find it there): ``name=key`` for a Cookie header."""
    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.contrib.sessions.backends.db import SessionStore

    user = get_user_model().objects.get(username=username)
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


def served_env(workdir: Path) -> dict[str, str]:
    """run.py's production environment, on this benchmark's database and Redis
    database, signing with this process's ``SECRET_KEY`` (so the session made
    here is valid there)."""
    from django.conf import settings

    db = settings.DATABASES["default"]
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    env = pages_bench.bench_env(workdir / "static", workdir / "media")
    env.update(
        {
            "SECRET_KEY": settings.SECRET_KEY,
            "DATABASE_URL": (
                f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
                f"/{db['NAME']}"
            ),
            "REDIS_URL": os.environ.get("REDIS_URL")
            or f"redis://{pages_bench.REDIS_HOST}:{pages_bench.REDIS_PORT}",
            "REDIS_CACHE_DB": str(REDIS_DB),
            "REDIS_BROKER_DB": str(REDIS_DB),
            "REDIS_RESULT_DB": str(REDIS_DB),
            "CACHE_KEY_PREFIX": "bench-forms",
        }
    )
    return env


def flush_redis(env: dict[str, str]) -> None:
    import redis

    redis.Redis.from_url(env["REDIS_URL"], db=REDIS_DB).flushdb()


def wrk(url: str, seconds: int, cookie: str = "") -> pages_bench.WrkResult:
    """run.py's wrk run (``-t2 --latency``, its timeout), with a Cookie header."""
    headers = ["-H", f"Cookie: {cookie}"] if cookie else []
    proc = subprocess.run(
        [pages_bench.WRK, "-t2", f"-c{SERVED_CONNECTIONS}", f"-d{seconds}s",
         "--latency", "--timeout", pages_bench.WRK_TIMEOUT, *headers, url],
        capture_output=True,
        text=True,
        timeout=seconds + 60,
    )  # fmt: skip
    if proc.returncode != 0:
        raise RuntimeError(f"wrk failed: {proc.stderr or proc.stdout}")
    return pages_bench.parse_wrk(proc.stdout)


def get_status(port: int, path: str, cookie: str) -> int:
    import http.client

    conn = http.client.HTTPConnection(pages_bench.HOST, port, timeout=30)
    try:
        conn.request("GET", path, headers={"Cookie": cookie})
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def served(step_path: str, rounds: int, seconds: float) -> dict | None:
    """Requests a second through gunicorn and wrk, the way ``run.py`` measures the
    site: the resident's step (their session cookie on every request; the journey
    is already at that step) and the bare trivial view, each served by its own
    gunicorn (2 sync workers, production settings) and loaded with wrk at 16
    connections, interleaved in ``rounds`` rounds. ``None`` when it cannot run
    (SQLite: the servers need the database in another process; no wrk)."""
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        print("served figures: skipped (needs PostgreSQL: DATABASE_URL)")
        return None
    if not Path(pages_bench.WRK).exists():
        print(f"served figures: skipped (no {pages_bench.WRK})")
        return None
    cookie = session_cookie(THROUGHPUT_RESIDENT)
    workdir = Path(tempfile.mkdtemp(prefix="guildhall-bench-forms-"))
    env = served_env(workdir)
    servers = []
    duration = max(1, round(seconds))
    try:
        flush_redis(env)
        pages_bench.manage(env, "collectstatic", "--noinput")
        for name, extra in (
            ("forms", {}),
            ("bare", {"DJANGO_SETTINGS_MODULE": "tests.benchmarks.bare_settings"}),
        ):
            server = pages_bench.Server(name, env | extra, workdir)
            servers.append(server)
            server.start()
        app, bare = servers
        status = get_status(app.port, step_path, cookie)
        if status != 200:
            raise RuntimeError(f"{step_path} answered {status}\n{app.log_tail()}")
        targets = {
            "step": (app, step_path, cookie),
            "bare": (bare, "/healthz/", ""),
        }
        for server, path, cookie_ in targets.values():  # warm up
            wrk(server.url(path), 1, cookie_)
            server.drain()
        figures = {"step": [], "bare": []}
        for round_ in range(rounds):
            for key, (server, path, cookie_) in targets.items():
                result = wrk(server.url(path), duration, cookie_)
                server.drain()
                if result.errors or result.non_2xx:
                    raise RuntimeError(
                        f"{path}: {result.errors} socket errors, "
                        f"{result.non_2xx} non-2xx\n{server.log_tail()}"
                    )
                figures[key].append(result)
            print(
                f"  round {round_ + 1}: step {figures['step'][-1].rps:8.1f} rps "
                f"(p99 {figures['step'][-1].p99_ms:.0f} ms), bare trivial view "
                f"{figures['bare'][-1].rps:8.1f} rps",
                flush=True,
            )
        return {
            key: statistics.median(r.rps for r in results)
            for key, results in figures.items()
        } | {"p99": statistics.median(r.p99_ms for r in figures["step"])}
    finally:
        for server in servers:
            server.stop()
        flush_redis(env)
        shutil.rmtree(workdir, ignore_errors=True)


def row_counts() -> dict[str, int]:
    from django.db import connection

    with connection.cursor() as cursor:
        counts = {}
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 (catalogue)
            counts[table] = cursor.fetchone()[0]
    return counts


def journeys_in_progress(page, block_id, names, journeys: int) -> dict:
    """Rows gained when ``journeys`` residents each answer the first question,
    apart from their accounts and sessions (signing in, not the journey)."""
    from django.contrib.auth import get_user_model
    from django.contrib.sessions.models import Session

    from services.models import CaseDraft

    sign_in = {get_user_model()._meta.db_table, Session._meta.db_table}
    clients = []
    started = time.perf_counter()
    for n in range(journeys):
        clients.append(resident_client(f"bench-journey-{n}"))
    before = row_counts()
    for n, client in enumerate(clients):
        answer(client, page, block_id, names[0], "Yes")
        if (n + 1) % 1000 == 0:
            print(f"  {n + 1:,} journeys started", flush=True)
    after = row_counts()
    gained = {
        table: after[table] - before.get(table, 0)
        for table in after
        if table not in sign_in and after[table] != before.get(table, 0)
    }
    return {
        "gained": gained,
        "rows": sum(gained.values()),
        "drafts": CaseDraft.objects.count(),
        "seconds": time.perf_counter() - started,
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="1,000 journeys, 3s runs")
    parser.add_argument("--journeys", type=int, help="default 10,000; --quick 1,000")
    parser.add_argument("--rounds", type=int, help="default 3; --quick 1")
    parser.add_argument("--duration", type=float, help="seconds per run: 10; --quick 3")
    parser.add_argument(
        "--in-process",
        action="store_true",
        help="only the in-process figures (no gunicorn and wrk)",
    )
    report.add_arguments(parser)
    args = parser.parse_args(argv)
    journeys = args.journeys or (1_000 if args.quick else 10_000)
    rounds = args.rounds or (1 if args.quick else 3)
    seconds = args.duration or (3 if args.quick else 10)
    old = setup()
    from django.test.utils import teardown_databases

    try:
        page, block_id, names = make_form()
        counts = queries_per_step(page, block_id, names)
        print(f"queries per step: step 2 {counts[0]}, step {QUESTIONS - 2} {counts[1]}")
        rps = throughput(page, block_id, names, rounds, seconds)
        ratio = rps["step"] / rps["bare"]
        print(
            f"step throughput: {rps['step']:.1f} rps, bare trivial view "
            f"{rps['bare']:.1f} rps, ratio {ratio:.3%} (median of {rounds} round(s) "
            f"of {seconds:g}s, in process)"
        )
        print(f"load average: {Path('/proc/loadavg').read_text().strip()}")
        serve = None if args.in_process else served(rps["step_path"], rounds, seconds)
        if serve is not None:
            served_ratio = serve["step"] / serve["bare"]
            print(
                f"step throughput served: {serve['step']:.1f} rps (p99 "
                f"{serve['p99']:.0f} ms), bare trivial view {serve['bare']:.1f} rps, "
                f"ratio {served_ratio:.3%} (gunicorn 2 sync workers each, wrk -t2 "
                f"-c{SERVED_CONNECTIONS}, median of {rounds} round(s) of "
                f"{max(1, round(seconds))}s)"
            )
            print(f"load average: {Path('/proc/loadavg').read_text().strip()}")
        progress = journeys_in_progress(page, block_id, names, journeys)
    finally:
        teardown_databases(old, verbosity=0)
    per_journey = progress["rows"] / journeys
    print(
        f"journeys in progress: {journeys:,} residents answered the first question "
        f"in {progress['seconds']:.0f}s; rows gained apart from sign-in: "
        f"{progress['rows']:,} ({per_journey:.3f} per journey), by table: "
        + ", ".join(f"{t} {n:,}" for t, n in sorted(progress["gained"].items()))
    )
    targets = report.Targets("form builder (form_builder_bench.py)")
    targets.add(
        max(counts) <= QUERY_TARGET and counts[0] == counts[1],
        f"queries per step of a {QUESTIONS}-question branching form",
        f"{counts[0]} and {counts[1]}",
        f"<= {QUERY_TARGET}, the same at step 2 and {QUESTIONS - 2}",
    )
    if serve is not None:
        targets.add(
            served_ratio >= THROUGHPUT_TARGET,
            "step throughput / bare trivial view, served (gunicorn + wrk)",
            f"{served_ratio:.2%}",
            f">= {THROUGHPUT_TARGET:.0%}",
        )
    else:
        targets.add(
            ratio >= THROUGHPUT_TARGET,
            "step throughput / bare trivial view, in process",
            f"{ratio:.2%}",
            f">= {THROUGHPUT_TARGET:.0%}",
        )
    targets.add(
        progress["rows"] <= journeys and progress["drafts"] == journeys + 2,
        f"rows per journey in progress ({journeys:,} journeys)",
        f"{per_journey:.3f}",
        "<= 1 (its CaseDraft)",
    )
    return targets.finish(args)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
