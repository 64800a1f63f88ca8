"""Throughput, latency and queries per request of the public site, served by gunicorn.

Run it from the repository root (``make bench`` does exactly this)::

    .venv/bin/python tests/benchmarks/run.py              # full run, ~20 minutes
    .venv/bin/python tests/benchmarks/run.py --quick      # smoke test, ~3 minutes
    .venv/bin/python tests/benchmarks/run.py --pages 10000    # with 10,000 more pages
    .venv/bin/python tests/benchmarks/run.py --compare-scale  # demo, then +10,000: ~30 min

Needs PostgreSQL on 127.0.0.1:5432 (user ``postgres``, trust auth), Redis on
127.0.0.1:6379, ``wrk`` and the built front end (``cd frontend && npm run build``).

What it does: (re)creates the database ``guildhall_bench``, migrates it, loads the
demo council (``load_demo``), collects static files into a temporary directory, and
serves the site with production settings from four gunicorn servers (2 sync workers
each, on 127.0.0.1): page cache off (``PAGE_CACHE_SECONDS=0``, "uncached"), page
cache on ("cached", the production configuration), a Django with no middleware
at all ("bare", ``/healthz/`` only) and one with only Django's own middleware
("django", ``/healthz/`` only: the share of the cost any Django site with sign-in
pays). ``wrk -t2 --latency`` then loads each target at
16 and 64 connections, in interleaved rounds (every target once per round, so drift
on the machine affects all of them alike). Redis database 12 is the only one used,
and is flushed before and after; gunicorn is always stopped; the database is left
in place for inspection. One run at a time: a second one started meanwhile exits at
once (status 2) rather than drop the first one's database.

What the numbers mean:

* rps: requests per second, median of the rounds, with [min-max] over the rounds.
* p50 / p99: latency percentiles from wrk (median over the rounds). With sync
  workers a request waits for a free worker, so at 64 connections latency is
  mostly queueing: p99 ~ connections / rps.
* ratio: the page's rps over the bare trivial view's rps (``/healthz/`` on the
  "bare" server: a Django with no middleware) at the same concurrency, in the same
  run: the share of the fastest Django view's capacity the page keeps. It largely
  cancels out the speed of the machine, so it is the figure to compare between
  machines. (Dividing by the full-stack ``/healthz/`` instead would flatter every
  page by the cost of the middleware.) The nginx front cache in front of these
  pages is measured by ``front_cache_bench.py``.
* KB: size of the page's HTML.
* q/req: SQL queries of one anonymous GET, counted in-process (Django test client,
  same settings and database as the servers) after one warm-up request; writes
  (INSERT/UPDATE/DELETE) are counted too and should be 0 for every view.
* middleware cost: full-stack ``/healthz/`` rps (page cache on, as in production)
  over bare ``/healthz/`` rps; the same with the page cache off is printed as info.

Between runs the script waits until the server has served every request wrk left
queued (sync workers serve them even after wrk has gone), so one run cannot slow the
next; wrk's timeout is 30s so slow pages at 64 connections are measured, not
dropped as errors. ``--show-sql`` prints every page's queries.

Targets (PASS/FAIL lines): middleware ratio >= 0.85; uncached page >= 3% of the bare
trivial view; cached page >= 50% of the bare trivial view at 16 connections with p99 <=
25 ms; 0 queries on a cache hit; <= 20 queries per uncached page; no database
writes; no ``Set-Cookie`` and no ``Vary: Cookie`` on anonymous pages; at scale
(``--compare-scale``) >= 80% of the demo-size throughput. The summary prints one
line per target (PASS/FAIL, figure, target); the script exits 1 when a target
fails or it could not run (``--no-fail``: 0 whatever the targets say, for exploring).

wrk and the servers share the machine's CPUs, so absolute figures depend on the
machine and on what else runs; compare the ratios.
"""

from __future__ import annotations

import argparse
import fcntl
import http.client
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import report  # noqa: E402  (tests/benchmarks/report.py)
from report import Targets  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
VENV_BIN = REPO / ".venv" / "bin"
PYTHON = str(VENV_BIN / "python") if (VENV_BIN / "python").exists() else sys.executable
# gunicorn runs as ``python -m gunicorn`` with the venv's interpreter: the same program
# as .venv/bin/gunicorn, without depending on that script's #! line.
GUNICORN = [PYTHON, "-m", "gunicorn"]
GUNICORN_CONF = REPO / "cms" / "deploy" / "gunicorn.conf.py"


def shipped_workers(env: dict[str, str]) -> int:
    """How many workers cms/deploy/gunicorn.conf.py starts on this machine
    (2 x cores + 1, at most 8, unless WEB_CONCURRENCY says otherwise)."""
    proc = subprocess.run(
        [
            PYTHON,
            "-c",
            "import runpy, sys; print(runpy.run_path(sys.argv[1])['workers'])",
            str(GUNICORN_CONF),
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return int(proc.stdout.strip())


WRK = shutil.which("wrk") or "/usr/bin/wrk"

DB_NAME = "guildhall_bench"
PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
REDIS_HOST, REDIS_PORT, REDIS_DB = "127.0.0.1", 6379, 12
HOST = "127.0.0.1"
DEMO_PAGES = 100  # ``--pages 100`` means the demo as loaded, nothing generated.
SCALE_PAGES = 10_000

# Targets' checks.
MIDDLEWARE_MIN_RATIO = 0.85
UNCACHED_MIN_RATIO = 0.03
CACHED_MIN_RATIO = 0.50
CACHED_MAX_P99_MS = 25.0
MAX_UNCACHED_QUERIES = 20
SCALE_MIN_RATIO = 0.80

TRIVIAL = "healthz"


def log(message: str = "") -> None:
    print(message, flush=True)


LOCK_PATH = Path(tempfile.gettempdir()) / f"{DB_NAME}.lock"


def take_lock():
    """One run at a time: two would drop each other's database and flush its cache.

    Returns the open lock file (keep it open: closing it, or exiting, releases the
    lock), or None when another run holds it.
    """
    lock = open(LOCK_PATH, "a+")  # held open for the whole run
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        lock.seek(0)
        holder = lock.read().strip() or "unknown"
        lock.close()
        log(
            f"Another benchmark run is in progress (pid {holder}; lock {LOCK_PATH}). "
            f"It uses the database {DB_NAME} and Redis db {REDIS_DB} too: try again "
            "when it has finished."
        )
        return None
    lock.seek(0)
    lock.truncate()
    lock.write(str(os.getpid()))
    lock.flush()
    return lock


# --------------------------------------------------------------------------------------
# Environment, database, Redis
# --------------------------------------------------------------------------------------


def bench_env(static_root: Path, media_root: Path, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "cms.settings.production",
            "SECRET_KEY": "bench-only",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DB_NAME}",
            "REDIS_URL": f"redis://{REDIS_HOST}:{REDIS_PORT}",
            "REDIS_CACHE_DB": str(REDIS_DB),
            # Celery's broker and results go to the same database, so that nothing
            # outside it is written (and flushing it clears them).
            "REDIS_BROKER_DB": str(REDIS_DB),
            "REDIS_RESULT_DB": str(REDIS_DB),
            "SECURE_SSL_REDIRECT": "False",
            "USE_X_FORWARDED_PROTO": "False",
            # The production default, whatever a local .env says; "uncached" sets 0.
            "PAGE_CACHE_SECONDS": "600",
            # Never purge a real CDN or send real mail from a benchmark, whatever a
            # local .env configures (settings read .env without overriding these).
            "FRONTEND_CACHE_PURGE_URL": "",
            "CLOUDFLARE_API_TOKEN": "",
            "EMAIL_URL": "consolemail://",
            "STATIC_ROOT": str(static_root),
            "MEDIA_ROOT": str(media_root),
            "PYTHONPATH": os.pathsep.join(
                p for p in (str(REPO), os.environ.get("PYTHONPATH", "")) if p
            ),
            "PYTHONUNBUFFERED": "1",
        }
    )
    env.update(extra)
    return env


def recreate_database() -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DB_NAME}"')


def analyze() -> None:
    """The state autovacuum keeps a production database in, soon after many rows
    change: fresh planner statistics (right after thousands of bulk inserts
    PostgreSQL may still plan with the statistics of an empty site) and GIN
    indexes with their pending lists merged (until then every full-text search
    also scans the unsorted pending entries)."""
    import psycopg

    url = f"postgresql://postgres@127.0.0.1:5432/{DB_NAME}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")


def flush_redis() -> None:
    import redis

    redis.Redis(host=REDIS_HOST, port=REDIS_PORT, db=REDIS_DB).flushdb()


def redis_keys_matching(pattern: str) -> list[str]:
    import redis

    client = redis.Redis(host=REDIS_HOST, port=REDIS_PORT, db=REDIS_DB)
    return [k.decode() for k in client.scan_iter(match=pattern, count=1000)]


def manage(env: dict[str, str], *args: str) -> str:
    """Run a management command; show its last lines; raise on failure."""
    started = time.monotonic()
    log(f"$ manage.py {' '.join(args)}")
    proc = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
    )
    output = (proc.stdout + proc.stderr).strip()
    tail = "\n".join(output.splitlines()[-3:])
    if proc.returncode != 0:
        log(output[-4000:])
        raise RuntimeError(f"manage.py {' '.join(args)} failed ({proc.returncode})")
    if tail:
        log("  " + tail.replace("\n", "\n  "))
    log(f"  ({time.monotonic() - started:.1f}s)")
    return output


def in_django(env: dict[str, str], action: str, payload: object = None) -> object:
    """Run one of this file's in-process helpers in a subprocess with ``env``."""
    proc = subprocess.run(
        [PYTHON, __file__, "--internal", action],
        cwd=REPO,
        env=env,
        input=json.dumps(payload),
        capture_output=True,
        text=True,
    )
    marker = "@@RESULT@@"
    for line in proc.stdout.splitlines():
        if line.startswith(marker):
            return json.loads(line[len(marker) :])
    log(proc.stdout[-3000:])
    log(proc.stderr[-3000:])
    raise RuntimeError(f"in-process helper {action!r} failed ({proc.returncode})")


# --------------------------------------------------------------------------------------
# In-process helpers (run in a subprocess by ``in_django``)
# --------------------------------------------------------------------------------------


def _internal_discover(_payload: object) -> dict:
    """The default site and the URLs of one page of each type, in tree order."""
    import django

    django.setup()
    from django.apps import apps

    from wagtail.models import Page, Site

    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is None:
        raise SystemExit("no default Site: has load_demo run?")
    root = site.root_page

    def first(app_label: str, model: str):
        model_class = apps.get_model(app_label, model)
        return (
            model_class.objects.live()
            .public()
            .descendant_of(root, inclusive=True)
            .order_by("path")
            .first()
        )

    def rel_url(page) -> str:
        _site_id, _root_url, page_path = page.get_url_parts()
        return page_path

    targets = [{"key": TRIVIAL, "label": "trivial view", "path": "/healthz/"}]
    targets.append({"key": "home", "label": "home", "path": rel_url(root.specific)})
    problems = []
    found = {}
    for key, label, model in (
        ("landing", "service landing", "ServiceLandingPage"),
        ("service", "service page", "ServicePage"),
        ("guide", "guide", "GuidePage"),
        ("atoz", "A to Z", "AToZPage"),
    ):
        page = first("services", model)
        if page is None:
            problems.append(f"no live {model} under the default site")
            continue
        found[key] = page
        # A page whose body shows content by segment is never shared with a
        # front cache: its cached copies are private, one per set of segments.
        body = getattr(page.specific, "body", None)
        personalised = body is not None and '"type": "personalised"' in json.dumps(
            list(body.raw_data), default=str
        )
        targets.append(
            {
                "key": key,
                "label": label,
                "path": rel_url(page),
                "personalised": personalised,
            }
        )
    if "atoz" in found and "service" in found:
        # The letter of the service page above, so the letter page lists something.
        letter = (found["service"].title[:1] or "a").lower()
        targets.append(
            {
                "key": "atoz_letter",
                "label": f"A to Z letter {letter.upper()}",
                "path": f"{rel_url(found['atoz'])}{letter}/",
            }
        )
    service_model = apps.get_model("services", "ServicePage")
    return {
        "site": {
            "hostname": site.hostname,
            "port": site.port,
            "is_default_site": site.is_default_site,
            "root": root.title,
            "sites": Site.objects.count(),
        },
        "pages": Page.objects.count(),
        "live_pages": Page.objects.live().count(),
        "service_pages": service_model.objects.count(),
        "targets": targets,
        "problems": problems,
    }


def _internal_queries(payload: dict) -> dict:
    """Queries and writes of anonymous GETs through the full middleware stack."""
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    write = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)

    def get(path: str):
        # A fresh client each time: no cookie set by one response reaches the next.
        client = Client(HTTP_HOST=payload["host"])
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(path)
        sql = [q["sql"] for q in ctx.captured_queries]
        return response, sql

    results = {}
    for path in payload["paths"]:
        warm_response, warm_sql = get(path)
        response, sql = get(path)
        writes = [s for s in sql if write.match(s)]
        warm_writes = [s for s in warm_sql if write.match(s)]
        results[path] = {
            "status": response.status_code,
            "warm_queries": len(warm_sql),
            "queries": len(sql),
            "writes": len(writes),
            "warm_writes": len(warm_writes),
            "write_sql": [s[:200] for s in (warm_writes + writes)[:5]],
            "sql": sql,
            "x_page_cache": response.get("X-Page-Cache", ""),
            "warm_x_page_cache": warm_response.get("X-Page-Cache", ""),
            "cache_control": response.get("Cache-Control", ""),
            "set_cookie": sorted(response.cookies.keys()),
            "vary": response.get("Vary", ""),
        }
    return results


# --------------------------------------------------------------------------------------
# Servers
# --------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def http_get(port: int, path: str, timeout: float = 10.0) -> tuple[int, dict, bytes]:
    """A GET with only a Host header, like wrk's: no cookies, no Accept-Encoding."""
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.putrequest("GET", path, skip_accept_encoding=True)
        conn.endheaders()
        response = conn.getresponse()
        body = response.read()
        headers: dict[str, list[str]] = {}
        for name, value in response.getheaders():
            headers.setdefault(name.lower(), []).append(value)
        return response.status, headers, body
    finally:
        conn.close()


@dataclass
class Server:
    name: str
    env: dict[str, str]
    log_dir: Path
    port: int = 0
    proc: subprocess.Popen | None = None
    log_path: Path | None = None
    # The shipped gunicorn.conf.py (its workers, keepalive, recycling) instead of
    # 2 sync workers; its address and logs are still the benchmark's.
    shipped_config: bool = False

    def start(self) -> None:
        self.port = free_port()
        self.log_path = self.log_dir / f"gunicorn-{self.name}.log"
        workers = (
            ["-c", str(GUNICORN_CONF)]
            if self.shipped_config
            else ["-w", "2", "-k", "sync"]
        )
        with open(self.log_path, "ab") as log_file:
            self.proc = subprocess.Popen(
                [
                    *GUNICORN,
                    "cms.wsgi",
                    *workers,
                    "-b",
                    f"{HOST}:{self.port}",
                    "--error-logfile",
                    "-",
                ],
                cwd=REPO,
                env=self.env,
                stdout=log_file,
                stderr=subprocess.STDOUT,
                # Own session: a Ctrl-C in the terminal reaches this script, which
                # then stops the server itself.
                start_new_session=True,
            )
        self.wait_ready()

    def log_tail(self, lines: int = 30) -> str:
        if not self.log_path or not self.log_path.exists():
            return ""
        return "\n".join(
            self.log_path.read_text(errors="replace").splitlines()[-lines:]
        )

    def wait_ready(self, timeout: float = 90.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"gunicorn ({self.name}) exited with {self.proc.returncode}:\n"
                    + self.log_tail()
                )
            try:
                status, _headers, _body = http_get(self.port, "/healthz/", timeout=2)
            except OSError:
                time.sleep(0.2)
                continue
            if status == 200:
                # Both workers load the application before accepting; give the
                # second one time to finish, then touch it a few times.
                time.sleep(1.0)
                for _ in range(10):
                    http_get(self.port, "/healthz/")
                return
            raise RuntimeError(
                f"{self.name}: /healthz/ answered {status}\n{self.log_tail()}"
            )
        raise RuntimeError(
            f"gunicorn ({self.name}) not ready in {timeout}s\n{self.log_tail()}"
        )

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            self.proc = None
            return
        try:
            # The master's pid only: gunicorn stops its own workers on SIGTERM.
            self.proc.send_signal(signal.SIGTERM)
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=5)
        self.proc = None

    def drain(self) -> float:
        """Wait until the server has worked off requests left queued by the last run.

        When wrk stops, requests it already sent still sit in the listen queue and
        the sync workers serve them all; unless waited for they would slow the next
        run. A request sent now is answered only once they are done.
        """
        started = time.monotonic()
        http_get(self.port, "/healthz/", timeout=300)
        return time.monotonic() - started

    def url(self, path: str) -> str:
        return f"http://{HOST}:{self.port}{path}"


# --------------------------------------------------------------------------------------
# wrk
# --------------------------------------------------------------------------------------


@dataclass
class WrkResult:
    rps: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int
    non_2xx: int


_UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


def _to_ms(value: str, unit: str) -> float:
    return float(value) * _UNIT_MS[unit]


def parse_wrk(output: str) -> WrkResult:
    rps = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.MULTILINE)
    percentiles = {
        int(m.group(1)): _to_ms(m.group(2), m.group(3))
        for m in re.finditer(
            r"^\s+(\d+(?:\.\d+)?)%\s+([\d.]+)(us|ms|s|m|h)\s*$", output, re.MULTILINE
        )
        if float(m.group(1)).is_integer()
    }
    total = re.search(r"^\s*(\d+) requests in", output, re.MULTILINE)
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if not rps or 50 not in percentiles or 99 not in percentiles:
        raise ValueError(f"cannot parse wrk output:\n{output}")
    return WrkResult(
        rps=float(rps.group(1)),
        p50_ms=percentiles[50],
        p99_ms=percentiles[99],
        requests=int(total.group(1)) if total else 0,
        errors=sum(int(g) for g in socket_errors.groups()) if socket_errors else 0,
        non_2xx=int(non_2xx.group(1)) if non_2xx else 0,
    )


# wrk's default 2s timeout would count the queueing of 64 connections on a slow page
# as errors and leave its latency out of the percentiles.
WRK_TIMEOUT = "30s"


def run_wrk(url: str, connections: int, duration: int) -> WrkResult:
    proc = subprocess.run(
        [
            WRK,
            "-t2",
            f"-c{connections}",
            f"-d{duration}s",
            "--latency",
            "--timeout",
            WRK_TIMEOUT,
            url,
        ],
        capture_output=True,
        text=True,
        timeout=duration + 60,
    )
    if proc.returncode != 0:
        raise RuntimeError(
            f"wrk failed ({proc.returncode}): {proc.stderr or proc.stdout}"
        )
    return parse_wrk(proc.stdout)


# --------------------------------------------------------------------------------------
# Measurement
# --------------------------------------------------------------------------------------


@dataclass
class Job:
    mode: str  # "uncached", "cached", "bare"
    target: dict
    server: Server


@dataclass
class Figures:
    results: dict[tuple[str, str, int], list[WrkResult]] = field(default_factory=dict)

    def add(self, mode: str, key: str, conc: int, result: WrkResult) -> None:
        self.results.setdefault((mode, key, conc), []).append(result)

    def get(self, mode: str, key: str, conc: int) -> list[WrkResult]:
        return self.results.get((mode, key, conc), [])

    def rps(self, mode: str, key: str, conc: int) -> float | None:
        runs = self.get(mode, key, conc)
        return statistics.median(r.rps for r in runs) if runs else None

    def p99(self, mode: str, key: str, conc: int) -> float | None:
        runs = self.get(mode, key, conc)
        return statistics.median(r.p99_ms for r in runs) if runs else None


def measure(
    jobs: list[Job], concurrencies: list[int], rounds: int, duration: int, warmup: int
) -> Figures:
    figures = Figures()
    total = len(jobs) * len(concurrencies) * rounds
    log(
        f"\nMeasuring {len(jobs)} targets x {len(concurrencies)} concurrencies x "
        f"{rounds} round(s) x {duration}s (about {total * (duration + 0.5) / 60:.1f} min)"
    )
    for job in jobs:
        run_wrk(job.server.url(job.target["path"]), concurrencies[0], warmup)
        job.server.drain()
    log_machine_load()
    done = 0
    for round_ in range(rounds):
        # Rotate the order each round so no target always runs first or last.
        order = jobs[round_ % len(jobs) :] + jobs[: round_ % len(jobs)]
        for conc in concurrencies:
            for job in order:
                result = run_wrk(job.server.url(job.target["path"]), conc, duration)
                drained = job.server.drain()
                figures.add(job.mode, job.target["key"], conc, result)
                done += 1
                problems = f"  (drained {drained:.1f}s)" if drained > 0.5 else ""
                if result.errors or result.non_2xx:
                    problems += (
                        f"  socket errors {result.errors}, non-2xx {result.non_2xx}"
                    )
                log(
                    f"  [{done:>3}/{total}] round {round_ + 1} c{conc:<3} {job.mode:<8} "
                    f"{job.target['path']:<40} {result.rps:>8.1f} rps  "
                    f"p50 {result.p50_ms:>7.2f} ms  p99 {result.p99_ms:>7.2f} ms{problems}"
                )
    return figures


def check_headers(server: Server, targets: list[dict], cached: bool) -> dict[str, dict]:
    """GET each page as an anonymous visitor; for the cached server prime it first."""
    facts = {}
    for target in targets:
        if target["key"] == TRIVIAL:
            continue
        status, headers, _body = http_get(server.port, target["path"])
        first_cache = headers.get("x-page-cache", [""])[0]
        if cached:
            status, headers, _body = http_get(server.port, target["path"])
        cache_control = ", ".join(headers.get("cache-control", []))
        vary = ", ".join(headers.get("vary", []))
        facts[target["key"]] = {
            "status": status,
            "first_x_page_cache": first_cache,
            "x_page_cache": headers.get("x-page-cache", [""])[0],
            "cache_control": cache_control,
            "public": "public" in cache_control,
            "s_maxage": "s-maxage" in cache_control,
            "set_cookie": headers.get("set-cookie", []),
            "vary": vary,
            "vary_cookie": "cookie" in [v.strip().lower() for v in vary.split(",")],
        }
    return facts


# --------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------


def fmt_range(values: list[float]) -> str:
    return f"{statistics.median(values):8.1f} [{min(values):.0f}-{max(values):.0f}]"


def print_table(
    title: str,
    figures: Figures,
    modes: list[str],
    targets: list[dict],
    concurrencies: list[int],
    queries: dict[str, dict],
) -> None:
    log(f"\n{title}")
    width = max(len(t["path"]) for t in targets)
    header = (
        f"  {'mode':<8} {'target':<18} {'path':<{width}} {'KB':>5} {'c':>3}  "
        f"{'rps median [min-max]':<24} {'p50 ms':>8} {'p99 ms':>8} {'ratio':>6} "
        f"{'q/req':>6}"
    )
    log(header)
    log("  " + "-" * (len(header) - 2))
    for mode in modes:
        for target in targets:
            for conc in concurrencies:
                runs = figures.get(mode, target["key"], conc)
                if not runs:
                    continue
                # Always the bare trivial view (no middleware): the site's pages
                # against the fastest any Django view gets on this machine.
                trivial = figures.rps("bare", TRIVIAL, conc)
                rps = statistics.median(r.rps for r in runs)
                ratio = (
                    f"{rps / trivial:6.2f}"
                    if trivial
                    and target["key"] != TRIVIAL
                    and mode not in ("bare", "django")
                    else "     -"
                )
                q = queries.get(mode, {}).get(target["path"])
                qtext = f"{q['queries']:6d}" if q else "     -"
                errors = sum(r.errors + r.non_2xx for r in runs)
                size = f"{target.get('bytes', 0) / 1024:5.0f}"
                log(
                    f"  {mode:<8} {target['label'][:18]:<18} {target['path']:<{width}} "
                    f"{size} {conc:>3}  {fmt_range([r.rps for r in runs]):<24} "
                    f"{statistics.median(r.p50_ms for r in runs):8.2f} "
                    f"{statistics.median(r.p99_ms for r in runs):8.2f} {ratio} {qtext}"
                    + (f"  ({errors} errors/non-2xx)" if errors else "")
                )


# --------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------


class Stop(Exception):
    pass


def _on_sigterm(signum, frame):
    raise Stop(f"signal {signum}")


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--pages",
        type=int,
        default=DEMO_PAGES,
        help="100 (default): the demo as loaded; any other N: run generate_pages "
        "--count N before serving (with --compare-scale: the size to compare, "
        "default 10000)",
    )
    parser.add_argument(
        "--compare-scale",
        action="store_true",
        help="measure the uncached pages on the demo, generate the extra pages in the "
        "same database, measure again and compare (target >= 80%%)",
    )
    parser.add_argument(
        "--quick", action="store_true", help="smoke test: 3s runs, one round"
    )
    parser.add_argument(
        "--rounds", type=int, help="rounds of every target (default 3; --quick 1)"
    )
    parser.add_argument(
        "--duration", type=int, help="seconds per wrk run (default 10; --quick 3)"
    )
    parser.add_argument(
        "--show-sql", action="store_true", help="print each page's uncached SQL"
    )
    parser.add_argument("--internal", help=argparse.SUPPRESS)
    report.add_arguments(parser)
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    if args.internal:
        action = {"discover": _internal_discover, "queries": _internal_queries}[
            args.internal
        ]
        result = action(json.loads(sys.stdin.read() or "null"))
        print("@@RESULT@@" + json.dumps(result), flush=True)
        return 0

    duration, rounds, warmup = (3, 1, 1) if args.quick else (10, 3, 2)
    duration = args.duration or duration
    rounds = args.rounds or rounds
    concurrencies = [16, 64]
    scale_pages = args.pages if args.pages != DEMO_PAGES else SCALE_PAGES

    if not Path(WRK).exists():
        log(f"missing {WRK}")
        return 1
    lock = take_lock()
    if lock is None:
        return 2

    signal.signal(signal.SIGTERM, _on_sigterm)
    # Ctrl-C must stop the servers even when started with SIGINT ignored (``&``).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    workdir = Path(tempfile.mkdtemp(prefix="guildhall-bench-"))
    static_root, media_root = workdir / "static", workdir / "media"
    env = bench_env(static_root, media_root)
    # Setup commands run Celery tasks inline (renditions), so the database is left
    # as a worker would have left it.
    # DEMO_HOSTNAME: the council site's own host name is the one the servers get.
    setup_env = env | {"CELERY_TASK_ALWAYS_EAGER": "True", "DEMO_HOSTNAME": HOST}
    servers: list[Server] = []
    checks = Targets("pages (run.py)", log=log)
    started = time.monotonic()

    def start(name: str, **extra: str) -> Server:
        server = Server(name, env | extra, workdir)
        servers.append(server)
        server.start()
        log(f"  {name:<8} gunicorn on {HOST}:{server.port} (pid {server.proc.pid})")
        return server

    def stop_all() -> None:
        for server in servers:
            server.stop()
        servers.clear()

    try:
        log(f"Bench database {DB_NAME}, Redis db {REDIS_DB}, work dir {workdir}")
        flush_redis()
        recreate_database()
        manage(setup_env, "migrate", "--noinput")
        manage(setup_env, "load_demo")
        manage(setup_env, "collectstatic", "--noinput")
        if args.pages != DEMO_PAGES and not args.compare_scale:
            manage(setup_env, "generate_pages", "--count", str(args.pages))
        analyze()
        flush_redis()

        info = in_django(env, "discover")
        site = info["site"]
        log(
            f"\nDefault site: {site['root']!r} hostname={site['hostname']!r} "
            f"port={site['port']} ({site['sites']} site(s); the default site answers "
            f"any host, including {HOST})"
        )
        log(
            f"Pages: {info['pages']} ({info['live_pages']} live, "
            f"{info['service_pages']} service pages)"
        )
        for problem in info["problems"]:
            log(f"  WARNING: {problem}")
        targets = info["targets"]
        pages = [t for t in targets if t["key"] != TRIVIAL]
        trivial = targets[0]

        log("\nStarting servers")
        uncached = start("uncached", PAGE_CACHE_SECONDS="0")
        cached = start("cached")  # PAGE_CACHE_SECONDS=600, the production default
        bare = start("bare", DJANGO_SETTINGS_MODULE="tests.benchmarks.bare_settings")
        django_stack = start(
            "django", DJANGO_SETTINGS_MODULE="tests.benchmarks.django_settings"
        )

        # Every page must answer 200 before it is worth loading.
        answering = []
        for target in targets:
            status, _h, body = http_get(uncached.port, target["path"])
            target["bytes"] = len(body)
            if status == 200:
                answering.append(target)
            else:
                log(f"  WARNING: {target['path']} answered {status}; left out")
                checks.add(False, f"{target['path']} answers", str(status), "200")
        targets = answering
        pages = [t for t in targets if t["key"] != TRIVIAL]
        log("\nTargets:")
        for target in targets:
            log(f"  {target['label']:<22} {target['path']}")

        # Headers an anonymous visitor gets, and the page cache at work.
        log("\nResponse headers (anonymous GET, no cookies)")
        header_facts = {
            "uncached": check_headers(uncached, targets, cached=False),
            "cached": check_headers(cached, targets, cached=True),
        }
        width = max(len(t["path"]) for t in targets)
        for mode, facts in header_facts.items():
            for target in pages:
                f = facts[target["key"]]
                log(
                    f"  {mode:<8} {target['path']:<{width}} {f['status']} "
                    f"X-Page-Cache: {f['first_x_page_cache'] or '-'}"
                    + (f" then {f['x_page_cache'] or '-'}" if mode == "cached" else "")
                    + f" | Cache-Control: {f['cache_control'] or '-'}"
                    f" | Vary: {f['vary'] or '-'}"
                    f" | Set-Cookie: {', '.join(c.split('=')[0] for c in f['set_cookie']) or 'none'}"
                )
        for target in pages:
            f = header_facts["cached"][target["key"]]
            if target.get("personalised"):
                passed = f["x_page_cache"] == "hit" and "private" in f["cache_control"]
                wanted = "X-Page-Cache: hit, Cache-Control private (personalised)"
            else:
                passed = f["x_page_cache"] == "hit" and f["public"] and f["s_maxage"]
                wanted = "X-Page-Cache: hit, Cache-Control public with s-maxage"
            checks.add(
                passed,
                f"cached {target['path']}: second GET",
                f"X-Page-Cache: {f['x_page_cache'] or 'no header'}; "
                f"{f['cache_control'] or 'no Cache-Control'}",
                wanted,
            )
            cookies = [
                c
                for mode in header_facts
                for c in header_facts[mode][target["key"]]["set_cookie"]
            ]
            vary_cookie = any(
                header_facts[mode][target["key"]]["vary_cookie"]
                for mode in header_facts
            )
            checks.add(
                not cookies and not vary_cookie,
                f"{target['path']}: cookies",
                "; ".join(
                    ([f"Set-Cookie: {'; '.join(cookies)}"] if cookies else [])
                    + (["Vary: Cookie"] if vary_cookie else [])
                )
                or "none",
                "no Set-Cookie, no Vary: Cookie",
            )

        # Queries per request, in-process, with each server's configuration.
        log("\nCounting queries (in-process, full middleware stack)")
        query_payload = {"host": HOST, "paths": [t["path"] for t in targets]}
        queries = {
            "uncached": in_django(
                env | {"PAGE_CACHE_SECONDS": "0"}, "queries", query_payload
            ),
            "cached": in_django(env, "queries", query_payload),
        }
        print_queries(queries, targets, args.show_sql)
        query_checks(checks, queries, pages, targets)

        jobs = (
            [Job("bare", trivial, bare), Job("django", trivial, django_stack)]
            + [Job("uncached", t, uncached) for t in targets]
            + [Job("cached", t, cached) for t in targets]
        )
        figures = measure(jobs, concurrencies, rounds, duration, warmup)
        show_server_errors(figures, [bare, django_stack, uncached, cached])

        enqueued = redis_keys_matching("celery*")
        checks.add(
            not enqueued,
            "Celery tasks enqueued by serving pages",
            f"{len(enqueued)}" + (f" ({', '.join(enqueued[:5])})" if enqueued else ""),
            "0",
        )

        print_table(
            f"Results ({'quick: ' if args.quick else ''}{rounds} round(s) of {duration}s, "
            f"wrk -t2, gunicorn 2 sync workers; {info['pages']} pages)",
            figures,
            ["bare", "django", "uncached", "cached"],
            targets,
            concurrencies,
            queries,
        )
        throughput_checks(checks, figures, pages, concurrencies)

        if args.compare_scale:
            stop_all()
            log(f"\nScale: adding {scale_pages} pages to the same database")
            manage(setup_env, "generate_pages", "--count", str(scale_pages))
            analyze()
            flush_redis()
            scaled = in_django(env, "discover")
            log(f"Pages: {scaled['pages']} ({scaled['service_pages']} service pages)")
            uncached = start("uncached", PAGE_CACHE_SECONDS="0")
            scaled_targets = []
            for target in targets:
                status, _h, body = http_get(uncached.port, target["path"])
                scaled_targets.append(target | {"bytes": len(body)})
                if status != 200:
                    log(f"  WARNING: {target['path']} answered {status} at scale")
            scaled_queries = {
                "uncached": in_django(
                    env | {"PAGE_CACHE_SECONDS": "0"}, "queries", query_payload
                )
            }
            scale_figures = measure(
                [Job("uncached", t, uncached) for t in targets],
                concurrencies,
                rounds,
                duration,
                warmup,
            )
            show_server_errors(scale_figures, [uncached])
            print_table(
                f"At scale: {scaled['pages']} pages (uncached)",
                scale_figures,
                ["uncached"],
                scaled_targets,
                concurrencies,
                scaled_queries,
            )
            scale_checks(
                checks,
                figures,
                scale_figures,
                targets,
                concurrencies,
                info,
                scaled,
                queries,
                scaled_queries,
            )

        log(f"\nDone in {(time.monotonic() - started) / 60:.1f} min.")
        return checks.finish(args)
    except (KeyboardInterrupt, Stop) as exc:
        log(f"\nInterrupted ({str(exc) or 'Ctrl-C'}); cleaning up.")
        return 130
    except Exception as exc:  # report, clean up, exit non-zero
        log(f"\nBenchmark could not run: {exc}")
        for server in servers:
            tail = server.log_tail(15)
            if tail:
                log(f"--- gunicorn {server.name} log ---\n{tail}")
        return 1
    finally:
        stop_all()
        try:
            flush_redis()
        except Exception as exc:
            log(f"could not flush Redis db {REDIS_DB}: {exc}")
        shutil.rmtree(workdir, ignore_errors=True)


def show_server_errors(figures: Figures, servers: list[Server]) -> None:
    """Show the end of a server's log when it answered anything but 2xx/3xx."""
    for server in servers:
        failed = sum(
            r.non_2xx
            for (mode, _key, _conc), runs in figures.results.items()
            if mode == server.name
            for r in runs
        )
        if failed:
            log(f"\n{server.name}: {failed} non-2xx responses; end of its log:")
            log("  " + server.log_tail(25).replace("\n", "\n  "))


def _cpu_times() -> tuple[int, int] | None:
    """(busy, total) jiffies of all CPUs since boot, from /proc/stat."""
    try:
        with open("/proc/stat") as stat:
            fields = [int(v) for v in stat.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    return sum(fields) - idle, sum(fields)


def log_machine_load(sample_seconds: float = 2.0) -> None:
    """The figures are only comparable on an otherwise idle machine: say if it is not.

    Samples CPU use while the servers are idle, just before wrk starts.
    """
    cpus = os.cpu_count() or 1
    before = _cpu_times()
    time.sleep(sample_seconds)
    after = _cpu_times()
    if before is None or after is None or after[1] == before[1]:
        return
    busy = (after[0] - before[0]) / (after[1] - before[1])
    log(f"Machine: {cpus} CPUs, {busy:.0%} busy before the runs")
    if busy > 0.15:
        log(
            "  WARNING: something else is using the CPU; wrk and the servers share "
            f"the {cpus} CPUs with it, so the figures will be low and noisy."
        )


def print_queries(queries: dict, targets: list[dict], show_sql: bool) -> None:
    width = max(len(t["path"]) for t in targets)
    log(
        f"  {'path':<{width}} {'uncached q (1st)':>17} {'cached q (1st)':>15} "
        f"{'writes':>7}  X-Page-Cache (cached)"
    )
    for target in targets:
        u = queries["uncached"][target["path"]]
        c = queries["cached"][target["path"]]
        writes = u["writes"] + u["warm_writes"] + c["writes"] + c["warm_writes"]
        log(
            f"  {target['path']:<{width}} {u['queries']:>8} ({u['warm_queries']:>3})    "
            f"{c['queries']:>7} ({c['warm_queries']:>3}) {writes:>7}  "
            f"{c['warm_x_page_cache'] or '-'} then {c['x_page_cache'] or '-'}"
        )
        for sql in u["write_sql"] + c["write_sql"]:
            log(f"      write: {sql}")
        if show_sql:
            for sql in u["sql"]:
                log(f"      {sql[:300]}")


def query_checks(
    checks: Targets, queries: dict, pages: list[dict], targets: list[dict]
) -> None:
    for target in pages:
        u = queries["uncached"][target["path"]]
        c = queries["cached"][target["path"]]
        checks.add(
            u["queries"] <= MAX_UNCACHED_QUERIES,
            f"uncached {target['path']}: queries",
            str(u["queries"]),
            f"<= {MAX_UNCACHED_QUERIES}",
        )
        checks.add(
            c["queries"] == 0 and c["x_page_cache"] == "hit",
            f"cached {target['path']}: queries on a hit",
            f"{c['queries']} (X-Page-Cache: {c['x_page_cache'] or 'none'})",
            "0, X-Page-Cache: hit",
        )
    for target in targets:
        writes = sum(
            queries[mode][target["path"]][k]
            for mode in ("uncached", "cached")
            for k in ("writes", "warm_writes")
        )
        checks.add(writes == 0, f"{target['path']}: database writes", str(writes), "0")


def throughput_checks(
    checks: Targets, figures: Figures, pages: list[dict], concurrencies: list[int]
) -> None:
    log("")
    for conc in concurrencies:
        bare = figures.rps("bare", TRIVIAL, conc)
        for mode in ("cached", "uncached"):
            full = figures.rps(mode, TRIVIAL, conc)
            ratio = full / bare if bare else 0.0
            figure = f"{full:.0f} rps / bare {bare:.0f} rps = {ratio:.2f}"
            name = f"middleware cost c{conc}: full-stack /healthz/ ({mode} server)"
            if mode == "cached":  # the production configuration
                checks.add(
                    ratio >= MIDDLEWARE_MIN_RATIO,
                    name,
                    figure,
                    f">= {MIDDLEWARE_MIN_RATIO}",
                )
            else:
                log(f"  info: {name} {figure}")
        django_stack = figures.rps("django", TRIVIAL, conc)
        full = figures.rps("cached", TRIVIAL, conc)
        if bare and django_stack:
            log(
                f"  info: c{conc}: Django's own middleware alone (security, sessions, "
                f"common, CSRF, auth, allauth, messages, clickjacking) {django_stack:.0f}"
                f" rps = {django_stack / bare:.2f} of bare; the full stack is "
                f"{full / django_stack:.2f} of that"
            )
    for target in pages:
        for conc in concurrencies:
            trivial = figures.rps("bare", TRIVIAL, conc)
            rps = figures.rps("uncached", target["key"], conc)
            ratio = rps / trivial if trivial else 0.0
            checks.add(
                ratio >= UNCACHED_MIN_RATIO,
                f"uncached {target['path']} c{conc}: share of the bare trivial view's rps",
                f"{rps:.0f} rps = {ratio:.1%}",
                f">= {UNCACHED_MIN_RATIO:.0%}",
            )
        trivial = figures.rps("bare", TRIVIAL, 16)
        rps = figures.rps("cached", target["key"], 16)
        p99 = figures.p99("cached", target["key"], 16)
        ratio = rps / trivial if trivial else 0.0
        checks.add(
            ratio >= CACHED_MIN_RATIO and p99 <= CACHED_MAX_P99_MS,
            f"cached {target['path']} c16: share of the bare trivial view's rps, p99",
            f"{rps:.0f} rps = {ratio:.0%}, p99 {p99:.1f} ms",
            f">= {CACHED_MIN_RATIO:.0%}, <= {CACHED_MAX_P99_MS:.0f} ms",
        )
    for (mode, key, conc), runs in figures.results.items():
        bad = sum(r.errors + r.non_2xx for r in runs)
        if bad:
            checks.add(
                False, f"{mode} {key} c{conc}: socket errors and non-2xx", str(bad), "0"
            )


def scale_checks(
    checks: Targets,
    before: Figures,
    after: Figures,
    targets: list[dict],
    concurrencies: list[int],
    info_before: dict,
    info_after: dict,
    queries_before: dict,
    queries_after: dict,
) -> None:
    n0, n1 = info_before["pages"], info_after["pages"]
    log(f"\nScale: uncached throughput with {n1} pages vs {n0} pages")
    width = max(len(t["path"]) for t in targets)
    log(
        f"  {'path':<{width}} {'c':>3} {f'rps@{n0}':>10} {f'rps@{n1}':>10} {'ratio':>6} "
        f"{'vs trivial':>11} {'q before':>9} {'q after':>8}"
    )
    for target in targets:
        for conc in concurrencies:
            r0 = before.rps("uncached", target["key"], conc)
            r1 = after.rps("uncached", target["key"], conc)
            t0 = before.rps("uncached", TRIVIAL, conc)
            t1 = after.rps("uncached", TRIVIAL, conc)
            if not r0 or not r1:
                continue
            ratio = r1 / r0
            # Relative to the trivial view of the same run: cancels machine drift.
            normalised = (r1 / t1) / (r0 / t0) if t0 and t1 else 0.0
            q0 = queries_before["uncached"][target["path"]]["queries"]
            q1 = queries_after["uncached"][target["path"]]["queries"]
            log(
                f"  {target['path']:<{width}} {conc:>3} {r0:>10.1f} {r1:>10.1f} {ratio:>6.2f} "
                f"{normalised:>11.2f} {q0:>9} {q1:>8}"
            )
            if target["key"] != TRIVIAL:
                checks.add(
                    ratio >= SCALE_MIN_RATIO,
                    f"scale {target['path']} c{conc}: rps at {n1} pages / at {n0}",
                    f"{ratio:.0%} (vs trivial: {normalised:.0%})",
                    f">= {SCALE_MIN_RATIO:.0%}",
                )
        if target["key"] != TRIVIAL:
            q0 = queries_before["uncached"][target["path"]]["queries"]
            q1 = queries_after["uncached"][target["path"]]["queries"]
            checks.add(
                q1 <= q0,
                f"scale {target['path']}: queries",
                f"{q0} -> {q1}",
                "no growth",
            )


def _in_project_venv() -> bool:
    venv = REPO / ".venv"
    return not venv.exists() or Path(sys.prefix).resolve() == venv.resolve()


if __name__ == "__main__":
    if not _in_project_venv():
        # Started with another interpreter (``python tests/benchmarks/run.py``):
        # continue under the project's, which has Django, psycopg and redis.
        os.execv(PYTHON, [PYTHON, __file__, *sys.argv[1:]])  # noqa: S606 - fixed argv
    sys.exit(main(sys.argv[1:]))
