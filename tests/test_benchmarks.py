"""A benchmark whose target is not met exits 1, so ``make bench`` (and anything
else that runs one) fails; ``--no-fail`` prints the same lines and exits 0.

The benchmarks themselves need PostgreSQL, Redis, gunicorn and wrk and take
minutes; what decides their exit status is ``tests/benchmarks/report.py``, which a
small script here drives exactly as a benchmark does.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parent / "benchmarks"

SCRIPT = """
import argparse, sys
sys.path.insert(0, {benchmarks!r})
import report

parser = argparse.ArgumentParser()
report.add_arguments(parser)
args = parser.parse_args()
targets = report.Targets("example")
targets.add(True, "queries per page", "12", "<= 20")
targets.add({p99} <= 300, "p99 at c16", "{p99:.1f} ms", "<= 300 ms")
sys.exit(targets.finish(args))
"""


def run_benchmark(tmp_path, p99: float, *args: str) -> subprocess.CompletedProcess:
    script = tmp_path / "example_bench.py"
    script.write_text(SCRIPT.format(benchmarks=str(BENCHMARKS), p99=p99))
    return subprocess.run(
        [sys.executable, str(script), *args],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_an_unmet_target_exits_1_with_a_fail_line_naming_figure_and_target(tmp_path):
    result = run_benchmark(tmp_path, 412.0)
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert "  PASS  queries per page: 12 (target <= 20)" in lines
    assert "  FAIL  p99 at c16: 412.0 ms (target <= 300 ms)" in lines
    assert "  example: 1 of 2 targets met, 1 failed" in lines


def test_every_target_met_exits_0(tmp_path):
    result = run_benchmark(tmp_path, 120.0)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "  example: 2 of 2 targets met, 0 failed" in result.stdout.splitlines()


def test_no_fail_prints_the_failure_and_exits_0(tmp_path):
    result = run_benchmark(tmp_path, 412.0, "--no-fail")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "  FAIL  p99 at c16: 412.0 ms (target <= 300 ms)" in result.stdout


@pytest.mark.parametrize(
    "name",
    [
        "run.py",
        "myaccount_bench.py",
        "personalisation_bench.py",
        "search_bench.py",
        "cases_bench.py",
    ],
)
def test_every_benchmark_offers_no_fail(name):
    result = subprocess.run(
        [sys.executable, str(BENCHMARKS / name), "--help"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "--no-fail" in result.stdout
