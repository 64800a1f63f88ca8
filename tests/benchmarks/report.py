"""What every benchmark reports: one PASS/FAIL line per target, and its exit status.

A benchmark records each target as it measures it, with the figure it got and the
target it had to meet, and ends with ``targets.finish(args)``::

    targets = report.Targets("search")
    targets.add(p99 <= 300, "p99 at c16", f"{p99:.1f} ms", "<= 300 ms")
    ...
    return targets.finish(args)

``finish`` prints the summary (one line per target, then a count) and returns the
exit status: 1 when a target failed, 0 when every target was met. ``--no-fail``
(added to a benchmark's parser by ``add_arguments``) prints the same lines and exits
0, for exploring figures without stopping ``make bench``.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--no-fail",
        action="store_true",
        help="exit 0 even when a target fails (for exploring the figures)",
    )


@dataclass(frozen=True)
class Target:
    ok: bool
    name: str
    figure: str
    target: str

    def line(self) -> str:
        return f"  {'PASS' if self.ok else 'FAIL'}  {self.name}: {self.figure}" + (
            f" (target {self.target})" if self.target else ""
        )


class Targets:
    def __init__(self, benchmark: str, log=print) -> None:
        self.benchmark = benchmark
        self.log = log
        self.results: list[Target] = []

    def add(self, ok: bool, name: str, figure: str = "", target: str = "") -> bool:
        """Record one target: ``name`` (what), ``figure`` (what was measured),
        ``target`` (what it had to be, as in ">= 3%")."""
        self.results.append(Target(bool(ok), name, figure, target))
        return bool(ok)

    @property
    def failed(self) -> list[Target]:
        return [t for t in self.results if not t.ok]

    def summary(self) -> list[str]:
        failed = len(self.failed)
        return [
            f"\nTargets: {self.benchmark}",
            *(t.line() for t in self.results),
            f"  {self.benchmark}: {len(self.results) - failed} of "
            f"{len(self.results)} targets met, {failed} failed",
        ]

    def finish(self, args: argparse.Namespace | None = None) -> int:
        """Print the summary; the exit status (1 on a failed target unless
        ``--no-fail``; 1 too when nothing was measured)."""
        for line in self.summary():
            self.log(line)
        if not self.results:
            self.log(f"  {self.benchmark}: no target was measured")
            return 1
        if self.failed and getattr(args, "no_fail", False):
            self.log("  (--no-fail: exiting 0 anyway)")
            return 0
        return 1 if self.failed else 0
