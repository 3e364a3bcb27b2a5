"""How exploration scales: what partial-order reduction saves, how exhaustive checks grow with
parties and threads, and what a second worker process buys.

Run ``python -m barrierlab.checker.bench.scaling`` (``--quick`` for tiny sizes). Every figure is
measured in the run that prints it; nothing asserts a timing.

* **Reduction**: the exhaustive DFS with partial-order reduction (``reduction=True``) against
  plain DFS (``reduction=False``, every interleaving) on the same small scenarios, each until
  the tree is exhausted or a cap (schedules or seconds) stops it; a capped count is shown as
  ``>= N``. Every schedule is run and judged, as in a check.
* **Growth**: exhaustive DFS with reduction on scenarios of ``n`` threads each calling
  ``wait()`` once at a barrier of ``p`` parties (threads beyond a multiple of ``p`` stay
  blocked, as the spec allows), time and schedules per (``p``, ``n``), with a time cap.
* **Parallel**: the whole catalogue with the same ``max_schedules`` per scenario, checked
  serially (:func:`barrierlab.checker.api.check`) and by
  :func:`barrierlab.checker.explore.parallel.check_parallel` with 2 worker processes: the same work
  (the test suite checks that the results are equal), wall-clock seconds and the speed-up,
  process start-up included.
"""

from __future__ import annotations

import argparse
import time
from dataclasses import dataclass
from typing import Any

from barrierlab.checker import api
from barrierlab.checker.cli.output import out
from barrierlab.checker.config import Config
from barrierlab.checker.explore.parallel import check_parallel
from barrierlab.checker.explore.scenario_catalogue import SCENARIOS
from barrierlab.checker.explore.search import explore
from barrierlab.checker.runtime.target import load_target
from barrierlab.checker.scenario import Scenario
from barrierlab.checker.schedulers.dfs import DFSScheduler

__all__ = ["Exhaust", "exhaust", "growth", "parallel_speedup", "reduction"]

REDUCTION_SCENARIOS = (
    "single-party",
    "action-fails",
    "timeout",
    "reset-one-waiter",
    "two-generations",
    "abort-with-waiters",
    "three-parties",
    "more-threads-than-parties",
)
TARGET = "threading:Barrier"
_real_monotonic = time.monotonic


@dataclass
class Exhaust:
    """One DFS run to exhaustion (or to a cap)."""

    schedules: int
    exhaustive: bool
    seconds: float
    redundant: int = 0

    @property
    def count(self) -> str:
        return f"{self.schedules:,}" if self.exhaustive else f">= {self.schedules:,}"


def exhaust(
    spec: str,
    scenario: Scenario,
    *,
    reduction: bool = True,
    cap: int = 20_000,
    seconds: float = 60.0,
    line_level: bool = False,
) -> Exhaust:
    """Explore ``scenario`` with DFS until exhausted, ``cap`` schedules or ``seconds``."""
    target = load_target(spec)
    sched = DFSScheduler(reduction=reduction, max_schedules=cap)
    started = time.perf_counter()
    found = explore(
        target,
        scenario,
        sched,
        Config(line_level=line_level),
        deadline=_real_monotonic() + seconds,
    )
    took = time.perf_counter() - started
    return Exhaust(found.schedules, found.exhaustive, took, sched.redundant)


def reduction(
    names=REDUCTION_SCENARIOS, *, spec: str = TARGET, cap: int = 20_000, seconds: float = 60.0
) -> list[tuple[str, Exhaust, Exhaust]]:
    """(scenario, with reduction, plain DFS) for each scenario named."""
    return [
        (
            name,
            exhaust(spec, SCENARIOS[name], reduction=True, cap=cap, seconds=seconds),
            exhaust(spec, SCENARIOS[name], reduction=False, cap=cap, seconds=seconds),
        )
        for name in names
    ]


def reduction_table(rows: list[tuple[str, Exhaust, Exhaust]]) -> list[str]:
    lines = [
        "| scenario | DPOR schedules | s | plain DFS schedules | s | saved |",
        "|---|--:|--:|--:|--:|--:|",
    ]
    for name, dpor, plain in rows:
        if dpor.exhaustive and plain.exhaustive:
            saved = f"{1 - dpor.schedules / plain.schedules:.0%}"
        elif dpor.exhaustive:
            saved = f">= {1 - dpor.schedules / plain.schedules:.0%}"
        else:
            saved = "?"
        lines.append(
            f"| `{name}` | {dpor.count} | {dpor.seconds:.2f} | {plain.count} | "
            f"{plain.seconds:.2f} | {saved} |"
        )
    return lines


def growth(
    parties=(1, 2, 3), threads=(1, 2, 3, 4), *, spec: str = TARGET, seconds: float = 30.0
) -> dict[tuple[int, int], Exhaust]:
    """Exhaustive DFS (reduction on) per (parties, threads): every thread calls wait() once."""
    cells = {}
    for p in parties:
        for n in threads:
            scenario = Scenario.build(f"p{p}-n{n}", parties=p, threads=["wait"] * n)
            cells[p, n] = exhaust(spec, scenario, cap=10**9, seconds=seconds)
    return cells


def growth_table(cells: dict[tuple[int, int], Exhaust]) -> list[str]:
    threads = sorted({n for _, n in cells})
    lines = [
        "| parties \\ threads | " + " | ".join(str(n) for n in threads) + " |",
        "|---|" + "--:|" * len(threads),
    ]
    for p in sorted({p for p, _ in cells}):
        row = [
            f"{cells[p, n].count} in {cells[p, n].seconds:.2f}s" if (p, n) in cells else ""
            for n in threads
        ]
        lines.append(f"| {p} | " + " | ".join(row) + " |")
    return lines


def parallel_speedup(
    *, spec: str = "barrierlab.impl.reference:Barrier", max_schedules: int = 150, workers: int = 2
) -> dict[str, float]:
    """Serial and parallel wall-clock seconds for the same check (see the module docstring)."""
    kwargs: dict[str, Any] = {"max_schedules": max_schedules, "budget": 3600.0}
    started = time.perf_counter()
    serial = api.check(spec, **kwargs)
    serial_s = time.perf_counter() - started
    started = time.perf_counter()
    parallel = check_parallel(spec, workers=workers, **kwargs)
    parallel_s = time.perf_counter() - started
    return {
        "schedules": serial.schedules,
        "parallel_schedules": parallel.schedules,
        "same_verdict": float(serial.verdict == parallel.verdict),
        "serial_s": serial_s,
        "parallel_s": parallel_s,
        "speedup": serial_s / parallel_s,
        "workers": workers,
        "max_schedules": max_schedules,
    }


def parallel_table(p: dict[str, float], spec: str) -> list[str]:
    return [
        "| check | schedules | s | speed-up |",
        "|---|--:|--:|--:|",
        f"| `{spec}`, serial | {p['schedules']:,.0f} | {p['serial_s']:.1f} | 1.00x |",
        f"| `{spec}`, {p['workers']:.0f} worker processes | {p['parallel_schedules']:,.0f} | "
        f"{p['parallel_s']:.1f} | {p['speedup']:.2f}x |",
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m barrierlab.checker.bench.scaling")
    parser.add_argument("--quick", action="store_true", help="tiny sizes (smoke test)")
    args = parser.parse_args(argv)
    if args.quick:
        rows = reduction(("single-party", "action-fails"), cap=50, seconds=5)
        cells = growth((1, 2), (1, 2), seconds=5)
        par = parallel_speedup(max_schedules=2)
    else:
        rows, cells, par = reduction(), growth(), parallel_speedup()
    for line in [
        *reduction_table(rows),
        "",
        *growth_table(cells),
        "",
        *parallel_table(par, "reference"),
    ]:
        out(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
