"""Reports at scale: cases over 3 years, the nightly roll-up and the year's report.

Run it from the repository root::

    .venv/bin/python tests/benchmarks/reports_bench.py              # 200,000 cases
    .venv/bin/python tests/benchmarks/reports_bench.py --cases 2000000   # full size

It uses its own PostgreSQL database ``guildhall_bench_reports`` on
``BENCH_PG_URL`` (default ``postgres://postgres@127.0.0.1:5432``; dropped and
recreated each run), no Redis (local-memory cache, tasks inline), test settings.

What it does:

1. migrates, then writes the cases with one ``INSERT … SELECT generate_series``:
   spread evenly over the 3 years to yesterday, 10 services in 5 teams, 20 wards,
   70% web, 20% phone, 10% face to face, 40,000 properties (so some reports
   repeat), due after the service's SLA, 95% closed 0-30 days after opening
   (those that would close in the future are still open), a satisfaction answer
   for one closed case in five;
2. rolls up the last 365 days, oldest first (the year the report shows), timing
   each day;
3. times the roll-up of one day (yesterday, run again as the nightly task would:
   target ≤ 60 s);
4. signs in a service manager and requests Reports → Services for the year
   (in process, Django's test client, full middleware and templates) 10 times to
   warm up and ``--requests`` times measured: p50/p99 (target p99 ≤ 500 ms) and
   the queries of one request (target ≤ 20), and the CSV download once.

Prints the figures and PASS/FAIL per target; exits 1 when a target is missed
(``--no-fail``: exits 0 all the same).
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DB_NAME = "guildhall_bench_reports"
TARGETS = {"report_p99_ms": 500, "report_queries": 20, "rollup_day_s": 60}


def setup_django(pg_url: str) -> None:
    os.environ["DATABASE_URL"] = f"{pg_url.rstrip('/')}/{DB_NAME}"
    os.environ.pop("REDIS_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "cms.settings.test"
    sys.path.insert(0, str(REPO))
    import django

    django.setup()


def recreate_database(pg_url: str) -> None:
    import psycopg

    with psycopg.connect(f"{pg_url.rstrip('/')}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DB_NAME}"')


def seed(cases: int) -> tuple[datetime.date, datetime.date]:
    from django.contrib.auth.models import Group
    from django.db import connection
    from django.utils import timezone

    from personalisation.models import Ward
    from services.models import ServiceDefinition

    teams = [Group.objects.create(name=f"Bench team {i}") for i in range(5)]
    services = [
        ServiceDefinition.objects.create(
            name=f"Bench service {i:02d}",
            reference_prefix="B" + "ABCDEFGHIJ"[i],
            case_type=f"Bench {i}",
            team=teams[i % 5],
            sla_days=2 + i,
        )
        for i in range(10)
    ]
    wards = [Ward.objects.create(name=f"Bench ward {i:02d}") for i in range(20)]
    last = timezone.localdate() - datetime.timedelta(days=1)
    first = last - datetime.timedelta(days=3 * 365 - 1)
    start = datetime.datetime.combine(first, datetime.time.min)
    span_seconds = (last - first).days * 86400 + 86399
    service_ids = [s.pk for s in services]
    team_ids = [s.team_id for s in services]
    sla = [s.sla_days for s in services]
    ward_ids = [w.pk for w in wards]
    with connection.cursor() as cursor:
        cursor.execute(
            """
            WITH g AS (
              SELECT n,
                     %(start)s::timestamp AT TIME ZONE 'Europe/London'
                       + make_interval(secs => (n::bigint * %(span)s / %(cases)s)) AS created,
                     -- independent pseudo-random picks (hashes of n), so the
                     -- day rows hold every service x ward x channel there is
                     (abs(hashtext('s' || n)) %% 10) AS s,
                     (abs(hashtext('w' || n)) %% 20) AS w,
                     (abs(hashtext('c' || n)) %% 10) AS c,
                     (abs(hashtext('r' || n)) %% 100) AS r,
                     (abs(hashtext('d' || n)) %% 31) AS close_days,
                     (abs(hashtext('p' || n)) %% 40000) AS property
              FROM generate_series(1, %(cases)s) AS n
            )
            INSERT INTO services_case (
              reference, service_id, case_type, category, summary, answers,
              location_description, address, postcode, uprn, guest_email,
              contact_name, contact_phone, ward_id, channel, status, team_id,
              due_date, created_at, updated_at, closed_at)
            SELECT 'BENCH-' || n, (%(services)s::bigint[])[s + 1], 'Bench', '', '',
                   '{}', '', '', '', (100000000 + property)::text, '', '', '',
                   (%(wards)s::bigint[])[w + 1],
                   CASE WHEN c < 7 THEN 'web' WHEN c < 9 THEN 'phone'
                        ELSE 'face_to_face' END,
                   CASE WHEN r < 95 AND created + make_interval(days => close_days
                        + (n %% 3)) < now() THEN 'closed' ELSE 'in_progress' END,
                   (%(teams)s::int[])[s + 1],
                   (created AT TIME ZONE 'Europe/London')::date
                     + (%(sla)s::int[])[s + 1],
                   created, created,
                   CASE WHEN r < 95 AND created + make_interval(days => close_days
                        + (n %% 3)) < now()
                        THEN created + make_interval(days => close_days + (n %% 3))
                   END
            FROM g
            """,
            {
                "start": start,
                "span": span_seconds,
                "cases": cases,
                "services": service_ids,
                "teams": team_ids,
                "sla": sla,
                "wards": ward_ids,
            },
        )
        cursor.execute(
            """
            INSERT INTO services_casesatisfaction (case_id, answer, comment, created_at)
            SELECT id, CASE WHEN abs(hashtext('b' || id)) %% 4 = 0 THEN 'no' ELSE 'yes' END, '',
                   closed_at + interval '1 day'
            FROM services_case
            WHERE closed_at IS NOT NULL AND abs(hashtext('a' || id)) %% 5 = 0
              AND closed_at + interval '1 day' < now()
            """,
            [],
        )
        cursor.execute("ANALYZE", [])
    return first, last


def manager_client():
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group, Permission
    from django.test import Client

    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    group, _ = Group.objects.get_or_create(name="Bench managers")
    group.permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_management_reports"),
    )
    user = get_user_model().objects.filter(username="bench.manager").first()
    if user is None:  # --keep-data keeps the last run's manager
        user = get_user_model().objects.create_user(
            "bench.manager", "m@example.com", "pw"
        )
        user.groups.add(group)
        TOTP.activate(user, generate_totp_secret())
    client = Client()
    client.force_login(user)
    return client


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(q * len(ordered) + 0.5) - 1))
    return ordered[index]


def main() -> int:
    sys.stdout.reconfigure(line_buffering=True)
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=200_000)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument(
        "--keep-data",
        action="store_true",
        help="reuse the cases and roll-ups of the last run (migrating only): to "
        "time the report again after a change without seeding for half an hour",
    )
    parser.add_argument(
        "--no-fail",
        action="store_true",
        help="print the same lines but exit 0 when a target is missed",
    )
    parser.add_argument(
        "--pg",
        default=os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432"),
    )
    args = parser.parse_args()

    if not args.keep_data:
        recreate_database(args.pg)
    setup_django(args.pg)
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from services.models import (
        Case,
        ClosedCaseFact,
        ServiceDayStats,
        ServiceWeekStats,
    )
    from services.reports.rollup import rollup_day

    call_command("migrate", verbosity=0)
    kept = args.keep_data and ServiceDayStats.objects.exists()
    if kept:
        last = ServiceDayStats.objects.latest("day").day
        print(
            f"kept {Case.objects.count():,} cases and "
            f"{ServiceDayStats.objects.count():,} day rows "
            f"({ServiceWeekStats.objects.count():,} week rows) from the last run"
        )
    else:
        began = time.monotonic()
        first, last = seed(args.cases)
        seeded_s = time.monotonic() - began
        print(
            f"seeded {Case.objects.count():,} cases from {first} to {last} "
            f"({Case.objects.filter(closed_at__isnull=True).count():,} open) "
            f"in {seeded_s:.1f}s"
        )

    year_start = last - datetime.timedelta(days=364)
    day_times = []
    day = year_start
    began = time.monotonic()
    while day <= last and not kept:
        t0 = time.monotonic()
        rollup_day(day)
        day_times.append(time.monotonic() - t0)
        day += datetime.timedelta(days=1)
    if day_times:
        print(
            f"rolled up 365 days in {time.monotonic() - began:.1f}s "
            f"(per day: median {statistics.median(day_times):.2f}s, "
            f"max {max(day_times):.2f}s); "
            f"{ServiceDayStats.objects.count():,} day rows, "
            f"{ServiceWeekStats.objects.count():,} week rows, "
            f"{ClosedCaseFact.objects.count():,} closed-case facts"
        )
    t0 = time.monotonic()
    rollup_day(last)
    rollup_s = time.monotonic() - t0
    print(f"nightly roll-up of one day ({last}): {rollup_s:.2f}s")

    client = manager_client()
    url = reverse("service_report")
    params = {"start": year_start.isoformat(), "end": last.isoformat()}
    for _ in range(10):
        assert client.get(url, params).status_code == 200
    timings = []
    for _ in range(args.requests):
        t0 = time.perf_counter()
        response = client.get(url, params)
        timings.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200
    with CaptureQueriesContext(connection) as captured:
        client.get(url, params)
    queries = len(captured)
    t0 = time.perf_counter()
    csv_response = client.get(url, {**params, "format": "csv"})
    csv_ms = (time.perf_counter() - t0) * 1000
    p50, p99 = percentile(timings, 0.5), percentile(timings, 0.99)
    print(
        f"year's service report ({year_start} to {last}), {args.requests} requests: "
        f"p50 {p50:.0f} ms, p99 {p99:.0f} ms, {queries} queries; "
        f"CSV {csv_ms:.0f} ms, {len(csv_response.content.splitlines())} lines"
    )

    results = [
        ("report p99 (ms)", p99, TARGETS["report_p99_ms"]),
        ("report queries", queries, TARGETS["report_queries"]),
        ("one-day roll-up (s)", rollup_s, TARGETS["rollup_day_s"]),
    ]
    failed = False
    for name, value, target in results:
        ok = value <= target
        failed |= not ok
        print(f"{'PASS' if ok else 'FAIL'} {name}: {value:.1f} (target ≤ {target})")
    return 1 if failed and not args.no_fail else 0


if __name__ == "__main__":
    sys.exit(main())
