"""What footprints buy: exhaustive DFS today (every line a scheduling point, dependent with
everything) beside the search with footprints (lines that touch only a thread's own state are
not points; dependence from what each step reads and writes), on the same scenarios.

Run ``python -m barrierlab.checker.bench.reduction`` (``--quick`` for small caps). Both columns
are the exhaustive DFS with partial-order reduction (``DFSScheduler(reduction=True)``); "today"
has ``Config(footprints=False)``. Each runs until the tree is exhausted or a cap (schedules or
seconds) stops it; a capped count is shown as ``>= N``. Where the space is small enough, the
number of Mazurkiewicz classes (interleavings up to equivalence: plain DFS with footprints,
every run's dependent pairs compared) is shown too: the least any search that covers every
class can run. Every schedule is run and judged, as in a check. Nothing asserts a timing.
"""

from __future__ import annotations

import argparse
import time
from dataclasses import dataclass

from barrierlab.checker.cli.output import out
from barrierlab.checker.config import Config
from barrierlab.checker.explore.scenario_catalogue import SCENARIOS
from barrierlab.checker.explore.search import explore
from barrierlab.checker.runtime.launch import run_once
from barrierlab.checker.runtime.target import load_target
from barrierlab.checker.scenario import Scenario
from barrierlab.checker.schedulers.base import dependent, report_blocked
from barrierlab.checker.schedulers.dfs import DFSScheduler
from barrierlab.impl.targets import CORRECT

__all__ = [
    "CAPS_TEXT",
    "CASES",
    "Case",
    "Count",
    "count",
    "main",
    "mazurkiewicz_classes",
    "measure",
    "rows",
]

USER = "barrierlab.impl.user_style:Barrier"
_real_monotonic = time.monotonic


@dataclass(frozen=True)
class Case:
    """One row: a target, a scenario, and whether lines are scheduling points."""

    label: str
    spec: str
    scenario: Scenario
    line_level: bool


def _s(name: str, parties: int, *threads: str) -> Scenario:
    return Scenario.build(name, parties=parties, threads=list(threads))


CASES = (
    Case("user-style barrier, 2 x wait", USER, _s("u1", 2, "wait", "wait"), True),
    Case("user-style barrier, 2 x wait wait", USER, _s("u2", 2, "wait wait", "wait wait"), True),
    Case(
        "threading.Barrier(3), 3 x wait wait",
        "threading:Barrier",
        _s("t3", 3, "wait wait", "wait wait", "wait wait"),
        False,
    ),
    Case(
        "threading.Barrier(2), 4 x wait",
        "threading:Barrier",
        _s("t4", 2, "wait", "wait", "wait", "wait"),
        False,
    ),
)
#: Catalogue scenarios (at most 3 threads) run on every bundled correct alternative.
CATALOGUE = ("two-generations", "three-parties", "action-fails", "timeout", "abort-with-waiters")


@dataclass
class Count:
    """One exhaustive DFS (or as far as the caps let it go)."""

    schedules: int
    exhaustive: bool
    seconds: float

    def __str__(self) -> str:
        return f"{self.schedules:,}" if self.exhaustive else f">= {self.schedules:,}"


def count(case: Case, *, footprints: bool, cap: int, seconds: float) -> Count:
    """Exhaustive DFS with reduction of ``case``, to the end or a cap."""
    target = load_target(case.spec)
    dfs = DFSScheduler(reduction=True, max_schedules=cap)
    config = Config(line_level=case.line_level, footprints=footprints)
    started = time.perf_counter()
    found = explore(target, case.scenario, dfs, config, deadline=_real_monotonic() + seconds)
    took = time.perf_counter() - started
    return Count(found.schedules, found.exhaustive and found.violation is None, took)


def mazurkiewicz_classes(case: Case, *, cap: int) -> int | None:
    """The Mazurkiewicz classes of ``case`` (with footprints), or None past ``cap`` runs."""
    target = load_target(case.spec)
    dfs = DFSScheduler(reduction=False)
    config = Config(line_level=case.line_level, footprints=True)
    seen = set()
    runs = 0
    while dfs.start():
        if runs >= cap:
            return None
        result = run_once(target, case.scenario, dfs, config)
        report_blocked(dfs, result.pending)
        seen.add(_class(dfs.last_run))  # the steps as they ran (quiet: read no time)
        dfs.finish(not result.finished)
        runs += 1
    return len(seen) if dfs.exhaustive else None


def _class(choices) -> tuple:
    counts: dict[int, int] = {}
    ids = []
    for c in choices:
        counts[c.tid] = counts.get(c.tid, -1) + 1
        ids.append((c.tid, counts[c.tid], c.timeout, c.access))
    order = frozenset(
        (ids[i], ids[j])
        for i in range(len(choices))
        for j in range(i + 1, len(choices))
        if choices[i].tid != choices[j].tid and dependent(choices[i], choices[j])
    )
    return frozenset(ids), order


def catalogue_cases() -> list[Case]:
    return [
        Case(f"{info.name}: {name}", info.spec, SCENARIOS[name], True)
        for info in CORRECT
        if info.name != "threading"
        for name in CATALOGUE
    ]


def rows(cases, *, cap: int, seconds: float, class_cap: int):
    """(case, today, with footprints, classes or None) per case."""
    for case in cases:
        today = count(case, footprints=False, cap=cap, seconds=seconds)
        reduced = count(case, footprints=True, cap=cap, seconds=seconds)
        classes = mazurkiewicz_classes(case, cap=class_cap) if class_cap else None
        yield case, today, reduced, classes


def table(results) -> list[str]:
    lines = [
        "| case | level | today: schedules | s | footprints: schedules | s | ratio | classes |",
        "|---|---|--:|--:|--:|--:|--:|--:|",
    ]
    for case, today, reduced, classes in results:
        ratio = today.schedules / max(reduced.schedules, 1)
        sign = ">= " if reduced.exhaustive and not today.exhaustive else ""
        if not reduced.exhaustive:
            sign = "? " if not today.exhaustive else "<= "
        lines.append(
            f"| {case.label} | {'line' if case.line_level else 'sync'} | {today} | "
            f"{today.seconds:.1f} | {reduced} | {reduced.seconds:.1f} | {sign}{_times(ratio)} | "
            f"{'' if classes is None else f'{classes:,}'} |"
        )
    return lines


#: The caps of :func:`measure` (a full run), as the benchmark document states them.
CAPS_TEXT = (
    "Each search stops when the tree is exhausted, or at 60 s (the headline cases) or 15 s "
    "(each bundled correct alternative on catalogue scenarios of at most 3 threads); a capped "
    "count is `>= N`."
)


def measure(*, quick: bool = False):
    """The rows of the benchmark document (:func:`rows`), at the caps :data:`CAPS_TEXT` says;
    ``quick``: the first case only, at tiny caps."""
    if quick:
        yield from rows(CASES[:1], cap=100, seconds=3.0, class_cap=0)
        return
    yield from rows(CASES, cap=200_000, seconds=60.0, class_cap=300)
    yield from rows(catalogue_cases(), cap=200_000, seconds=15.0, class_cap=0)


def _times(ratio: float) -> str:
    """``1,241x``; a ratio under 10 with one decimal (``0.5x``: the reduced search ran more)."""
    return f"{ratio:,.0f}x" if ratio >= 10 else f"{ratio:.1f}x"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m barrierlab.checker.bench.reduction")
    parser.add_argument("--quick", action="store_true", help="small caps, headline cases only")
    parser.add_argument("--no-catalogue", action="store_true", help="skip the alternatives")
    parser.add_argument("--seconds", type=float, help="time cap per search (default 120)")
    args = parser.parse_args(argv)
    cap, seconds, class_cap = (2_000, 10.0, 500) if args.quick else (200_000, 120.0, 3_000)
    seconds = args.seconds or seconds
    cases = list(CASES)
    if not (args.quick or args.no_catalogue):
        cases += catalogue_cases()
    out("Exhaustive DFS (DPOR) today vs with footprints; capped counts shown as >= N.")
    results = []
    for result in rows(cases, cap=cap, seconds=seconds, class_cap=class_cap):
        results.append(result)
        out(table([result])[-1])
    out()
    for line in table(results):
        out(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
