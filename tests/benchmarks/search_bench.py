"""Site search under load: p50/p99 latency, requests per second and queries per
search request on PostgreSQL at scale, beside the trivial view's ceiling.

Run it from the repository root::

    .venv/bin/python tests/benchmarks/search_bench.py            # 10,000 pages, ~15 min
    .venv/bin/python tests/benchmarks/search_bench.py --quick    # shorter runs
    .venv/bin/python tests/benchmarks/search_bench.py --pages 100   # the demo only

It shares ``run.py``'s machinery and its lock (one benchmark at a time, the
database ``guildhall_bench`` and Redis database 12): (re)creates the database, loads
the demo, generates pages up to ``--pages`` (indexed by the database backend),
then serves the site with production settings from gunicorn (2 sync workers) with
the page cache off, so every request really searches (wrk repeats URLs, which the
page cache would otherwise answer).

What it measures:

* a mix of 20 queries (narrow and broad; at least one matches over 1,000 pages)
  rotated by a wrk Lua script: one client (p50) and 16 connections (p99, rps);
* each query on its own with one client, to compare broad with narrow;
* ``/healthz/`` on the same server at the same concurrency: the ratio is search rps
  over trivial rps (the share of the site's raw request capacity a search leaves);
* SQL queries and writes per search request (Django test client, after a warm-up),
  and whether the page of results is limited in the database (``LIMIT``).

Targets (one PASS/FAIL line each; exit 1 when one fails, ``--no-fail`` to
explore): ratio >= 1.5% at c16, p50 <= 100 ms
with one client, p99 <= 300 ms at c16, the broadest query at least half as fast as
the narrowest, results paginated in the database, no database write per search.
"""

from __future__ import annotations

import argparse
import json
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run as bench  # noqa: E402 - run.py's helpers, shared lock included

QUERIES = [
    # narrow: a few pages
    "missed bin",
    "ctax",
    "pot hole",
    "tip",
    "council tax bill",
    "blue badge",
    "register a death",
    "dropped kerb",
    "libary",
    "street light not working",
    # middling
    "fly-tipping",
    "graffiti in westgate",
    "allotment charges",
    "pest control",
    "skip permit",
    # broad: hundreds to thousands of pages
    "licence",
    "apply",
    "report",
    "charges",
    "the borough",
]
RATIO_MIN = 0.015
P50_MAX_MS = 100.0
P99_MAX_MS = 300.0
BROAD_MIN_SPEED = 0.5


def search_path(query: str, page: int = 1) -> str:
    params = {"q": query} | ({"page": page} if page > 1 else {})
    return f"/search/?{urlencode(params)}"


def _internal_facts(payload: dict) -> dict:
    """Result counts, queries and writes per search, in-process (test client)."""
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from wagtail.models import Page, Site

    from search.queries import SiteSearch

    write = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)
    site = Site.objects.get(is_default_site=True)
    facts = {"pages": Page.objects.live().count(), "queries": {}}
    for query in payload["queries"]:
        total = SiteSearch(text=query, site=site).results().total
        client = Client(HTTP_HOST=payload["host"])
        client.get(search_path(query))
        client.get(search_path(query, 2))
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(search_path(query, 2))
        sql = [q["sql"] for q in ctx.captured_queries]
        facts["queries"][query] = {
            "results": total,
            "status": response.status_code,
            "sql": len(sql),
            "writes": sum(1 for s in sql if write.match(s)),
            "limited": any(
                "LIMIT" in s and "ORDER BY" in s and "index" in s.lower() for s in sql
            ),
        }
    return facts


def wrk_mix(port: int, paths: list[str], connections: int, duration: int, workdir):
    """wrk cycling through ``paths`` (one Lua script; each connection rotates)."""
    script = Path(workdir) / "mix.lua"
    lua_paths = ",\n".join(json.dumps(p) for p in paths)
    script.write_text(
        "local paths = {\n" + lua_paths + "\n}\n"
        "local i = 0\n"
        "request = function()\n"
        "  i = (i % #paths) + 1\n"
        '  return wrk.format("GET", paths[i])\n'
        "end\n"
    )
    threads = min(2, connections)
    proc = subprocess.run(
        [
            bench.WRK,
            f"-t{threads}",
            f"-c{connections}",
            f"-d{duration}s",
            "--latency",
            "--timeout",
            bench.WRK_TIMEOUT,
            "-s",
            str(script),
            f"http://{bench.HOST}:{port}/",
        ],
        capture_output=True,
        text=True,
        timeout=duration + 120,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"wrk failed: {proc.stderr or proc.stdout}")
    return bench.parse_wrk(proc.stdout)


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="shorter runs")
    parser.add_argument(
        "--pages",
        type=int,
        default=bench.SCALE_PAGES,
        help="generated pages (default 10000; 100 means the demo only)",
    )
    parser.add_argument(
        "--reuse-database",
        action="store_true",
        help="measure the bench database as a previous run left it (no setup)",
    )
    parser.add_argument("--internal", help=argparse.SUPPRESS)
    bench.report.add_arguments(parser)
    return parser.parse_args(argv)


def in_django(env, action, payload):
    proc = subprocess.run(
        [bench.PYTHON, __file__, "--internal", action],
        cwd=bench.REPO,
        env=env,
        input=json.dumps(payload),
        capture_output=True,
        text=True,
    )
    for line in proc.stdout.splitlines():
        if line.startswith("@@RESULT@@"):
            return json.loads(line[len("@@RESULT@@") :])
    bench.log(proc.stdout[-3000:] + proc.stderr[-3000:])
    raise RuntimeError(f"in-process helper {action!r} failed")


def main(argv) -> int:
    args = parse_args(argv)
    if args.internal:
        payload = json.loads(sys.stdin.read() or "null")
        print("@@RESULT@@" + json.dumps(_internal_facts(payload)), flush=True)
        return 0
    duration, single = (4, 2) if args.quick else (15, 4)
    lock = bench.take_lock()
    if lock is None:
        return 2
    signal.signal(signal.SIGTERM, bench._on_sigterm)
    workdir = Path(tempfile.mkdtemp(prefix="guildhall-search-bench-"))
    env = bench.bench_env(workdir / "static", workdir / "media")
    setup_env = env | {"CELERY_TASK_ALWAYS_EAGER": "True", "DEMO_HOSTNAME": bench.HOST}
    server = None
    started = time.monotonic()
    try:
        bench.flush_redis()
        if not args.reuse_database:
            bench.recreate_database()
            bench.manage(setup_env, "migrate", "--noinput")
            bench.manage(setup_env, "load_demo")
            if args.pages > bench.DEMO_PAGES:
                bench.manage(setup_env, "generate_pages", "--count", str(args.pages))
        bench.manage(setup_env, "collectstatic", "--noinput")
        bench.analyze()
        bench.flush_redis()

        facts = in_django(
            env | {"PAGE_CACHE_SECONDS": "0"},
            "facts",
            {"queries": QUERIES, "host": bench.HOST},
        )
        # Page cache off: every request searches.
        server = bench.Server("search", env | {"PAGE_CACHE_SECONDS": "0"}, workdir)
        server.start()
        port = server.port
        bench.log(f"\nSearching {facts['pages']} live pages; gunicorn on port {port}")
        paths = [search_path(q) for q in QUERIES]
        for path in paths:  # warm the per-process caches (site, vocabulary)
            bench.http_get(port, path, timeout=60)
        bench.log("\nQuery                       results  SQL/req  writes  c1 p50 ms")
        single_p50 = {}
        for query, path in zip(QUERIES, paths, strict=True):
            result = wrk_mix(port, [path], 1, single, workdir)
            server.drain()
            single_p50[query] = result.p50_ms
            fact = facts["queries"][query]
            bench.log(
                f"{query:<28}{fact['results']:>7}  {fact['sql']:>7}  "
                f"{fact['writes']:>6}  {result.p50_ms:>9.1f}"
            )
        mix = {}
        trivial = {}
        for conc in (1, 16):
            mix[conc] = wrk_mix(port, paths, conc, duration, workdir)
            server.drain()
            trivial[conc] = wrk_mix(port, ["/healthz/"], conc, duration, workdir)
            server.drain()
        bench.log("\n               rps      p50 ms   p99 ms")
        for conc in (1, 16):
            for name, result in (("search mix", mix[conc]), ("healthz", trivial[conc])):
                bench.log(
                    f"c{conc:<3}{name:<11}{result.rps:>8.1f}  {result.p50_ms:>8.1f} "
                    f"{result.p99_ms:>8.1f}"
                    + (f"  errors {result.errors}" if result.errors else "")
                    + (f"  non-2xx {result.non_2xx}" if result.non_2xx else "")
                )
        ratio = mix[16].rps / trivial[16].rps if trivial[16].rps else 0.0
        broad = max(QUERIES, key=lambda q: facts["queries"][q]["results"])
        narrow = min(
            (q for q in QUERIES if facts["queries"][q]["results"]),
            key=lambda q: facts["queries"][q]["results"],
        )
        speed = single_p50[narrow] / single_p50[broad] if single_p50[broad] else 0
        sql = [f["sql"] for f in facts["queries"].values()]
        results = [f["results"] for f in facts["queries"].values()]
        unlimited = [
            q
            for q, f in facts["queries"].items()
            if f["results"] > 10 and not f["limited"]
        ]
        writes = sum(f["writes"] for f in facts["queries"].values())
        checks = bench.Targets("search (search_bench.py)", log=bench.log)
        checks.add(
            ratio >= RATIO_MIN,
            "search mix at c16: share of the trivial view's rps",
            f"{ratio:.2%}",
            f">= {RATIO_MIN:.1%}",
        )
        checks.add(
            mix[1].p50_ms <= P50_MAX_MS,
            "search mix p50 with one client",
            f"{mix[1].p50_ms:.1f} ms",
            f"<= {P50_MAX_MS:.0f} ms",
        )
        checks.add(
            mix[16].p99_ms <= P99_MAX_MS,
            "search mix p99 at c16",
            f"{mix[16].p99_ms:.1f} ms",
            f"<= {P99_MAX_MS:.0f} ms",
        )
        checks.add(
            speed >= BROAD_MIN_SPEED,
            f"broadest query {broad!r} ({facts['queries'][broad]['results']} results, "
            f"p50 {single_p50[broad]:.1f} ms) against the narrowest {narrow!r} "
            f"({facts['queries'][narrow]['results']}, {single_p50[narrow]:.1f} ms)",
            f"{speed:.2f}x the speed",
            f">= {BROAD_MIN_SPEED}x",
        )
        checks.add(
            max(results) > 1000,
            "most pages one query matches",
            f"{max(results):,}",
            "> 1,000",
        )
        checks.add(
            not unlimited,
            "queries whose page of results is not limited in the database",
            ", ".join(unlimited) or "none",
            "none (ORDER BY rank LIMIT)",
        )
        checks.add(not writes, "database writes in search requests", str(writes), "0")
        bench.log(
            f"\nSQL queries per search request: {min(sql)}-{max(sql)} "
            f"(median {statistics.median(sql)})"
        )
        bench.log(f"\nDone in {(time.monotonic() - started) / 60:.1f} min.")
        return checks.finish(args)
    finally:
        if server is not None:
            server.stop()
        bench.flush_redis()
        lock.close()


if __name__ == "__main__":
    if not bench._in_project_venv():
        import os

        os.execv(bench.PYTHON, [bench.PYTHON, __file__, *sys.argv[1:]])  # noqa: S606
    sys.exit(main(sys.argv[1:]))
