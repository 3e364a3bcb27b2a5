"""Spreading a check: local processes and Dask, side by side in one run.

Run ``python -m barrierlab.checker.bench.cluster`` (``--quick`` for tiny sizes, without Dask;
Dask rows need ``pip install 'barrierlab[dask]'`` and are left out without it). Measured on
this machine:

* **one scenario split by schedule prefix**: an exhaustive DFS of one scenario (4 threads
  calling ``wait()`` once, parties 1: 888 schedules with reduction), unsplit in this process,
  then split at a prefix depth into subtrees run by 1 and 2 worker processes (2 also without
  re-splitting, to show what handing out parts of big subtrees brings) and by a Dask
  LocalCluster of 1 and 2 workers: wall seconds, schedules, and the speed-up over the same
  work on one worker;
* **a whole check**: every catalogue scenario with a fixed number of schedules each, serially in
  this process, on 1 and 2 worker processes and on Dask with 1 and 2 workers (a LocalCluster
  started by the check, as ``--executor dask``), and on a Dask cluster of 1 and 2 workers
  already running (as ``--dask-address``: its start is not the check's);
* **overhead per task**: many one-schedule tasks, seconds per task for each executor.

Each row is the fastest of three runs of the same work (the one the machine's other load slowed
least), and gives the 1-minute load average just after it: on a shared machine a speed-up
means little without it.

Worker start-up is counted (a pool or cluster is started for each row, except the running
cluster's), as a user pays it.
Nothing here asserts a timing: these machines are shared and noisy.
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
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
    """One measured configuration, with the 1-minute load average just after it."""

    case: str
    how: str
    seconds: float
    schedules: int
    tasks: int = 0
    load: float = 0.0
    #: The row of the same case this one's speed-up is against ("" for none).
    against: str = ""


def _dask() -> bool:
    try:
        import distributed  # noqa: F401
    except ImportError:
        return False
    return True


def _load() -> float:
    try:
        return os.getloadavg()[0]
    except OSError:
        return 0.0


def _timed(run: Callable[[], CheckResult]) -> tuple[float, CheckResult]:
    started = time.perf_counter()
    result = run()
    return time.perf_counter() - started, result


@contextmanager
def _running_cluster(workers: int) -> Iterator[str]:
    """The address of a Dask LocalCluster of ``workers`` workers, up and ready for the ``with``
    block, as one started by ``dask scheduler`` / ``dask worker`` (the check's own set-up)."""
    from barrierlab.checker.explore.cluster import dask_executor

    with dask_executor(workers=workers) as cluster:
        yield cluster.client.scheduler.address


def _row(
    case: str,
    how: str,
    run: Callable[[], CheckResult],
    against: str = "",
    tasks: int = 0,
    repeat: int = 1,
):
    """``run`` timed ``repeat`` times: the fastest (the one the machine's other load slowed
    least; every repetition does the same work)."""
    timed = [_timed(run) for _ in range(repeat)]
    seconds, result = min(timed, key=lambda t: t[0])
    return Row(case, how, seconds, result.schedules, tasks, _load(), against)


#: The split scenario: 4 threads calling wait() once, parties 1 (888 schedules to exhaust).
SPLIT_SCENARIO = Scenario.build("four-waits", parties=1, threads=["wait"] * 4)


def measure(quick: bool = False) -> list[Row]:
    """Every row of this benchmark, measured now (``quick``: tiny sizes, no Dask rows)."""
    from barrierlab.checker.explore.cluster import check_on_dask

    dask = _dask() and not quick
    # the fastest of 3 (the machine is shared): every row alike
    row = partial(_row, repeat=1 if quick else 3)
    rows: list[Row] = []
    scenario = Scenario.build("two-waits", parties=1, threads=["wait"] * 2) if quick else None
    chosen = [scenario or SPLIT_SCENARIO]
    depth = 2 if quick else 3
    split: dict[str, Any] = {
        "scheduler": "dfs",
        "scenarios": chosen,
        "line_level": False,
        "budget": 3_600,
        "split_depth": depth,
    }
    case = f"{TARGET} {chosen[0].to_args()}, exhaustive DFS"
    one, two = f"split at depth {depth}, 1 process", f"split at depth {depth}, 2 processes"
    serial = "unsplit, this process"
    rows.append(
        row(
            case,
            serial,
            lambda: api.check(
                TARGET, scheduler="dfs", scenarios=chosen, line_level=False, budget=3_600
            ),
        )
    )
    rows.append(row(case, one, partial(check_parallel, TARGET, workers=1, **split), serial))
    rows.append(
        row(
            case,
            f"{two}, no re-split",
            partial(check_parallel, TARGET, workers=2, resplit_after=0, **split),
            one,
        )
    )
    rows.append(row(case, two, partial(check_parallel, TARGET, workers=2, **split), one))
    if dask:
        dask_one = f"split at depth {depth}, Dask 1 worker"
        rows.append(row(case, dask_one, lambda: check_on_dask(TARGET, workers=1, **split), one))
        rows.append(
            row(
                case,
                f"split at depth {depth}, Dask 2 workers",
                lambda: check_on_dask(TARGET, workers=2, **split),
                dask_one,
            )
        )
    per = 3 if quick else 1_500
    whole_check: dict[str, Any] = {"max_schedules": per, "budget": 3_600}
    case = f"{TARGET} whole catalogue, {per} schedules/scenario"
    rows.append(
        row(case, serial.replace("unsplit, ", ""), lambda: api.check(TARGET, **whole_check))
    )
    rows.append(
        row(
            case,
            "1 process",
            partial(check_parallel, TARGET, workers=1, **whole_check),
            "this process",
        )
    )
    rows.append(
        row(
            case,
            "2 processes",
            partial(check_parallel, TARGET, workers=2, **whole_check),
            "1 process",
        )
    )
    if dask:
        rows.append(
            row(
                case,
                "Dask 1 worker",
                lambda: check_on_dask(TARGET, workers=1, **whole_check),
                "1 process",
            )
        )
        rows.append(
            row(
                case,
                "Dask 2 workers",
                lambda: check_on_dask(TARGET, workers=2, **whole_check),
                "Dask 1 worker",
            )
        )
        # the --dask-address use: the cluster is up before the check, its start not counted
        for n in (1, 2):
            with _running_cluster(n) as address:
                rows.append(
                    row(
                        case,
                        f"running Dask cluster, {n} worker{'s' if n > 1 else ''}",
                        lambda: check_on_dask(TARGET, address=address, **whole_check),
                        "" if n == 1 else "running Dask cluster, 1 worker",
                    )
                )
    tasks = 6 if quick else 200
    lone = [Scenario.build(f"lone-{i}", parties=1, threads=["wait"]) for i in range(tasks)]
    tiny: dict[str, Any] = {"max_schedules": 1, "budget": 3_600, "scenarios": lone}
    case = f"overhead: {tasks} one-schedule tasks"
    rows.append(
        row(case, "2 processes", lambda: check_parallel(TARGET, workers=2, **tiny), tasks=tasks)
    )
    if dask:
        rows.append(
            row(
                case,
                "Dask 2 workers",
                lambda: check_on_dask(TARGET, workers=2, **tiny),
                tasks=tasks,
            )
        )
    return rows


def _workers(how: str) -> int:
    return 2 if "2 processes" in how or "2 workers" in how else 1


def table(rows: list[Row]) -> list[str]:
    """The rows as Markdown table lines: the speed-up of each row over the row it names
    (the same work on one worker), seconds per task, and the load average after it.

    A speed-up above the ratio of workers cannot come from the work (the extra workers can at
    most add their cores): it is marked, as the sign that the machine's other load changed
    between the two rows. A row that ran another number of schedules than the row it is
    compared with is marked too.
    """
    lines = [
        "| case | how | s | schedules | speed-up | per task | load |",
        "|---|---|--:|--:|---|--:|--:|",
    ]
    by_how = {(row.case, row.how): row for row in rows}
    notes: set[str] = set()
    for row in rows:
        base = by_how.get((row.case, row.against))
        ratio = ""
        if base is not None and row.seconds:
            ratio = f"{base.seconds / row.seconds:.2f}x vs {row.against}"
            if base.seconds / row.seconds > 1.05 * _workers(row.how) / _workers(base.how):
                ratio += " (a)"
                notes.add("a")
            if base.schedules != row.schedules:
                ratio += " (b)"
                notes.add("b")
        per = f"{row.seconds / row.tasks * 1e3:.1f} ms" if row.tasks > 1 else ""
        lines.append(
            f"| {row.case} | {row.how} | {row.seconds:.2f} | {row.schedules:,} | {ratio} | "
            f"{per} | {row.load:.2f} |"
        )
    if "a" in notes:
        lines += [
            "",
            "(a) More than the added workers can give: the machine's other load changed between "
            "the two rows, so this ratio measures the load, not the spreading.",
        ]
    if "b" in notes:
        lines += [
            "",
            "(b) Another number of schedules than the row it is compared with, which should not "
            "happen under a fixed schedule count: a run cut short (the watchdog, under load) "
            "can end a scenario early; the ratio compares unequal work.",
        ]
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
