"""Personalised pages against the same page unpersonalised, served by gunicorn.

    .venv/bin/python tests/benchmarks/personalisation_bench.py [--rounds 3] [--duration 10]
    .venv/bin/python tests/benchmarks/personalisation_bench.py --quick   # 3s runs, 1 round

Loads the demo into the benchmark database, defines 10 segments (one matches
visitors arriving from a search engine, by their Referer), puts a personalised block
for that segment on a service page and keeps an identical copy without it, then
serves the site from two gunicorn servers (page cache on, and off) and measures with
wrk at 16 connections, in interleaved rounds:

* the trivial view (``/healthz/``),
* the unpersonalised page: cached, and uncached,
* the personalised page for a visitor in the segment: uncached, and from the page
  cache (the per-segment copy),
* a page with a whole-page variant for that segment, the variant from the page cache
  (its per-segment copy),
* the personalised page signed in as a demo resident, with 10 segments defined.

Targets (one PASS/FAIL line each; exit 1 when one fails, ``--no-fail`` to
explore): personalised ≥ 0.9× the same page unpersonalised
(both uncached); the per-segment cached copy ≥ 0.8× the anonymous cached page; the
anonymous cached page ≥ 50% of the trivial view with segments defined. Shares the
lock, database and Redis database of ``run.py`` (one benchmark at a time).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run  # noqa: E402

SETUP = r"""
from django.contrib.sessions.backends.base import SessionBase
from django.conf import settings
from django.contrib.auth import get_user_model, SESSION_KEY, BACKEND_SESSION_KEY, HASH_SESSION_KEY
from importlib import import_module
from services.models import ServicePage
from wagtail_personalisation.models import Segment
from wagtail_personalisation.rules import ReferralRule, QueryRule, DeviceRule, TimeRule
import datetime

page = ServicePage.objects.live().get(slug="@@SLUG@@")
plain = page.copy(update_attrs={"slug": "bench-plain-copy", "title": page.title + " (copy)"}, keep_live=True)
search = Segment.objects.create(name="From a search engine")
ReferralRule.objects.create(segment=search, regex_string=r"google\.")
for n in range(9):
    other = Segment.objects.create(name=f"Campaign {n}")
    QueryRule.objects.create(segment=other, parameter="utm_campaign", value=f"c{n}")
    DeviceRule.objects.create(segment=other, mobile=True)
body = list(page.body.raw_data)
body.insert(0, {"type": "personalised", "value": {"segment": str(search.pk),
    "content": [{"type": "paragraph", "value": "<p>You searched for help with bins.</p>"}],
    "fallback": [{"type": "paragraph", "value": "<p>Help with bins.</p>"}]}})
page.body = body
page.save_revision().publish()
plain_body = list(plain.body.raw_data)
plain_body.insert(0, {"type": "paragraph", "value": "<p>Help with bins.</p>"})
plain.body = plain_body
plain.save_revision().publish()
User = get_user_model()
user = User.objects.filter(is_superuser=False).exclude(groups__name__in=["Editors", "Moderators"]).first() or User.objects.create_user("bench-resident", "bench@example.com", "pw")
store = import_module(settings.SESSION_ENGINE).SessionStore()
store[SESSION_KEY] = str(user.pk)
store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
store[HASH_SESSION_KEY] = user.get_session_auth_hash()
store.save()
varied = plain.copy(update_attrs={"slug": "bench-variant-page", "title": page.title + " (variant)"}, keep_live=True)
variant = varied.personalisation_metadata.copy_for_segment(search).specific
variant.body = plain_body[:1] + [{"type": "paragraph", "value": "<p>The variant for searchers.</p>"}] + plain_body[1:]
variant.save_revision().publish()
print("@@", page.url_path, plain.url_path, page.get_site().root_page.url_path, store.session_key, varied.url_path)
"""


def wrk(url: str, headers: dict[str, str], duration: int) -> run.WrkResult:
    args = ["wrk", "-t2", "-c16", f"-d{duration}s", "--latency", "--timeout", "30s"]
    for name, value in headers.items():
        args += ["-H", f"{name}: {value}"]
    proc = subprocess.run(
        [*args, url], capture_output=True, text=True, timeout=duration + 60
    )
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr or proc.stdout)
    return run.parse_wrk(proc.stdout)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="3s runs, one round")
    parser.add_argument(
        "--page",
        default="report-a-missed-bin-collection",
        help="slug of the demo service page to personalise and copy",
    )
    parser.add_argument("--rounds", type=int, help="default 3; --quick 1")
    parser.add_argument("--duration", type=int, help="seconds per run: 10; --quick 3")
    run.report.add_arguments(parser)
    args = parser.parse_args(argv)
    args.rounds = args.rounds or (1 if args.quick else 3)
    args.duration = args.duration or (3 if args.quick else 10)
    lock = run.take_lock()
    if lock is None:
        return 2
    workdir = Path(tempfile.mkdtemp(prefix="guildhall-pbench-"))
    env = run.bench_env(workdir / "static", workdir / "media")
    run.recreate_database()
    run.flush_redis()
    setup_env = {**env, "CELERY_TASK_ALWAYS_EAGER": "True"}
    run.manage(setup_env, "migrate", "--noinput")
    run.manage(setup_env, "load_demo", "--no-index")
    run.manage(setup_env, "collectstatic", "--noinput")
    output = run.manage(setup_env, "shell", "-c", SETUP.replace("@@SLUG@@", args.page))
    line = next(x for x in output.splitlines() if x.startswith("@@"))
    _, page_path, plain_path, root_path, session_key, varied_path = line.split()
    page = "/" + page_path[len(root_path) :]
    plain = "/" + plain_path[len(root_path) :]
    varied = "/" + varied_path[len(root_path) :]
    servers = {
        "cached": run.Server("cached", env, workdir),
        "uncached": run.Server("uncached", {**env, "PAGE_CACHE_SECONDS": "0"}, workdir),
    }
    referer = {"Referer": "https://www.google.com/search?q=missed+bin"}
    signed_in = {"Cookie": f"sessionid={session_key}"}
    scenarios = [
        ("trivial view", "cached", "/healthz/", {}),
        ("plain page, cached", "cached", plain, {}),
        ("plain page, uncached", "uncached", plain, {}),
        ("personalised, in segment, uncached", "uncached", page, referer),
        ("personalised, segment copy from cache", "cached", page, referer),
        ("page variant, segment copy from cache", "cached", varied, referer),
        ("personalised, signed in, 10 segments", "uncached", page, signed_in),
    ]
    figures: dict[str, list[float]] = {name: [] for name, *_ in scenarios}
    p99: dict[str, list[float]] = {name: [] for name, *_ in scenarios}
    try:
        for server in servers.values():
            server.start()
        for _name, mode, path, headers in scenarios:  # warm up
            wrk(servers[mode].url(path), headers, 2)
            servers[mode].drain()
        for round_ in range(args.rounds):
            for name, mode, path, headers in scenarios:
                result = wrk(servers[mode].url(path), headers, args.duration)
                servers[mode].drain()
                figures[name].append(result.rps)
                p99[name].append(result.p99_ms)
                run.log(f"  round {round_ + 1} {name:42s} {result.rps:8.1f} rps")
    finally:
        for server in servers.values():
            server.stop()
        run.flush_redis()
        lock.close()
    rps = {name: statistics.median(values) for name, values in figures.items()}
    trivial = rps["trivial view"]
    run.log("\nResults (median rps over rounds, ratio to the trivial view)")
    for name, _mode, _path, _headers in scenarios:
        run.log(
            f"  {name:42s} {rps[name]:8.1f} rps  p99 {statistics.median(p99[name]):7.1f} ms"
            f"  {rps[name] / trivial:6.3f}"
        )

    targets = run.Targets("personalisation (personalisation_bench.py)", log=run.log)
    for name, over, minimum in [
        (
            "personalised / unpersonalised (uncached)",
            rps["personalised, in segment, uncached"] / rps["plain page, uncached"],
            0.9,
        ),
        (
            "segment copy from cache / anonymous cached",
            rps["personalised, segment copy from cache"] / rps["plain page, cached"],
            0.8,
        ),
        (
            "page variant from cache / anonymous cached",
            rps["page variant, segment copy from cache"] / rps["plain page, cached"],
            0.8,
        ),
        (
            "anonymous cached with segments defined / trivial view",
            rps["plain page, cached"] / trivial,
            0.5,
        ),
    ]:
        targets.add(over >= minimum, name, f"{over:.2f}", f">= {minimum}")
    return targets.finish(args)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
