"""My Account, signed in (never cacheable), served by gunicorn and loaded with wrk.

Run it from the repository root (``make bench`` runs it after ``run.py``)::

    .venv/bin/python tests/benchmarks/myaccount_bench.py           # ~4 minutes
    .venv/bin/python tests/benchmarks/myaccount_bench.py --quick   # ~1.5 minutes

Same machinery and lock as ``run.py`` (its helpers are imported: the database
``guildhall_bench``, Redis database 12, the lock file, gunicorn with 2 sync workers,
production settings with the page cache on). One run at a time: a run started while
another (of either script) holds the lock exits with status 2.

What it does: recreates and migrates the database, loads the demo council (which
includes the demo residents and the My Account page), signs in as
amira.khan@example.com through the real sign-in form over HTTP, and then loads
``/healthz/`` (the trivial view) and the My Account page with that session cookie,
16 and 64 connections, interleaved rounds.

Targets (one PASS/FAIL line each; exit 1 when one fails, ``--no-fail`` to explore): My Account >= 1.2% of the trivial
view's requests per second in the same run; <= 15 queries per request with the demo
history and the same count after adding 500 messages and 5 council tax accounts;
no database write and no Set-Cookie on a signed-in GET (the session is not saved
unless it changed); the session lives in Redis (``cached_db`` engine).
"""

from __future__ import annotations

import argparse
import http.client
import json
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(Path(__file__).resolve().parent))

import run as bench  # noqa: E402  (tests/benchmarks/run.py)

RESIDENT = "amira.khan@example.com"
RESIDENT_PASSWORD = "guildhall-resident-2026"
MIN_RATIO = 0.012
MAX_QUERIES = 15
EXTRA_MESSAGES = 500
EXTRA_ACCOUNTS = 5


# ------------------------------------------------------------------ HTTP with cookies


def request(port, method, path, cookies=None, body=None, timeout=10.0):
    conn = http.client.HTTPConnection(bench.HOST, port, timeout=timeout)
    try:
        headers = {"Host": f"{bench.HOST}:{port}"}
        if cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://{bench.HOST}:{port}{path}"
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        data = response.read()
        set_cookies = {}
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                set_cookies[key.strip()] = rest.split(";", 1)[0]
        return response.status, dict(response.getheaders()), set_cookies, data
    finally:
        conn.close()


def sign_in(port: int) -> dict[str, str]:
    """Sign in through allauth's form, as a browser would; return the cookies."""
    status, _h, cookies, body = request(port, "GET", "/account/login/")
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
    form = urlencode(
        {
            "csrfmiddlewaretoken": token.decode(),
            "login": RESIDENT,
            "password": RESIDENT_PASSWORD,
        }
    )
    status, headers, new_cookies, _b = request(
        port, "POST", "/account/login/", cookies=cookies, body=form
    )
    cookies |= new_cookies
    if status != 302 or "sessionid" not in cookies:
        raise RuntimeError(f"sign-in failed: {status} {headers.get('Location')}")
    return cookies


def dashboard_path(port: int, cookies: dict) -> str:
    status, headers, _c, _b = request(port, "GET", "/account/", cookies=cookies)
    location = headers.get("Location", "")
    if status != 302 or not location:
        raise RuntimeError(f"/account/ answered {status}")
    return location


def run_wrk(url: str, connections: int, duration: int, cookie: str):
    proc = subprocess.run(
        [
            bench.WRK,
            "-t2",
            f"-c{connections}",
            f"-d{duration}s",
            "--latency",
            "--timeout",
            bench.WRK_TIMEOUT,
            "-H",
            f"Cookie: {cookie}",
            url,
        ],
        capture_output=True,
        text=True,
        timeout=duration + 60,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"wrk failed: {proc.stderr or proc.stdout}")
    return bench.parse_wrk(proc.stdout)


# ------------------------------------------------------------------ in-process helper


def in_django(env: dict[str, str], action: str, payload: object = None) -> object:
    """Run this file's in-process helper in a subprocess with ``env``."""
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
            return json.loads(line[len("@@RESULT@@") :])
    bench.log(proc.stdout[-3000:])
    bench.log(proc.stderr[-3000:])
    raise RuntimeError(f"in-process helper {action!r} failed ({proc.returncode})")


def _internal_queries(payload: dict) -> dict:
    """Queries and writes of one signed-in GET of the dashboard (after a warm-up),
    then the same after growing the resident's history."""
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    write = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)

    def measure():
        client = Client(HTTP_HOST=payload["host"])
        for name, value in payload["cookies"].items():
            client.cookies[name] = value
        client.get(payload["path"])
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(payload["path"])
        sql = [q["sql"] for q in ctx.captured_queries]
        return {
            "status": response.status_code,
            "queries": len(sql),
            "writes": [s[:160] for s in sql if write.match(s)],
            "set_cookie": sorted(response.cookies.keys()),
            "cache_control": response.get("Cache-Control", ""),
            "sql": [s[:200] for s in sql],
        }

    before = measure()
    from myaccount.models import CouncilTaxLink, DemoCouncilTaxAccount, ResidentMessage

    user = get_user_model().objects.get(email=RESIDENT)
    ResidentMessage.objects.bulk_create(
        ResidentMessage(user=user, reference=f"BENCH-{i:05d}", subject=f"Bench {i}")
        for i in range(EXTRA_MESSAGES)
    )
    for i in range(EXTRA_ACCOUNTS):
        number = f"{30000000 + i}"
        DemoCouncilTaxAccount.objects.get_or_create(
            account_number=number,
            defaults={
                "postcode": "GH1 1AA",
                "property_address": "Bench",
                "band": "A",
                "balance": 1,
            },
        )
        CouncilTaxLink.objects.get_or_create(user=user, account_number=number)
    after = measure()
    ResidentMessage.objects.filter(reference__startswith="BENCH-").delete()
    CouncilTaxLink.objects.filter(user=user, account_number__startswith="3").delete()
    return {
        "before": before,
        "after": after,
        "messages": ResidentMessage.objects.filter(user=user).count(),
        "session_engine": settings.SESSION_ENGINE,
    }


# ------------------------------------------------------------------ main


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="3s runs, one round")
    parser.add_argument("--show-sql", action="store_true", help="print the SQL")
    parser.add_argument("--internal", help=argparse.SUPPRESS)
    bench.report.add_arguments(parser)
    args = parser.parse_args(argv)
    if args.internal:
        result = {"queries": _internal_queries}[args.internal](
            json.loads(sys.stdin.read() or "null")
        )
        print("@@RESULT@@" + json.dumps(result), flush=True)
        return 0

    duration, rounds, warmup = (3, 1, 1) if args.quick else (10, 3, 2)
    concurrencies = [16, 64]
    if not Path(bench.WRK).exists():
        bench.log(f"missing {bench.WRK}")
        return 1
    lock = bench.take_lock()
    if lock is None:
        return 2
    signal.signal(signal.SIGTERM, bench._on_sigterm)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    workdir = Path(tempfile.mkdtemp(prefix="guildhall-mabench-"))
    env = bench.bench_env(workdir / "static", workdir / "media")
    setup_env = env | {"CELERY_TASK_ALWAYS_EAGER": "True", "DEMO_HOSTNAME": bench.HOST}
    server = bench.Server("myaccount", env, workdir)
    checks = bench.Targets("My Account (myaccount_bench.py)", log=bench.log)
    started = time.monotonic()
    try:
        bench.log(f"Bench database {bench.DB_NAME}, Redis db {bench.REDIS_DB}")
        bench.flush_redis()
        bench.recreate_database()
        bench.manage(setup_env, "migrate", "--noinput")
        bench.manage(setup_env, "load_demo", "--no-index")
        bench.manage(setup_env, "collectstatic", "--noinput")
        bench.flush_redis()
        server.start()
        bench.log(f"gunicorn on {bench.HOST}:{server.port} (production settings)")

        cookies = sign_in(server.port)
        path = dashboard_path(server.port, cookies)
        # The first view shows (and so clears) the "signed in" message cookie.
        _s, _h, cleared, _b = request(server.port, "GET", path, cookies=cookies)
        cookies = {k: v for k, v in (cookies | cleared).items() if v and v != '""'}
        cookie_header = "; ".join(f"{k}={v}" for k, v in cookies.items())
        status, headers, set_cookies, body = request(
            server.port, "GET", path, cookies=cookies
        )
        bench.log(
            f"\nSigned in as {RESIDENT}; My Account at {path}: {status}, "
            f"{len(body) / 1024:.0f} KB, Cache-Control: {headers.get('Cache-Control')}"
        )
        session_keys = bench.redis_keys_matching("*sessions.cached_db*")
        checks.add(
            bool(session_keys),
            "sessions in Redis: cached_db session keys",
            str(len(session_keys)),
            ">= 1",
        )
        checks.add(
            status == 200 and "no-store" in headers.get("Cache-Control", ""),
            "My Account answer",
            f"{status}, Cache-Control: {headers.get('Cache-Control')}",
            "200, no-store",
        )
        checks.add(
            not set_cookies,
            "Set-Cookie on a signed-in GET",
            ", ".join(sorted(set_cookies)) or "none",
            "none",
        )

        q = in_django(
            env, "queries", {"host": bench.HOST, "path": path, "cookies": cookies}
        )
        before, after = q["before"], q["after"]
        bench.log(
            f"\nQueries per signed-in GET: {before['queries']} with the demo history "
            f"({q['messages']} messages, 1 council tax account); {after['queries']} "
            f"with {EXTRA_MESSAGES} more messages and {EXTRA_ACCOUNTS} more accounts "
            f"(session engine {q['session_engine']})"
        )
        if args.show_sql:
            for sql in before["sql"]:
                bench.log(f"    {sql}")
        checks.add(
            before["queries"] <= MAX_QUERIES,
            "My Account: queries",
            str(before["queries"]),
            f"<= {MAX_QUERIES}",
        )
        checks.add(
            after["queries"] == before["queries"],
            "queries with a long history",
            f"{before['queries']} -> {after['queries']}",
            "no growth",
        )
        writes = before["writes"] + after["writes"]
        checks.add(
            not writes,
            "database writes on GET",
            f"{len(writes)}" + (f" ({writes[:2]})" if writes else ""),
            "0",
        )
        checks.add(
            not before["set_cookie"],
            "session saved on GET (cookies set)",
            str(before["set_cookie"] or "none"),
            "none",
        )

        figures = bench.Figures()
        targets = [("trivial", "/healthz/"), ("myaccount", path)]
        for _key, target_path in targets:
            run_wrk(server.url(target_path), concurrencies[0], warmup, cookie_header)
            server.drain()
        bench.log_machine_load()
        for round_ in range(rounds):
            order = targets if round_ % 2 == 0 else targets[::-1]
            for conc in concurrencies:
                for key, target_path in order:
                    result = run_wrk(
                        server.url(target_path), conc, duration, cookie_header
                    )
                    server.drain()
                    figures.add("signed-in", key, conc, result)
                    bench.log(
                        f"  round {round_ + 1} c{conc:<3} {target_path:<24} "
                        f"{result.rps:>8.1f} rps  p50 {result.p50_ms:>7.2f} ms  "
                        f"p99 {result.p99_ms:>7.2f} ms"
                        + (
                            f"  errors {result.errors} non-2xx {result.non_2xx}"
                            if result.errors or result.non_2xx
                            else ""
                        )
                    )
        bench.log("\nMy Account, signed in (uncacheable)")
        for conc in concurrencies:
            trivial = figures.rps("signed-in", "trivial", conc)
            rps = figures.rps("signed-in", "myaccount", conc)
            p99 = figures.p99("signed-in", "myaccount", conc)
            ratio = rps / trivial if trivial else 0.0
            bench.log(
                f"  c{conc:<3} trivial {trivial:8.1f} rps | My Account {rps:7.1f} rps "
                f"(p99 {p99:.1f} ms) = {ratio:.1%} of trivial"
            )
            checks.add(
                ratio >= MIN_RATIO,
                f"My Account c{conc}: share of the trivial view's rps",
                f"{rps:.0f} rps = {ratio:.1%}",
                f">= {MIN_RATIO:.1%}",
            )
        for (_m, key, conc), runs in figures.results.items():
            bad = sum(r.errors + r.non_2xx for r in runs)
            if bad:
                checks.add(
                    False, f"{key} c{conc}: socket errors and non-2xx", str(bad), "0"
                )
        bench.log(f"\nDone in {(time.monotonic() - started) / 60:.1f} min.")
        return checks.finish(args)
    except (KeyboardInterrupt, bench.Stop) as exc:
        bench.log(f"\nInterrupted ({exc or 'Ctrl-C'}); cleaning up.")
        return 130
    except Exception as exc:
        bench.log(f"\nBenchmark could not run: {exc}")
        bench.log(server.log_tail(20))
        return 1
    finally:
        server.stop()
        try:
            bench.flush_redis()
        except Exception as exc:
            bench.log(f"could not flush Redis db {bench.REDIS_DB}: {exc}")
        shutil.rmtree(workdir, ignore_errors=True)
        lock.close()


if __name__ == "__main__":
    if not bench._in_project_venv():
        os_exec = __import__("os").execv
        os_exec(bench.PYTHON, [bench.PYTHON, __file__, *sys.argv[1:]])
    sys.exit(main(sys.argv[1:]))
