"""``python -m barrierlab.checker.bench``: every benchmark in one run, written to ``reports/``.

Prints the tables and writes ``reports/benchmarks.md`` (with the machine facts and the command
that regenerates it), ``reports/baseline.md`` (the bug-finding table, measured in the same run)
and two SVG plots, ``reports/bench-growth.svg`` and ``reports/bench-reduction.svg``. The parts:

1. bug finding (:mod:`.baseline`): CPython's own BarrierTests against every seeded bug, beside
   a default ``barrierlab check``;
2. a peer explorer (:mod:`.peer`): frontrun on each bug's scenario, beside barrierlab;
   and the catalogue alone against the catalogue plus synthesis (:mod:`.synthesis`);
3. speed (:mod:`.speed`, :mod:`.scaling`): the raw OS-thread hand-off, the cost of a step,
   steps and schedules per second; reduction against plain DFS; growth with parties and
   threads;
4. parallel (:mod:`.scaling`, :mod:`.cluster`): the catalogue checked serially and over 2 worker
   processes; one scenario split by schedule prefix; processes against Dask.

``--quick`` runs everything at tiny sizes on one bug (the smoke test); its output goes to
``--out`` like the full run, so give it a scratch directory. Takes about 40 minutes in full
on a 2-core machine, most of it CPython's suite waiting on real time. Nothing asserts a timing.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

from barrierlab.checker.bench import baseline, cluster, peer, scaling, speed
from barrierlab.checker.bench import synthesis as synthesis_bench
from barrierlab.checker.bench.charts import bar_chart, line_chart
from barrierlab.checker.cli.output import err, out
from barrierlab.checker.report.write import atomic_write
from barrierlab.impl.targets import BUGS

COMMAND = "python -m barrierlab.checker.bench"
QUICK_BUGS = ("index_off_by_one",)


def machine() -> str:
    model = ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            model = next((x.split(":", 1)[1].strip() for x in f if x.startswith("model name")), "")
    except OSError:
        pass
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return (
        f"{cores} cores{f' ({model})' if model else ''}, Python {platform.python_version()} "
        f"({platform.python_implementation()}), {platform.system()} {platform.release()}"
    )


def growth_svg(cells: dict[tuple[int, int], scaling.Exhaust]) -> str:
    series: dict[str, list] = {}
    for (p, n), e in sorted(cells.items()):
        series.setdefault(f"parties={p}", []).append((n, max(e.seconds, 1e-3), not e.exhaustive))
    return line_chart(
        series,
        title="Exhaustive check (DPOR) of n threads calling wait() once",
        xlabel="threads",
        ylabel="seconds (log)",
    )


def reduction_svg(rows) -> str:
    groups = [
        (name, [(d.schedules, not d.exhaustive), (p.schedules, not p.exhaustive)])
        for name, d, p in rows
    ]
    return bar_chart(
        groups,
        ["with reduction", "plain DFS"],
        title="Schedules to exhaust a scenario (threading.Barrier)",
        ylabel="schedules (log)",
    )


def _section(title: str, intro: str, lines: list[str]) -> list[str]:
    return [f"## {title}", "", intro, "", *lines, ""]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=COMMAND, description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes, one bug (smoke test)")
    parser.add_argument("--out", type=Path, default=Path("reports"), help="output directory")
    parser.add_argument("--cap", type=float, default=60.0, help="CPython suite cap (s)")
    parser.add_argument("--peer-cap", type=float, default=30.0, help="frontrun cap (s)")
    parser.add_argument(
        "--without-peer",
        action="store_true",
        help="write the report even though frontrun is missing (its section then has no numbers)",
    )
    args = parser.parse_args(argv)
    quick = args.quick
    command, why = peer.frontrun_command()
    if command is None and not (quick or args.without_peer):
        err(f"{COMMAND}: {why}; install it, or pass --without-peer to write the report anyway")
        return 2
    bugs = [b for b in BUGS if b.name in QUICK_BUGS] if quick else list(BUGS)
    suite_cap = min(args.cap, 20.0) if quick else args.cap
    started = time.perf_counter()

    err("speed ...")
    figures = speed.measure(quick)
    err("reduction ...")
    if quick:
        red = scaling.reduction(("single-party", "action-fails"), cap=50, seconds=5)
        cells = scaling.growth((1, 2), (1, 2), seconds=5)
    else:
        red = scaling.reduction()
        cells = scaling.growth()
    err("parallel ...")
    par = scaling.parallel_speedup(max_schedules=2 if quick else 150)
    err("cluster ...")
    spread = cluster.measure(quick)
    err("baseline ...")
    rows = baseline.measure(
        bugs,
        cap=suite_cap,
        budget=10.0 if quick else None,
        on_row=lambda r: err(f"  {r.info.name}: suite {r.suite.status}"),
    )
    err("peer ...")
    peer_rows, about = peer.measure(
        bugs,
        cap=5.0 if quick else args.peer_cap,
        calibration_cap=5.0 if quick else 20.0,
        on_row=lambda r: err(f"  {r.info.name}: frontrun {r.frontrun.get('status')}"),
    )
    err("synthesis ...")
    synth_budget = 6.0 if quick else 45.0
    synth_rows = synthesis_bench.measure(
        bugs, synth_budget, on_row=lambda r: err(f"  {r[0].name}: with synthesis {r[2].where}")
    )
    total = time.perf_counter() - started

    args.out.mkdir(parents=True, exist_ok=True)
    atomic_write(args.out / "bench-growth.svg", growth_svg(cells))
    atomic_write(args.out / "bench-reduction.svg", reduction_svg(red))
    atomic_write(
        args.out / "baseline.md",
        baseline.report(rows, cap=suite_cap, budget=10.0 if quick else None),
    )
    ref = "barrierlab.impl.reference:Barrier"
    doc = [
        "# Benchmarks",
        "",
        f"Measured in one run of `{COMMAND}`{' --quick' if quick else ''} "
        f"({total / 60:.0f} min), on {machine()}. Regenerate with `{COMMAND}` from the "
        "repository root, with the `bench` extra installed (`pip install -e '.[bench]'`) for "
        "the frontrun comparison. The machine is shared (other work ran beside this run) and "
        "noisy: read the figures as orders of magnitude; nothing in CI depends on them.",
        "",
        *_section(
            "1. Bug finding: CPython's own tests against barrierlab",
            f"**{baseline.summary(rows)}** The same table, with how it is counted, is in "
            "[baseline.md](baseline.md). CPython's suite: `test.lock_tests.BarrierTests` on "
            f"real threads, in a subprocess capped at {suite_cap:g} s; barrierlab: a default "
            "`check` (`fail_fast=True`), schedules and seconds to the first violation.",
            baseline.markdown(rows),
        ),
        *_section(
            "2. Against a peer explorer: frontrun",
            f"**{peer.summary(peer_rows, about)}** Each bug's own smallest scenario, explored "
            "by frontrun (DPOR, its defaults; virtual clock, explored when the scenario has "
            "timeouts) with the invariants a user would write from the documentation "
            "(distinct indices, all released, broken after abort / timeout / failing action, "
            "unbroken after reset, no stray exceptions; see "
            "`checker/bench/frontrun_harness.py`), and by barrierlab (`check` on that one "
            f"scenario, `fail_fast`), each capped at {5.0 if quick else args.peer_cap:g} s. "
            "frontrun has no spec, so a run that ends with a thread blocked is always a "
            "deadlock to it: each scenario was first explored by frontrun on two correct "
            "barriers (`threading.Barrier`, the reference), and where it failed one of those "
            "the row says *no verdict*. *not found* means frontrun reported nothing within "
            "its defaults and the cap, not that it proved the bug absent. runs = frontrun's "
            "executions.",
            peer.markdown(peer_rows),
        ),
        *_section(
            "2a. The catalogue alone against the catalogue plus synthesis",
            "`python -m barrierlab.checker.bench.synthesis`, in the same run: for each seeded "
            "bug, a check with `--no-synthesis` (the 20 catalogue scenarios) and a default "
            f"check (the catalogue, then generated scenarios), `fail_fast`, {synth_budget:g} s "
            "each; seconds to the first violation, and where the default check found it.",
            ["```text", *synthesis_bench.table(synth_rows), "```"],
        ),
        *_section(
            "3. Speed",
            "The raw hand-off is two OS threads passing a baton through two real locks: the "
            "floor for any runtime that runs one thread at a time. A scheduling step is "
            "measured with a round-robin scheduler over `threading.Barrier` (4 threads, 4 "
            "parties, 3 waits each). Steps and schedules per second: random schedules over "
            "the built-in catalogue (each schedule is run, not judged). The last rows time a "
            "whole sync-level `check` of `threading:Barrier` (runs and verdicts, 2,000 "
            "schedules per scenario) remembering the verdicts of traces seen before, and "
            "judging every trace afresh, side by side.",
            speed.table(figures),
        ),
        *_section(
            "3a. Partial-order reduction against plain DFS",
            "Exhaustive DFS over `threading.Barrier`, every schedule run and judged, until the "
            "tree is exhausted, 20,000 schedules or 60 s (capped counts are `>= N`). "
            "![schedules with and without reduction](bench-reduction.svg)",
            scaling.reduction_table(red),
        ),
        *_section(
            "3b. Growth with parties and threads",
            "Exhaustive DFS with reduction over `threading.Barrier`; n threads each call "
            "`wait()` once (threads beyond a multiple of the parties stay blocked, as the "
            "spec allows); schedules and seconds, capped at 30 s per cell. "
            "![exhaustive-check time against threads](bench-growth.svg)",
            scaling.growth_table(cells),
        ),
        *_section(
            "4. Parallel: one check over worker processes",
            f"The whole catalogue against the reference barrier (line-level preemption), "
            f"{par['max_schedules']:.0f} schedules per scenario at most, checked serially by "
            "`api.check` and by `checker.parallel.check_parallel` with 2 worker processes "
            "(spawned; their start-up is included). The work is the same: scenario `i` gets "
            "the same scheduler and seed in both, and the test suite checks that the merged "
            f"result equals the serial one. Same verdict here: "
            f"{'yes' if par['same_verdict'] else 'NO'}.",
            scaling.parallel_table(par, ref.split(":")[0].split(".")[-1]),
        ),
        *_section(
            "4a. Spreading a check: processes and Dask",
            "`python -m barrierlab.checker.bench.cluster`, in the same run. One scenario's "
            "exhaustive DFS (sync level) unsplit in this process, then split by schedule "
            "prefix (`check --split-depth`) into subtrees run by 1 and 2 worker processes and "
            "by a Dask `LocalCluster` of 2 workers; the whole catalogue with a fixed number of "
            "schedules per scenario; and many one-schedule tasks, for the overhead per task. "
            "Start-up of each pool or cluster is included, as a user pays it.",
            cluster.table(spread),
        ),
    ]
    text = "\n".join(doc)
    atomic_write(args.out / "benchmarks.md", text)
    out(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
