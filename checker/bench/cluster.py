"""Spreading a check: local processes and Dask, side by side in one run.

Run ``python -m barrierlab.checker.bench.cluster`` (``--quick`` for tiny sizes, without Dask;
Dask rows need ``pip install 'barrierlab[dask]'`` and are left out without it). Measured on
this machine:

* **one scenario split by schedule prefix**: an exhaustive DFS of one scenario, unsplit in this
  process, then split at a prefix depth into subtrees run by 1 and 2 worker processes and by a
  Dask LocalCluster of 2 workers: wall seconds, schedules, and the speed-up over 1 worker;
* **a whole check**: every catalogue scenario with a fixed number of schedules each, on 1 and 2
  worker processes and on Dask with 2 workers;
* **overhead per task**: many one-schedule tasks, seconds per task for each executor.

Worker start-up is counted (a pool or cluster is started for each row), as a user pays it.
Nothing here asserts a timing: these machines are shared and noisy.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from barrierlab.checker import api
from barrierlab.checker.cli.output import out
from barrierlab.checker.explore.check import CheckResult
from barrierlab.checker.explore.parallel import check_parallel
from barrierlab.checker.scenario import Scenario

__all__ = ["Row", "measure", "table"]

TARGET = "threading:Barrier"


@dataclass(frozen=True)
class Row:
    """One measured configuration."""

    case: str
    how: str
    seconds: float
    schedules: int
    tasks: int = 0


def _dask() -> bool:
    try:
        import distributed  # noqa: F401
    except ImportError:
        return False
    return True


def _timed(run: Callable[[], CheckResult]) -> tuple[float, CheckResult]:
    started = time.perf_counter()
    result = run()
    return time.perf_counter() - started, result


def measure(quick: bool = False) -> list[Row]:
    """Every row of this benchmark, measured now (``quick``: tiny sizes, no Dask rows)."""
    from barrierlab.checker.explore.cluster import check_on_dask

    dask = _dask() and not quick
    rows: list[Row] = []
    scenario = ["single-party-abort"] if quick else ["three-parties"]
    depth = 3 if quick else 5
    split: dict[str, Any] = {
        "scheduler": "dfs",
        "scenarios": scenario,
        "line_level": False,
        "budget": 3_600,
        "split_depth": depth,
    }
    case = f"{TARGET} {scenario[0]}, exhaustive DFS"
    seconds, whole = _timed(
        lambda: api.check(
            TARGET, scheduler="dfs", scenarios=scenario, line_level=False, budget=3_600
        )
    )
    rows.append(Row(case, "unsplit, this process", seconds, whole.schedules, 1))
    for workers in (1, 2):
        seconds, result = _timed(partial(check_parallel, TARGET, workers=workers, **split))
        rows.append(
            Row(case, f"split at depth {depth}, {workers} process(es)", seconds, result.schedules)
        )
    if dask:
        seconds, result = _timed(lambda: check_on_dask(TARGET, workers=2, **split))
        rows.append(Row(case, f"split at depth {depth}, Dask 2 workers", seconds, result.schedules))
    per = 3 if quick else 300
    whole_check: dict[str, Any] = {"max_schedules": per, "budget": 3_600}
    case = f"{TARGET} whole catalogue, {per} schedules/scenario"
    for workers in (1, 2):
        seconds, result = _timed(partial(check_parallel, TARGET, workers=workers, **whole_check))
        rows.append(Row(case, f"{workers} process(es)", seconds, result.schedules))
    if dask:
        seconds, result = _timed(lambda: check_on_dask(TARGET, workers=2, **whole_check))
        rows.append(Row(case, "Dask 2 workers", seconds, result.schedules))
    tasks = 6 if quick else 200
    lone = [Scenario.build(f"lone-{i}", parties=1, threads=["wait"]) for i in range(tasks)]
    tiny: dict[str, Any] = {"max_schedules": 1, "budget": 3_600, "scenarios": lone}
    case = f"overhead: {tasks} one-schedule tasks"
    seconds, result = _timed(lambda: check_parallel(TARGET, workers=2, **tiny))
    rows.append(Row(case, "2 processes", seconds, result.schedules, tasks))
    if dask:
        seconds, result = _timed(lambda: check_on_dask(TARGET, workers=2, **tiny))
        rows.append(Row(case, "Dask 2 workers", seconds, result.schedules, tasks))
    return rows


def table(rows: list[Row]) -> list[str]:
    """The rows as Markdown table lines, with the speed-up over the case's 1-worker row."""
    lines = [
        "| case | how | seconds | schedules | speed-up vs 1 worker | per task |",
        "|---|---|---|---|---|---|",
    ]
    base: dict[str, float] = {}
    for row in rows:
        if "1 process" in row.how:
            base[row.case] = row.seconds
    for row in rows:
        one = base.get(row.case)
        ratio = f"{one / row.seconds:.2f}x" if one and row.seconds else ""
        per = f"{row.seconds / row.tasks * 1e3:.1f} ms" if row.tasks > 1 else ""
        lines.append(
            f"| {row.case} | {row.how} | {row.seconds:.2f} | {row.schedules:,} | {ratio} | {per} |"
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m barrierlab.checker.bench.cluster")
    parser.add_argument("--quick", action="store_true", help="tiny sizes (smoke test)")
    args = parser.parse_args(argv)
    for line in table(measure(args.quick)):
        out(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
