"""Cases at scale: 100,000 cases, 20 services, 5,000 residents, served by gunicorn.

Run it from the repository root (``make bench-cases``)::

    .venv/bin/python tests/benchmarks/cases_bench.py           # 100,000 cases
    .venv/bin/python tests/benchmarks/cases_bench.py --quick   # 10,000 cases

It uses its own PostgreSQL database ``guildhall_bench_cases`` (dropped and
recreated each run), Redis database ``BENCH_CASES_REDIS_DB`` (default 11, flushed
at the start and the end; the cache, the session cache and the Celery broker all
live there), its own lock file, and ``run.py``'s machinery: production settings,
gunicorn with 2 sync workers, wrk.

What it does:

1. migrates, loads the demo council (for the site, the My Account page and a
   landing page) and adds 20 services in 10 team queues, 5,000 residents, a page
   with an editor-built form, an officer of the first team, one resident with
   many cases and one case with a long timeline;
2. seeds a small data set first (1% of the cases, a resident with 20 cases, a case
   with 5 timeline entries) and counts the queries of each measured request, then
   seeds the rest with bulk inserts (``bulk_create`` in batches of 5,000, one
   timeline entry per case) and counts them again: the counts must not grow;
3. starts gunicorn and measures, signed in with sessions made in the database:

   * the admin case list filtered by team and overdue (wrk, p99 < 300 ms);
   * the admin case page with 50 timeline entries (wrk, p99 < 200 ms);
   * the resident dashboard (My Account) of a resident with 200 cases (wrk,
     p99 < 200 ms);
   * submitting a case end to end from the "check your answers" POST, one
     resident per submission, one after another (p99 < 250 ms). The email is not
     sent in the request: the case's outbox row is still undelivered afterwards and
     the delivery task waits in the Celery queue (no worker runs during the bench).

wrk runs 2 connections (one per gunicorn worker) so the figures are service
times, not queueing. One PASS/FAIL line per target at the end; the script exits 1
when a target fails (``--no-fail``: 0 whatever they say, for exploring).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import secrets
import shutil
import signal
import statistics
import string
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(Path(__file__).resolve().parent))

import run as bench  # noqa: E402  (tests/benchmarks/run.py)

DB_NAME = "guildhall_bench_cases"
REDIS_DB = int(os.environ.get("BENCH_CASES_REDIS_DB", "11"))
LOCK_NAME = "guildhall_bench_cases.lock"
FULL = {"cases": 100_000, "residents": 5_000, "submissions": 200, "duration": 10}
QUICK = {"cases": 10_000, "residents": 1_000, "submissions": 40, "duration": 3}
SERVICES = 20
TEAMS = 10
DASHBOARD_CASES = (20, 200)  # small data set, full data set
TIMELINE = (5, 50)
TARGETS_MS = {"case_list": 300, "case_page": 200, "dashboard": 200, "submit": 250}
BATCH = 5_000
OFFICER = "bench.officer"
DASHBOARD_RESIDENT = "bench.many-cases"


# ------------------------------------------------------------------ environment


def bench_env(workdir: Path) -> dict[str, str]:
    env = bench.bench_env(workdir / "static", workdir / "media")
    env.update(
        {
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DB_NAME}",
            "REDIS_CACHE_DB": str(REDIS_DB),
            "REDIS_BROKER_DB": str(REDIS_DB),
            "REDIS_RESULT_DB": str(REDIS_DB),
            "CACHE_KEY_PREFIX": "bench-cases",
            "CASE_UPLOADS_ROOT": str(workdir / "uploads"),
            "DEMO_HOSTNAME": bench.HOST,
        }
    )
    return env


def recreate_database() -> None:
    import psycopg

    with psycopg.connect(bench.PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DB_NAME}"')


def redis_client():
    import redis

    return redis.Redis(host=bench.REDIS_HOST, port=bench.REDIS_PORT, db=REDIS_DB)


def take_lock():
    import fcntl

    lock = open(Path(tempfile.gettempdir()) / LOCK_NAME, "a+")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        lock.close()
        bench.log(f"Another cases benchmark is running ({DB_NAME}); try later.")
        return None
    return lock


def in_django(env: dict[str, str], action: str, payload: object = None) -> object:
    started = time.monotonic()
    proc = subprocess.run(
        [bench.PYTHON, __file__, "--internal", action],
        cwd=REPO,
        env=env,
        input=json.dumps(payload),
        capture_output=True,
        text=True,
    )
    for line in proc.stdout.splitlines():
        if line.startswith("@@RESULT@@"):
            result = json.loads(line[len("@@RESULT@@") :])
            bench.log(f"  {action}: {time.monotonic() - started:.1f}s")
            return result
    bench.log(proc.stdout[-3000:])
    bench.log(proc.stderr[-5000:])
    raise RuntimeError(f"in-process helper {action!r} failed ({proc.returncode})")


# ------------------------------------------------------------------ in-process helpers


def _setup_django():
    import django

    django.setup()


def _form_questions() -> list:
    return [
        ("text", {"label": "Your reference", "hint": "", "required": True,
                  "long_answer": False, "max_length": 40}),
        ("choice", {"label": "Which bin?", "hint": "", "required": True,
                    "choices": ["Black", "Blue"], "multiple": False}),
        ("date", {"label": "When did it break?", "hint": "", "required": True,
                  "when": "past"}),
        ("address", {"label": "Where is the bin?", "hint": "", "required": True}),
    ]  # fmt: skip


def _internal_setup(payload: dict) -> dict:
    """Services, teams, residents, the officer and the form page."""
    _setup_django()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group
    from django.urls import reverse

    from services.demo import ensure_staff
    from services.enums import default_transitions
    from services.models import ServiceDefinition, ServiceLandingPage, ServicePage

    User = get_user_model()
    teams = [Group.objects.create(name=f"Bench queue {t + 1}") for t in range(TEAMS)]
    services = ServiceDefinition.objects.bulk_create(
        ServiceDefinition(
            name=f"Bench service {s + 1}",
            reference_prefix="Q" + string.ascii_uppercase[s],
            case_type=f"Bench request {s + 1}",
            team=teams[s % TEAMS],
            sla_days=5 + s % 10,
            guest_allowed=True,
            allowed_transitions=default_transitions(),
        )
        for s in range(SERVICES)
    )
    officer, _ = ensure_staff(OFFICER, teams[0])
    officer.groups.add(Group.objects.get(name="Editors"))
    # Staff use the admin only with two-factor authentication turned on.
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    TOTP.activate(officer, generate_totp_secret())
    password = make_password(secrets.token_urlsafe(12))
    User.objects.bulk_create(
        [
            User(
                username=f"bench.resident.{i}",
                email=f"bench.resident.{i}@example.com",
                first_name="Resident",
                last_name=str(i),
                password=password,
            )
            for i in range(payload["residents"])
        ]
        + [
            User(
                username=DASHBOARD_RESIDENT, email="many@example.com", password=password
            )
        ],
        batch_size=BATCH,
    )
    landing = ServiceLandingPage.objects.live().first()
    page = ServicePage(
        title="Report a damaged bin",
        slug="bench-damaged-bin",
        summary="Tell us about a damaged bin.",
        body=[
            (
                "form_service",
                {
                    "service": services[0],
                    "heading": "",
                    "intro": "",
                    "questions": _form_questions(),
                },
            )
        ],
    )
    landing.add_child(instance=page)
    page.save_revision().publish()
    return {
        "team_id": teams[0].pk,
        "case_list": reverse("services_cases:list"),
        "form_url": page.url,
        "form_page_id": page.pk,
    }


def _internal_seed(payload: dict) -> dict:
    """Add cases (bulk inserts): ``cases`` spread over every service and resident,
    ``dashboard`` more for the dashboard resident, ``timeline`` more entries on the
    measured case."""
    _setup_django()
    import datetime
    import itertools
    import random

    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils import timezone

    from sequences.models import Sequence

    from services.enums import CLOSED_STATUSES, CaseEventKind, CaseStatus, Channel
    from services.models import Case, CaseEvent, ServiceDefinition

    rng = random.Random(payload["seed"])
    User = get_user_model()
    services = list(ServiceDefinition.objects.filter(name__startswith="Bench "))
    residents = list(
        User.objects.filter(username__startswith="bench.resident.").values_list(
            "pk", flat=True
        )
    )
    many = User.objects.get(username=DASHBOARD_RESIDENT).pk
    officer = User.objects.get(username=OFFICER).pk
    now = timezone.now()
    year = timezone.localdate(now).year
    counters = {
        s.pk: (
            Sequence.objects.filter(name=f"case:{s.reference_prefix}:{year}")
            .values_list("last", flat=True)
            .first()
            or 0
        )
        for s in services
    }
    statuses = [
        CaseStatus.SUBMITTED,
        CaseStatus.IN_PROGRESS,
        CaseStatus.IN_PROGRESS,
        CaseStatus.AWAITING_INFO,
        CaseStatus.RESOLVED,
        CaseStatus.CLOSED,
        CaseStatus.CLOSED,
        CaseStatus.CLOSED,
        CaseStatus.REJECTED,
    ]

    def make(i: int, service, resident_id) -> Case:
        counters[service.pk] += 1
        created = now - datetime.timedelta(minutes=rng.randrange(0, 60 * 24 * 300))
        status = rng.choice(statuses)
        closed = status in CLOSED_STATUSES
        guest = resident_id is None
        return Case(
            reference=f"{service.reference_prefix}-{year}-{counters[service.pk]:06d}",
            service=service,
            case_type=service.case_type,
            summary=service.case_type,
            answers={"Your reference": f"REF-{i}", "Which bin?": "Blue"},
            address=f"{i % 500 + 1} Bench Street, Guildhall",
            postcode=f"GH{i % 9 + 1} {i % 10}AB",
            resident_id=resident_id,
            guest_email=f"guest{i}@example.com" if guest else "",
            contact_name=f"Guest {i}" if guest else "",
            channel=rng.choice(Channel.values),
            status=status,
            team_id=service.team_id,
            assignee_id=officer if i % 5 == 0 else None,
            due_date=timezone.localdate(created)
            + datetime.timedelta(days=service.sla_days),
            created_at=created,
            closed_at=created + datetime.timedelta(days=3) if closed else None,
        )

    def insert(rows: list) -> None:
        with transaction.atomic():
            cases = Case.objects.bulk_create(rows, batch_size=BATCH)
            CaseEvent.objects.bulk_create(
                [
                    CaseEvent(
                        case_id=c.pk,
                        kind=CaseEventKind.SUBMITTED,
                        actor_id=c.resident_id,
                        public=True,
                        to_status=CaseStatus.SUBMITTED,
                        text=f"{c.case_type} request received.",
                        created_at=c.created_at,
                    )
                    for c in cases
                ],
                batch_size=BATCH,
            )

    started = time.monotonic()
    base = payload["offset"]
    rows = []
    for n in range(payload["cases"]):
        i = base + n
        resident = residents[i % len(residents)] if i % 3 else None
        rows.append(make(i, services[i % len(services)], resident))
        if len(rows) == BATCH:
            insert(rows)
            rows = []
    for n in range(payload["dashboard"]):
        rows.append(make(base + 10_000_000 + n, services[n % len(services)], many))
    if rows:
        insert(rows)
    # The measured case: open, in the officer's queue, overdue.
    target = (
        Case.objects.filter(team__name="Bench queue 1", resident__isnull=False)
        .order_by("pk")
        .first()
    )
    Case.objects.filter(pk=target.pk).update(
        status=CaseStatus.IN_PROGRESS,
        closed_at=None,
        due_date=timezone.localdate() - datetime.timedelta(days=3),
    )
    CaseEvent.objects.bulk_create(
        CaseEvent(
            case_id=target.pk,
            kind=kind,
            actor_id=officer,
            public=kind == CaseEventKind.PUBLIC_UPDATE,
            text=f"Timeline entry {n}: crew visited, more to do.",
            created_at=now - datetime.timedelta(minutes=payload["timeline"] - n),
        )
        for n, kind in zip(
            range(payload["timeline"]),
            itertools.cycle([CaseEventKind.INTERNAL_NOTE, CaseEventKind.PUBLIC_UPDATE]),
            strict=False,
        )
    )
    for service in services:
        Sequence.objects.update_or_create(
            name=f"case:{service.reference_prefix}:{year}",
            defaults={"last": counters[service.pk]},
        )
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {
        "seconds": round(time.monotonic() - started, 1),
        "cases": Case.objects.count(),
        "events": CaseEvent.objects.count(),
        "dashboard_cases": Case.objects.filter(resident_id=many).count(),
        "timeline": CaseEvent.objects.filter(case_id=target.pk).count(),
        "case_pk": target.pk,
    }


def _make_drafts(users, page) -> list[str]:
    """A finished journey (ready for "check your answers") for each user."""
    import uuid

    from services.blocks.editor_form import step_name
    from services.blocks.transactions import TransactionBlock
    from services.models import CaseDraft

    block = next(b for b in page.body if b.block_type == "form_service")
    names = [step_name(q, i) for i, q in enumerate(block.value["questions"])]
    answers = dict(
        zip(
            names,
            [
                {"answer": "BENCH"},
                {"answer": "Blue"},
                {"answer": "2025-11-03"},
                {
                    "line_1": "1 Bench Street",
                    "line_2": "",
                    "town": "Guildhall",
                    "postcode": "GH1 1AA",
                    "uprn": "",
                },
            ],
            strict=True,
        )
    )
    key = TransactionBlock.journey_key(page, block.id)
    tokens = [uuid.uuid4().hex for _ in users]
    CaseDraft.objects.filter(user__in=users, journey_key=key).delete()
    CaseDraft.objects.bulk_create(
        CaseDraft(user=user, journey_key=key, state={"answers": answers, "token": t})
        for user, t in zip(users, tokens, strict=True)
    )
    return tokens


def _form_page(pk: int):
    from services.models import ServicePage

    return ServicePage.objects.get(pk=pk)


def _internal_queries(payload: dict) -> dict:
    """Queries of one request of each kind (after a warm-up request)."""
    _setup_django()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from services.blocks.transactions import STEP_FIELD, TRANSACTION_FIELD

    User = get_user_model()
    out = {}

    def measure(client, method, path, data=None):
        getattr(client, method)(path, data) if method == "get" else None
        with CaptureQueriesContext(connection) as ctx:
            response = getattr(client, method)(path, data)
        return response, [q["sql"] for q in ctx.captured_queries]

    staff = Client(HTTP_HOST=bench.HOST)
    staff.force_login(User.objects.get(username=OFFICER))
    response, sql = measure(staff, "get", payload["case_list_path"])
    out["case_list"] = {"status": response.status_code, "queries": len(sql), "sql": sql}
    response, sql = measure(staff, "get", f"/admin/cases/{payload['case_pk']}/")
    out["case_page"] = {"status": response.status_code, "queries": len(sql), "sql": sql}
    resident = Client(HTTP_HOST=bench.HOST)
    resident.force_login(User.objects.get(username=DASHBOARD_RESIDENT))
    dashboard = resident.get("/account/")["Location"]
    response, sql = measure(resident, "get", dashboard)
    out["dashboard"] = {"status": response.status_code, "queries": len(sql), "sql": sql}
    out["dashboard_path"] = dashboard
    # A submission: a resident with a finished journey sends it.
    page = _form_page(payload["form_page_id"])
    block = next(b for b in page.body if b.block_type == "form_service")
    submitters = list(
        User.objects.filter(username__startswith="bench.resident.").order_by("-pk")[
            payload["round"] * 2 : payload["round"] * 2 + 2
        ]
    )
    tokens = _make_drafts(submitters, page)
    results = []
    for user, token in zip(submitters, tokens, strict=True):
        client = Client(HTTP_HOST=bench.HOST)
        client.force_login(user)
        with CaptureQueriesContext(connection) as ctx:
            response = client.post(
                payload["form_url"],
                {TRANSACTION_FIELD: block.id, STEP_FIELD: "check", "token": token},
            )
        results.append((response.status_code, [q["sql"] for q in ctx.captured_queries]))
    status, sql = results[-1]  # the second: per-process caches are warm
    out["submit"] = {"status": status, "queries": len(sql), "sql": sql}
    return out


def _internal_sessions(payload: dict) -> dict:
    """Signed-in sessions made in the database (no sign-in form, no rate limits),
    and a finished journey for each submitting resident."""
    _setup_django()
    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.utils.module_loading import import_string

    User = get_user_model()
    store_class = import_string(settings.SESSION_ENGINE + ".SessionStore")

    def session_for(user) -> str:
        store = store_class()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        return store.session_key

    submitters = list(
        User.objects.filter(username__startswith="bench.resident.").order_by("pk")[
            : payload["submissions"]
        ]
    )
    page = _form_page(payload["form_page_id"])
    block = next(b for b in page.body if b.block_type == "form_service")
    tokens = _make_drafts(submitters, page)
    return {
        "cookie_name": settings.SESSION_COOKIE_NAME,
        "officer": session_for(User.objects.get(username=OFFICER)),
        "resident": session_for(User.objects.get(username=DASHBOARD_RESIDENT)),
        "block_id": block.id,
        "submitters": [
            {"session": session_for(u), "token": t}
            for u, t in zip(submitters, tokens, strict=True)
        ],
    }


def _internal_outbox(payload: dict) -> dict:
    _setup_django()
    from services.models import Case, OutboxEvent

    cases = Case.objects.filter(idempotency_key__in=payload["tokens"])
    return {
        "cases": cases.count(),
        "pending": OutboxEvent.objects.filter(
            case__in=cases, delivered_at__isnull=True
        ).count(),
        "delivered": OutboxEvent.objects.filter(
            case__in=cases, delivered_at__isnull=False
        ).count(),
    }


# ------------------------------------------------------------------ HTTP


def run_wrk(url: str, duration: int, cookie: str) -> bench.WrkResult:
    proc = subprocess.run(
        [bench.WRK, "-t2", "-c2", f"-d{duration}s", "--latency", "--timeout",
         bench.WRK_TIMEOUT, "-H", f"Cookie: {cookie}", url],
        capture_output=True,
        text=True,
        timeout=duration + 60,
    )  # fmt: skip
    if proc.returncode != 0:
        raise RuntimeError(f"wrk failed: {proc.stderr or proc.stdout}")
    return bench.parse_wrk(proc.stdout)


def submit(port: int, path: str, cookies: str, body: str) -> tuple[int, float]:
    conn = http.client.HTTPConnection(bench.HOST, port, timeout=30)
    try:
        started = time.perf_counter()
        conn.request(
            "POST",
            path,
            body=body,
            headers={
                "Host": f"{bench.HOST}:{port}",
                "Cookie": cookies,
                "Content-Type": "application/x-www-form-urlencoded",
            },
        )
        response = conn.getresponse()
        response.read()
        return response.status, (time.perf_counter() - started) * 1000
    finally:
        conn.close()


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


# ------------------------------------------------------------------ main


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="10,000 cases, short runs")
    parser.add_argument("--show-sql", action="store_true", help="print the SQL")
    parser.add_argument("--internal", help=argparse.SUPPRESS)
    bench.report.add_arguments(parser)
    args = parser.parse_args(argv)
    if args.internal:
        helpers = {
            "setup": _internal_setup,
            "seed": _internal_seed,
            "queries": _internal_queries,
            "sessions": _internal_sessions,
            "outbox": _internal_outbox,
        }
        result = helpers[args.internal](json.loads(sys.stdin.read() or "null"))
        print("@@RESULT@@" + json.dumps(result), flush=True)
        return 0

    sizes = QUICK if args.quick else FULL
    small_cases = max(500, sizes["cases"] // 100)
    if not Path(bench.WRK).exists():
        bench.log(f"missing {bench.WRK}")
        return 1
    lock = take_lock()
    if lock is None:
        return 2
    signal.signal(signal.SIGTERM, bench._on_sigterm)
    workdir = Path(tempfile.mkdtemp(prefix="guildhall-casesbench-"))
    env = bench_env(workdir)
    setup_env = env | {"CELERY_TASK_ALWAYS_EAGER": "True"}
    server = bench.Server("cases", env, workdir)
    checks = bench.Targets("cases (cases_bench.py)", log=bench.log)
    started = time.monotonic()
    try:
        bench.log(f"Bench database {DB_NAME}, Redis db {REDIS_DB}")
        redis_client().flushdb()
        recreate_database()
        bench.manage(setup_env, "migrate", "--noinput")
        bench.manage(setup_env, "load_demo", "--no-index")
        bench.manage(setup_env, "collectstatic", "--noinput")
        ids = in_django(setup_env, "setup", {"residents": sizes["residents"]})
        seed_started = time.monotonic()
        small = in_django(
            setup_env,
            "seed",
            {"cases": small_cases, "offset": 0, "dashboard": DASHBOARD_CASES[0],
             "timeline": TIMELINE[0] - 1, "seed": 1},
        )  # fmt: skip
        bench.log(
            f"Small data set: {small['cases']:,} cases, {small['events']:,} timeline "
            f"entries, dashboard resident {small['dashboard_cases']} cases, case page "
            f"{small['timeline']} entries"
        )
        case_list_path = f"{ids['case_list']}?{urlencode({'team': ids['team_id'], 'overdue': 'on', 'status': ''})}"
        payload = {
            "case_list_path": case_list_path,
            "case_pk": small["case_pk"],
            "form_url": ids["form_url"],
            "form_page_id": ids["form_page_id"],
            "round": 0,
        }
        q_small = in_django(
            env | {"CELERY_TASK_ALWAYS_EAGER": "False"}, "queries", payload
        )
        large = in_django(
            setup_env,
            "seed",
            {"cases": sizes["cases"] - small_cases, "offset": small_cases,
             "dashboard": DASHBOARD_CASES[1] - DASHBOARD_CASES[0],
             "timeline": TIMELINE[1] - TIMELINE[0], "seed": 2},
        )  # fmt: skip
        seed_seconds = time.monotonic() - seed_started
        bench.log(
            f"Full data set: {large['cases']:,} cases, {large['events']:,} timeline "
            f"entries, dashboard resident {large['dashboard_cases']} cases, case page "
            f"{large['timeline']} entries; seeding took {seed_seconds:.0f}s "
            f"({large['seconds']:.0f}s for the bulk inserts)"
        )
        checks.add(seed_seconds < 300, "seeding", f"{seed_seconds:.0f}s", "< 300s")
        q_large = in_django(env, "queries", payload | {"round": 1})
        bench.log("\nQueries per request (small data set -> full data set)")
        for key in ("case_list", "case_page", "dashboard", "submit"):
            before, after = q_small[key], q_large[key]
            bench.log(
                f"  {key:<10} {before['queries']:>3} -> {after['queries']:>3}"
                f"  (HTTP {before['status']}/{after['status']})"
            )
            checks.add(
                after["queries"] <= before["queries"] and after["status"] in (200, 302),
                f"{key}: queries, small -> full data set",
                f"{before['queries']} -> {after['queries']} (HTTP {after['status']})",
                "no growth, HTTP 200 or 302",
            )
            if args.show_sql:
                for sql in after["sql"]:
                    bench.log(f"      {sql[:220]}")

        sessions = in_django(
            env,
            "sessions",
            {"submissions": sizes["submissions"], "form_page_id": ids["form_page_id"]},
        )
        cookie_name = sessions["cookie_name"]
        redis_client().delete("celery")
        server.start()
        bench.log(f"\ngunicorn on {bench.HOST}:{server.port} (production settings)")
        targets = {
            "case_list": (case_list_path, sessions["officer"]),
            "case_page": (f"/admin/cases/{large['case_pk']}/", sessions["officer"]),
            "dashboard": (q_large["dashboard_path"], sessions["resident"]),
        }
        results = {}
        for key, (path, session) in targets.items():
            cookie = f"{cookie_name}={session}"
            status, _h, _b = bench.http_get(server.port, path)  # anonymous: refused
            run_wrk(server.url(path), 1, cookie)  # warm-up
            server.drain()
            result = run_wrk(server.url(path), sizes["duration"], cookie)
            server.drain()
            results[key] = (result.p50_ms, result.p99_ms, result.requests)
            checks.add(
                result.errors == 0 and result.non_2xx == 0,
                f"{key}: failed of {result.requests} requests (anonymous got {status})",
                str(result.errors + result.non_2xx),
                "0",
            )

        csrf = "".join(secrets.choice(string.ascii_letters) for _ in range(32))
        latencies, statuses = [], []
        for item in sessions["submitters"]:
            body = urlencode(
                {
                    "csrfmiddlewaretoken": csrf,
                    "transaction_block": sessions["block_id"],
                    "transaction_step": "check",
                    "token": item["token"],
                }
            )
            status, ms = submit(
                server.port,
                ids["form_url"],
                f"{cookie_name}={item['session']}; csrftoken={csrf}",
                body,
            )
            statuses.append(status)
            latencies.append(ms)
        results["submit"] = (
            statistics.median(latencies),
            percentile(latencies, 99),
            len(latencies),
        )
        outbox = in_django(
            env, "outbox", {"tokens": [s["token"] for s in sessions["submitters"]]}
        )
        queued = redis_client().llen("celery")
        checks.add(
            statuses.count(302) == len(statuses) and outbox["cases"] == len(statuses),
            f"submit: cases from {len(statuses)} POSTs",
            f"{outbox['cases']} (statuses {sorted(set(statuses))})",
            f"{len(statuses)}, each answered 302",
        )
        checks.add(
            outbox["pending"] == len(statuses) and outbox["delivered"] == 0,
            "submit: emails sent in the request",
            f"{outbox['delivered']} ({outbox['pending']} outbox rows pending, "
            f"{queued} delivery tasks queued for the worker)",
            f"0, {len(statuses)} pending",
        )

        bench.log(
            f"\nLatency ({large['cases']:,} cases, {SERVICES} services, "
            f"{sizes['residents']:,} residents; wrk -c2 {sizes['duration']}s; "
            "submissions one after another)"
        )
        bench.log(
            f"  {'request':<10} {'p50 ms':>8} {'p99 ms':>8} {'target':>8} {'n':>7}"
        )
        for key, (p50, p99, n) in results.items():
            bench.log(
                f"  {key:<10} {p50:8.1f} {p99:8.1f} {'<' + str(TARGETS_MS[key]):>8} {n:>7}"
            )
            checks.add(
                p99 < TARGETS_MS[key],
                f"{key}: p99",
                f"{p99:.1f} ms",
                f"< {TARGETS_MS[key]} ms",
            )
        bench.log(f"\nDone in {(time.monotonic() - started) / 60:.1f} min.")
        return checks.finish(args)
    except (KeyboardInterrupt, bench.Stop) as exc:
        bench.log(f"\nInterrupted ({exc or 'Ctrl-C'}); cleaning up.")
        return 130
    except Exception as exc:
        bench.log(f"\nBenchmark could not run: {exc}")
        bench.log(server.log_tail(30))
        return 1
    finally:
        server.stop()
        try:
            redis_client().flushdb()
        except Exception as exc:
            bench.log(f"could not flush Redis db {REDIS_DB}: {exc}")
        shutil.rmtree(workdir, ignore_errors=True)
        lock.close()


if __name__ == "__main__":
    if not bench._in_project_venv():
        os_exec = os.execv  # re-run inside the project's virtualenv
        os_exec(bench.PYTHON, [bench.PYTHON, __file__, *sys.argv[1:]])
    sys.exit(main(sys.argv[1:]))
