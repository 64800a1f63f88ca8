"""Load test of residents' behaviour through the production-shaped stack.

    make load                       # 500 browsing + 50 reporting residents, 5 minutes
    make load LOAD_ARGS="--users 100 --reporters 10 --minutes 1"

What it does:

1. recreates its own PostgreSQL database ``guildhall_load`` (on ``LOAD_PG_URL``,
   default ``postgres://postgres@127.0.0.1:5432``) and starts the stack of
   ``make serve`` on it (nginx front cache → gunicorn, a Celery worker and beat,
   Redis from ``REDIS_URL``) on port ``LOAD_PORT`` (default 8150), which loads
   the demo council;
2. runs Locust (``tests/load/locustfile.py``, from its own virtualenv ``.venv-load``:
   Locust pins versions of gevent and Flask that the site does not need) headless
   with ``--users`` simulated residents, ``--reporters`` of them completing the
   missed-bin and street-problem journeys, the rest browsing and searching;
3. stops the stack and prints, per request name, the count, failures, median and
   95th percentile; the journeys completed; and the cases created, counted in the
   database by the references the confirmations showed.

Targets (exit 1 when one is missed, ``--no-fail`` to explore): no failed request or
journey, and as many cases created as journeys completed.
"""

from __future__ import annotations

import argparse
import csv
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "var" / "load"
DB_NAME = "guildhall_load"
LOCUST = ROOT / ".venv-load" / "bin" / "locust"


def recreate_database(pg_url: str) -> None:
    import psycopg

    with psycopg.connect(f"{pg_url.rstrip('/')}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DB_NAME}"')


def wait_for(url: str, seconds: int) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(2)
    sys.exit(
        f"the stack did not answer {url} within {seconds}s (see var/load/serve.log)"
    )


def cases_with(pg_url: str, references: list[str]) -> int:
    import psycopg

    with psycopg.connect(f"{pg_url.rstrip('/')}/{DB_NAME}") as conn:
        row = conn.execute(
            "SELECT count(*) FROM services_case WHERE reference = ANY(%s)",
            [references],
        ).fetchone()
    return row[0]


def main() -> int:
    sys.stdout.reconfigure(line_buffering=True)
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=550)
    parser.add_argument("--reporters", type=int, default=50)
    parser.add_argument("--minutes", type=float, default=5)
    parser.add_argument("--spawn-rate", type=int, default=20)
    parser.add_argument("--no-fail", action="store_true")
    parser.add_argument(
        "--pg",
        default=os.environ.get("LOAD_PG_URL", "postgres://postgres@127.0.0.1:5432"),
    )
    args = parser.parse_args()
    if not LOCUST.exists():
        sys.exit(
            "Locust is not installed: python3.11 -m venv .venv-load && "
            ".venv-load/bin/pip install -r tests/load/requirements.txt"
        )
    if not os.environ.get("REDIS_URL"):
        sys.exit("REDIS_URL is not set (the stack runs Celery on Redis, as make serve)")

    OUT.mkdir(parents=True, exist_ok=True)
    references_file = OUT / "references.txt"
    references_file.write_text("")
    port = int(os.environ.get("LOAD_PORT", "8150"))
    recreate_database(args.pg)
    env = {
        **os.environ,
        "DATABASE_URL": f"{args.pg.rstrip('/')}/{DB_NAME}",
        "SERVE_PORT": str(port),
        "SERVE_DIR": str(OUT / "serve"),
    }
    python = str(ROOT / ".venv" / "bin" / "python")
    serve_log = open(OUT / "serve.log", "w")  # noqa: SIM115 - open while it runs
    stack = subprocess.Popen(  # noqa: S603 - our own script
        [python, str(ROOT / "cms" / "deploy" / "serve.py"), "start"],
        env=env,
        cwd=ROOT,
        stdout=serve_log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        print("starting the stack and loading the demo council…")
        wait_for(f"{base}/healthz/", 600)
        print(
            f"running {args.users} residents ({args.reporters} reporting) for "
            f"{args.minutes:g} minutes against {base}"
        )
        subprocess.run(  # noqa: S603 - Locust from its own virtualenv
            [
                str(LOCUST),
                "-f",
                str(ROOT / "tests" / "load" / "locustfile.py"),
                "--headless",
                "--host",
                base,
                "--users",
                str(args.users),
                "--spawn-rate",
                str(args.spawn_rate),
                "--run-time",
                f"{int(args.minutes * 60)}s",
                "--csv",
                str(OUT / "stats"),
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            env={
                **os.environ,
                "LOAD_REPORTERS": str(args.reporters),
                "LOAD_REFERENCES": str(references_file),
            },
            check=False,
        )
        time.sleep(5)  # the last submissions' transactions
    finally:
        os.killpg(stack.pid, signal.SIGINT)
        try:
            stack.wait(60)
        except subprocess.TimeoutExpired:
            subprocess.run([python, "cms/deploy/serve.py", "stop"], env=env, cwd=ROOT)

    failed = False
    requests = failures = 0
    completed = 0
    print(f"{'request':45} {'count':>7} {'failed':>7} {'p50 ms':>7} {'p95 ms':>7}")
    with open(OUT / "stats_stats.csv") as stats:
        for row in csv.DictReader(stats):
            name = row["Name"]
            count, fails = int(row["Request Count"]), int(row["Failure Count"])
            if name == "Aggregated":
                continue
            if row["Type"] == "JOURNEY":
                if name.endswith(": completed"):
                    completed += count - fails
            else:
                requests += count
            failures += fails
            print(
                f"{name[:45]:45} {count:>7} {fails:>7} {row['50%']:>7} {row['95%']:>7}"
            )
    references = [r for r in references_file.read_text().split() if r]
    created = cases_with(args.pg, references)
    print(
        f"{requests:,} requests, {failures} failures; {completed} journeys completed, "
        f"{len(references)} references shown, {created} cases created"
    )
    for name, ok, detail in (
        ("no failures", failures == 0, f"{failures} failed"),
        (
            "a case for every completed journey",
            created == completed == len(references),
            f"{created} cases for {completed} journeys",
        ),
        ("journeys completed", completed > 0, f"{completed}"),
    ):
        failed |= not ok
        print(f"{'PASS' if ok else 'FAIL'} {name}: {detail}")
    return 1 if failed and not args.no_fail else 0


if __name__ == "__main__":
    sys.exit(main())
