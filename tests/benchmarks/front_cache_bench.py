"""The nginx front cache against a bare trivial Django view, in the same run.

    .venv/bin/python tests/benchmarks/front_cache_bench.py            # ~3 minutes
    .venv/bin/python tests/benchmarks/front_cache_bench.py --no-fail  # explore

``make bench-front-cache`` runs it. Uses ``DATABASE_URL`` (PostgreSQL) and
``REDIS_URL`` like ``make serve``, and loads the demo council when the database has
none. Starts, on free ports: gunicorn with production settings (2 sync workers),
gunicorn with a Django that has no middleware and one trivial view ("bare"), and
nginx with ``cms/deploy/nginx.conf`` in front of the first. Then:

1. wrk (2 threads, 16 and 64 connections) on the bare trivial view, on anonymous
   pages through nginx, and on the same pages straight from gunicorn (the in-app
   page cache). Ratios divide by the bare trivial view's requests per second.
2. 50 publishes of a page: the time from the start of ``publish()`` (Wagtail's work,
   then the purges) to nginx serving the new title (polled every 10 ms).
3. gunicorn stopped: wrk on the cached pages through nginx (every answer must be a
   200), and sign-in must answer the "service unavailable" page (503).
4. The in-app page cache with the front cache in front: a personalised page (nginx
   never stores those) straight from gunicorn with the in-app cache on and off.

Targets: through nginx >= 5x the bare view and p99 <= 5 ms at 64 connections; 100%
200s with gunicorn stopped; publish -> fresh <= 1 s (worst of 50). The script exits 1
when one is missed (``--no-fail``: always 0). The publishes leave the page as it was.
wrk, nginx and gunicorn share the machine's CPUs: on a loaded machine the figures
move; the ratios much less than the absolute numbers.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run as bench  # noqa: E402

REPO = bench.REPO
NGINX = "/usr/sbin/nginx"
MIN_RATIO = 5.0
MAX_P99_MS = 5.0
MAX_PUBLISH_SECONDS = 1.0
PUBLISHES = 50
CONNECTIONS = (16, 64)


def log(message: str = "") -> None:
    print(message, flush=True)


def environment(static_root: Path, purge_port: int) -> dict[str, str]:
    env = dict(os.environ)
    for needed in ("DATABASE_URL", "REDIS_URL"):
        if not env.get(needed):
            sys.exit(f"{needed} is not set (PostgreSQL and Redis, as for make serve)")
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "cms.settings.production",
            "SECRET_KEY": env.get("SECRET_KEY") or "bench-only-" + "x" * 40,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "False",
            "PAGE_CACHE_SECONDS": "600",
            "FRONTEND_CACHE_PURGE_URL": "",
            "CLOUDFLARE_API_TOKEN": "",
            "FRONTEND_CACHE_NGINX_URL": f"http://127.0.0.1:{purge_port}",
            "EMAIL_URL": "consolemail://",
            "ALLOW_CONSOLE_EMAIL": "True",
            "ALLOW_DEMO_PROVIDERS": "address_lookup,council_tax,waste,clamav",
            "STATIC_ROOT": str(static_root),
            "PYTHONPATH": str(REPO),
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


def django(env: dict[str, str], code: str) -> str:
    """Run ``code`` in a Django shell with ``env``; its last line of output."""
    proc = subprocess.run(  # noqa: S603 - our own manage.py
        [bench.PYTHON, "manage.py", "shell", "-c", code],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
    )
    if proc.returncode:
        raise RuntimeError(proc.stdout[-2000:] + proc.stderr[-3000:])
    return proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else ""


FIND_PAGES = """
import json
from wagtail.models import Site
from home.models import HomePage, StandardPage
from services.models import ServicePage
from personalisation.segments import page_variants
site = Site.objects.get(is_default_site=True)
service = ServicePage.objects.live().descendant_of(site.root_page).order_by("path").first()
personalised = None
for page in site.root_page.get_descendants(inclusive=True).live().specific():
    body = getattr(page, "body", None) or []
    if "personalised" in [getattr(b, "block_type", "") for b in body]:
        personalised = page
        break
print(json.dumps({
    "host": site.hostname,
    "home": site.root_page.get_url_parts()[2],
    "service": service.get_url_parts()[2],
    "service_id": service.pk,
    "personalised": personalised.get_url_parts()[2] if personalised else None,
}))
"""

PUBLISH = """
import json, time, http.client
from services.models import ServicePage
page = ServicePage.objects.get(pk={page_id})
path = page.get_url_parts()[2]
original = page.title
timings = []

def get(path):
    c = http.client.HTTPConnection("127.0.0.1", {port}, timeout=5)
    c.request("GET", path, headers={{"Host": "{host}"}})
    r = c.getresponse()
    body = r.read().decode()
    c.close()
    return r.getheader("X-Cache"), body

try:
    for i in range({count}):
        get(path); get(path)  # cached in nginx before the publish
        page.title = f"{{original}} ({{i}})"
        revision = page.save_revision()
        started = time.monotonic()
        revision.publish()
        published = time.monotonic()
        while True:
            status, body = get(path)
            if f"{{original}} ({{i}})" in body:
                break
            if time.monotonic() - started > 30:
                break
            time.sleep(0.01)
        timings.append((time.monotonic() - started, published - started))
finally:
    page.title = original
    page.save_revision().publish()
print(json.dumps(timings))
"""


class Nginx:
    def __init__(self, env, directory: Path, upstream_port: int):
        self.directory = directory
        self.port = bench.free_port()
        self.purge_port = int(env["FRONTEND_CACHE_NGINX_URL"].rsplit(":", 1)[1])
        subprocess.run(  # noqa: S603 - our own manage.py
            [
                bench.PYTHON,
                "manage.py",
                "front_cache_config",
                "--output",
                str(directory),
                "--listen",
                f"127.0.0.1:{self.port}",
                "--purge-listen",
                f"127.0.0.1:{self.purge_port}",
                "--upstream",
                f"127.0.0.1:{upstream_port}",
            ],
            cwd=REPO,
            env=env,
            check=True,
            capture_output=True,
        )
        self.proc = subprocess.Popen(  # noqa: S603 - nginx with our configuration
            [
                NGINX,
                "-p",
                str(directory),
                "-c",
                str(directory / "nginx.conf"),
                "-e",
                str(directory / "nginx-error.log"),
                "-g",
                "daemon off;",
            ],
            start_new_session=True,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                bench.http_get(self.port, "/healthz/", timeout=1)
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("nginx did not start")

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=10)


def wrk(url: str, connections: int, seconds: int, host: str) -> bench.WrkResult:
    proc = subprocess.run(  # noqa: S603 - wrk on our own servers
        [
            bench.WRK,
            "-t2",
            f"-c{connections}",
            f"-d{seconds}s",
            "--latency",
            "--timeout",
            "30s",
            "-H",
            f"Host: {host}",
            url,
        ],
        capture_output=True,
        text=True,
        timeout=seconds + 60,
    )
    if proc.returncode:
        raise RuntimeError(proc.stderr or proc.stdout)
    return bench.parse_wrk(proc.stdout)


def get(port: int, path: str, host: str) -> tuple[int, dict[str, str], str]:
    import http.client

    c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    c.request("GET", path, headers={"Host": host})
    r = c.getresponse()
    body = r.read().decode(errors="replace")
    c.close()
    return r.status, {k.lower(): v for k, v in r.getheaders()}, body


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--no-fail", action="store_true", help="always exit 0")
    parser.add_argument(
        "--quick", action="store_true", help="shorter runs (make bench --quick)"
    )
    parser.add_argument("--seconds", type=int, default=8, help="per wrk run")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--publishes", type=int, default=PUBLISHES)
    args = parser.parse_args(argv)
    if args.quick:
        args.seconds, args.rounds = min(args.seconds, 3), 1

    work = Path(tempfile.mkdtemp(prefix="front-cache-bench-"))
    purge_port = bench.free_port()
    # Static files are kept between runs (collecting them takes a minute).
    env = environment(REPO / "var" / "front-cache-bench" / "static", purge_port)
    if (
        django(
            env, "from home.models import HomePage; print(HomePage.objects.exists())"
        )
        != "True"
    ):
        log("Loading the demo council (a few minutes) ...")
        bench.manage(env, "load_demo")
    manifest = Path(env["STATIC_ROOT"]) / "staticfiles.json"
    newest_asset = max(
        (
            p.stat().st_mtime
            for p in (REPO / "frontend" / "static").rglob("*")
            if p.is_file()
        ),
        default=0,
    )
    if not manifest.exists() or manifest.stat().st_mtime < newest_asset:
        bench.manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    pages = json.loads(django(env, FIND_PAGES))
    host = pages["host"]
    log(f"pages: {pages}")

    servers, nginx = [], None
    failures: list[str] = []

    def check(ok: bool, text: str) -> None:
        log(("PASS " if ok else "FAIL ") + text)
        if not ok:
            failures.append(text)

    try:
        app = bench.Server("app", env, work)
        app.start()
        servers.append(app)
        uncached = bench.Server("uncached", env | {"PAGE_CACHE_SECONDS": "0"}, work)
        uncached.start()
        servers.append(uncached)
        bare = bench.Server(
            "bare",
            env | {"DJANGO_SETTINGS_MODULE": "tests.benchmarks.bare_settings"},
            work,
        )
        bare.start()
        servers.append(bare)
        nginx = Nginx(env, work / "nginx", app.port)

        targets = [("home", pages["home"]), ("service page", pages["service"])]
        for _label, path in targets:
            for _ in range(3):
                get(nginx.port, path, host)
                get(app.port, path, host)
            status, headers, _ = get(nginx.port, path, host)
            log(
                f"{path}: {status} X-Cache {headers.get('x-cache')}; "
                f"Cache-Control {headers.get('cache-control')}"
            )

        # 1. Throughput, interleaved rounds; the median round counts.
        runs: dict[tuple[str, int], list[bench.WrkResult]] = {}
        jobs = [("bare trivial view", bare.port, "/healthz/")]
        for label, path in targets:
            jobs.append((f"nginx: {label}", nginx.port, path))
            jobs.append((f"gunicorn, in-app cache: {label}", app.port, path))
        for _round in range(args.rounds):
            for connections in CONNECTIONS:
                for label, port, path in jobs:
                    result = wrk(
                        f"http://127.0.0.1:{port}{path}",
                        connections,
                        args.seconds,
                        host,
                    )
                    runs.setdefault((label, connections), []).append(result)
                    for server in servers:
                        server.drain()
        log("")
        log(
            f"{'target':44} {'conn':>4} {'rps':>9} {'p50 ms':>8} {'p99 ms':>8} {'ratio':>6}"
        )
        medians = {}
        for (label, connections), results in runs.items():
            rps = statistics.median(r.rps for r in results)
            p50 = statistics.median(r.p50_ms for r in results)
            p99 = statistics.median(r.p99_ms for r in results)
            medians[(label, connections)] = (rps, p99)
        for (label, connections), (rps, p99) in medians.items():
            base = medians[("bare trivial view", connections)][0]
            p50 = statistics.median(r.p50_ms for r in runs[(label, connections)])
            log(
                f"{label:44} {connections:>4} {rps:>9.0f} {p50:>8.2f} {p99:>8.2f} "
                f"{rps / base:>6.2f}"
            )
        log("")
        for label, _path in targets:
            rps, p99 = medians[(f"nginx: {label}", 64)]
            base = medians[("bare trivial view", 64)][0]
            check(
                rps / base >= MIN_RATIO,
                f"nginx {label} c64: {rps:.0f} rps = {rps / base:.1f}x the bare view "
                f"(target >= {MIN_RATIO:.0f}x)",
            )
            check(
                p99 <= MAX_P99_MS,
                f"nginx {label} c64: p99 {p99:.2f} ms (target <= {MAX_P99_MS:.0f} ms)",
            )

        # 4. Does the in-app page cache still add anything behind nginx? Only for
        # what nginx does not store: pages personalised by segment.
        if pages["personalised"]:
            path = pages["personalised"]
            results = {}
            for label, server in (
                ("in-app cache on", app),
                ("in-app cache off", uncached),
            ):
                get(server.port, path, host)
                results[label] = wrk(server.url(path), 16, args.seconds, host)
                server.drain()
            on, off = results["in-app cache on"], results["in-app cache off"]
            base = medians[("bare trivial view", 16)][0]
            log(
                f"INFO personalised page {path} from gunicorn c16: in-app cache on "
                f"{on.rps:.0f} rps ({on.rps / base:.2f} of bare), off {off.rps:.0f} rps "
                f"({off.rps / base:.2f}): the in-app cache is worth {on.rps / off.rps:.1f}x "
                "on the pages nginx never stores"
            )
            status, headers, _ = get(nginx.port, path, host)
            log(
                f"INFO the same page through nginx: X-Cache {headers.get('x-cache')}, "
                f"Cache-Control {headers.get('cache-control')}"
            )

        # 2. Publish -> fresh.
        code = PUBLISH.format(
            page_id=pages["service_id"],
            port=nginx.port,
            host=host,
            count=args.publishes,
        )
        pairs = json.loads(django(env, code))
        timings = [total for total, _ in pairs]
        publish_calls = [call for _, call in pairs]
        log("")
        log(
            f"publish -> fresh page through nginx over {len(timings)} publishes: "
            f"median {statistics.median(timings) * 1000:.0f} ms, "
            f"max {max(timings) * 1000:.0f} ms (of which Wagtail's publish() itself, "
            f"purges included: median {statistics.median(publish_calls) * 1000:.0f} ms, "
            f"max {max(publish_calls) * 1000:.0f} ms)"
        )
        check(
            max(timings) <= MAX_PUBLISH_SECONDS,
            f"publish -> fresh worst {max(timings):.3f} s "
            f"(target <= {MAX_PUBLISH_SECONDS:.0f} s)",
        )

        # 3. The application stopped.
        for _label, path in targets:
            get(nginx.port, path, host)
        app.stop()
        for label, path in targets:
            result = wrk(f"http://127.0.0.1:{nginx.port}{path}", 16, 3, host)
            ok = result.non_2xx == 0 and result.errors == 0 and result.requests > 0
            check(
                ok,
                f"gunicorn stopped, {label} through nginx: {result.requests} "
                f"requests, {result.non_2xx} not 200, {result.errors} errors",
            )
        status, _headers, body = get(nginx.port, "/account/login/", host)
        check(
            status == 503 and "service is unavailable" in body,
            f"gunicorn stopped, sign-in: {status} "
            f"{'service unavailable page' if 'unavailable' in body else body[:80]}",
        )
    finally:
        if nginx:
            nginx.stop()
        for server in servers:
            server.stop()

    log("")
    if failures:
        log(f"{len(failures)} target(s) missed")
        return 0 if args.no_fail else 1
    log("every target met")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
