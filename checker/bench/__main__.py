"""``python -m barrierlab.checker.bench``: every benchmark in one run, written to ``reports/``.

Prints the tables and writes ``reports/benchmarks.md`` (with the machine facts and the command
that regenerates it), ``reports/baseline.md`` (the bug-finding table, measured in the same run)
and two SVG plots, ``reports/bench-growth.svg`` and ``reports/bench-reduction.svg``. The parts:

1. bug finding (:mod:`.baseline`): CPython's own BarrierTests against every seeded bug, beside
   a default ``barrierlab check``;
2. a peer explorer (:mod:`.peer`): frontrun on each bug's scenario, beside barrierlab;
   and the catalogue alone against the catalogue plus synthesis (:mod:`.synthesis`);
3. speed (:mod:`.speed`, :mod:`.scaling`, :mod:`.accept`): the raw OS-thread hand-off, the
   cost of a step, steps and schedules per second; reduction against plain DFS; growth with
   parties and threads; trace acceptance and the state graph; footprints
   (:mod:`.reduction`): exhaustive search of line-level code today against with footprints;
4. parallel (:mod:`.scaling`, :mod:`.cluster`): the catalogue checked serially and over 2 worker
   processes; one scenario split by schedule prefix; processes against Dask;
5. Python builds (:mod:`.builds`): the GIL build against the free-threaded one.

Each is a :class:`Section` of :data:`SECTIONS`, with a name: ``--list`` lists them, and
``--only NAME[,NAME...]`` measures only those and splices them into the ``benchmarks.md``
already in ``--out`` (:mod:`.document`), each opening with the command, date, machine and load
that measured it; the other sections stay as they were.

``--quick`` runs everything at tiny sizes on one bug (the smoke test); its output goes to
``--out`` like the full run, so give it a scratch directory. Takes about 40 minutes in full
on a 2-core machine, most of it CPython's suite waiting on real time. Nothing asserts a timing.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import io
import os
import platform
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from barrierlab.checker.bench import accept as accept_bench
from barrierlab.checker.bench import (
    baseline,
    builds,
    cluster,
    document,
    peer,
    reduction,
    scaling,
    speed,
)
from barrierlab.checker.bench import synthesis as synthesis_bench
from barrierlab.checker.bench.charts import bar_chart, line_chart
from barrierlab.checker.cli.output import err, out
from barrierlab.checker.report.write import atomic_write
from barrierlab.impl.targets import BUGS, TargetInfo

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


@dataclass(frozen=True)
class Options:
    """What every section's measurement may read: sizes and caps from the command line."""

    quick: bool
    bugs: list[TargetInfo]
    suite_cap: float
    peer_cap: float


@dataclass(frozen=True)
class Measured:
    """A section's text (its intro paragraph and table lines) and files written beside it."""

    intro: str
    lines: list[str]
    files: dict[str, str] = field(default_factory=dict)


def _baseline(o: Options) -> Measured:
    budget = 10.0 if o.quick else None
    rows = baseline.measure(
        o.bugs,
        cap=o.suite_cap,
        budget=budget,
        on_row=lambda r: err(f"  {r.info.name}: suite {r.suite.status}"),
    )
    return Measured(
        f"**{baseline.summary(rows)}** The same table, with how it is counted, is in "
        "[baseline.md](baseline.md). CPython's suite: `test.lock_tests.BarrierTests` on "
        f"real threads, in a subprocess capped at {o.suite_cap:g} s; barrierlab: a default "
        "`check` (`fail_fast=True`), schedules and seconds to the first violation.",
        baseline.markdown(rows),
        {"baseline.md": baseline.report(rows, cap=o.suite_cap, budget=budget)},
    )


def _peer(o: Options) -> Measured:
    cap = 5.0 if o.quick else o.peer_cap
    rows, about = peer.measure(
        o.bugs,
        cap=cap,
        calibration_cap=5.0 if o.quick else 20.0,
        on_row=lambda r: err(f"  {r.info.name}: frontrun {r.frontrun.get('status')}"),
    )
    return Measured(
        f"**{peer.summary(rows, about)}** Each bug's own smallest scenario, explored "
        "by frontrun (DPOR, its defaults; virtual clock, explored when the scenario has "
        "timeouts) with the invariants a user would write from the documentation "
        "(distinct indices, all released, broken after abort / timeout / failing action, "
        "unbroken after reset, no stray exceptions; see "
        "`checker/bench/frontrun_harness.py`), and by barrierlab (`check` on that one "
        f"scenario, `fail_fast`), each capped at {cap:g} s. "
        "frontrun has no spec, so a run that ends with a thread blocked is always a "
        "deadlock to it: each scenario was first explored by frontrun on two correct "
        "barriers (`threading.Barrier`, the reference), and where it failed one of those "
        "the row says *no verdict*. *not found* means frontrun reported nothing within "
        "its defaults and the cap, not that it proved the bug absent. runs = frontrun's "
        "executions.",
        peer.markdown(rows),
    )


def _synthesis(o: Options) -> Measured:
    budget = 6.0 if o.quick else 45.0
    rows = synthesis_bench.measure(
        o.bugs, budget, on_row=lambda r: err(f"  {r[0].name}: with synthesis {r[2].where}")
    )
    return Measured(
        "For each seeded bug, a check with `--no-synthesis` (the catalogue scenarios) and a "
        f"default check (the catalogue, then generated scenarios), `fail_fast`, {budget:g} s "
        "each; seconds to the first violation, and where the default check found it "
        "(`python -m barrierlab.checker.bench.synthesis` prints the same table).",
        ["```text", *synthesis_bench.table(rows), "```"],
    )


def _speed(o: Options) -> Measured:
    return Measured(
        "The raw hand-off is two OS threads passing a baton through two real locks: the "
        "floor for any runtime that runs one thread at a time. A scheduling step is "
        "measured with a round-robin scheduler over `threading.Barrier` (4 threads, 4 "
        "parties, 3 waits each). Steps and schedules per second: random schedules over "
        "the built-in catalogue (each schedule is run, not judged). The last rows time a "
        "whole sync-level `check` of `threading:Barrier` (runs and verdicts, 2,000 "
        "schedules per scenario) remembering the verdicts of traces seen before, and "
        "judging every trace afresh, side by side.",
        speed.table(speed.measure(o.quick)),
    )


def _dpor(o: Options) -> Measured:
    if o.quick:
        rows = scaling.reduction(("single-party", "action-fails"), cap=50, seconds=5)
    else:
        rows = scaling.reduction()
    return Measured(
        "Exhaustive DFS over `threading.Barrier`, every schedule run and judged, until the "
        "tree is exhausted, 20,000 schedules or 60 s (capped counts are `>= N`). "
        "![schedules with and without reduction](bench-reduction.svg)",
        scaling.reduction_table(rows),
        {"bench-reduction.svg": reduction_svg(rows)},
    )


def footprints_svg(results) -> str:
    groups = [
        (
            case.label,
            [(max(t.schedules, 1), not t.exhaustive), (max(r.schedules, 1), not r.exhaustive)],
        )
        for case, t, r, _ in results
    ]
    return bar_chart(
        groups,
        ["today", "with footprints"],
        title="Schedules to exhaust a scenario: every line dependent, or footprints",
        ylabel="schedules (log)",
    )


def _footprints(o: Options) -> Measured:
    results = list(reduction.measure(quick=o.quick))
    return Measured(
        "Exhaustive DFS with partial-order reduction, every schedule run and judged: *today* "
        "(`Config(footprints=False)`: every line of target code a scheduling point, dependent "
        "with every other step) beside *with footprints* (lines touching only the thread's "
        "own state are not points; dependence from what each step reads and writes). "
        f"{reduction.CAPS_TEXT} The ratio is today's schedules over the reduced ones; "
        "*classes* is the number of Mazurkiewicz classes where plain DFS with footprints could "
        "count them (`python -m barrierlab.checker.bench.reduction`). "
        "![schedules today and with footprints](bench-footprints.svg)",
        reduction.table(results),
        {"bench-footprints.svg": footprints_svg(results)},
    )


def _growth(o: Options) -> Measured:
    cells = scaling.growth((1, 2), (1, 2), seconds=5) if o.quick else scaling.growth()
    return Measured(
        "Exhaustive DFS with reduction over `threading.Barrier`; n threads each call "
        "`wait()` once (threads beyond a multiple of the parties stay blocked, as the "
        "spec allows); schedules and seconds, capped at 30 s per cell. "
        "![exhaustive-check time against threads](bench-growth.svg)",
        scaling.growth_table(cells),
        {"bench-growth.svg": growth_svg(cells)},
    )


def _accept(o: Options) -> Measured:
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        accept_bench.main(["--quick"] if o.quick else [])
    return Measured(
        "`python -m barrierlab.checker.bench.accept`: how long the spec takes to accept "
        "traces (random runs of the spec itself, so every one is accepted), the search that "
        "tracks arrivals by name against pool mode when many threads are blocked at once, and "
        "the size of the state graph.",
        ["```text", *printed.getvalue().splitlines(), "```"],
    )


def _parallel(o: Options) -> Measured:
    par = scaling.parallel_speedup(max_schedules=2 if o.quick else 150)
    return Measured(
        f"The whole catalogue against the reference barrier (line-level preemption), "
        f"{par['max_schedules']:.0f} schedules per scenario at most, checked serially by "
        "`api.check` and by `checker.parallel.check_parallel` with 2 worker processes "
        "(spawned; their start-up is included). The work is the same: scenario `i` gets "
        "the same scheduler and seed in both, and the test suite checks that the merged "
        f"result equals the serial one. Same verdict here: "
        f"{'yes' if par['same_verdict'] else 'NO'}.",
        scaling.parallel_table(par, "reference"),
    )


def _cluster(o: Options) -> Measured:
    return Measured(
        "`python -m barrierlab.checker.bench.cluster`. One scenario's exhaustive DFS (sync "
        "level) unsplit in this process, then split by schedule prefix (`check "
        "--split-depth`, re-splitting big subtrees every 1,000 schedules unless it says *no "
        "re-split*) into subtrees run by 1 and 2 worker processes and by a Dask "
        "`LocalCluster` of 1 and 2 workers; the whole catalogue with a fixed number of "
        "schedules per scenario, also on a Dask cluster already running (as `--dask-address`"
        "); and many one-schedule tasks, for the overhead per task (which includes running "
        "the one schedule). Start-up of each pool or cluster is included, as a user pays it, "
        "except the running cluster's. Each row is the fastest of 3 runs of the same work. "
        "*speed-up* is against the row named (the same work); "
        "*load* is the 1-minute load average just after the row (2 cores: above 2, other "
        "work was competing for them).",
        cluster.table(cluster.measure(o.quick)),
    )


def _builds(o: Options) -> Measured:
    rows = [builds.measure_in(exe, o.quick) for exe in builds.find_interpreters()]
    return Measured(
        "`python -m barrierlab.checker.bench.builds`: every CPython of this minor version "
        "found (`python3.X`, `python3.Xt`, on PATH or in pyenv), each in a subprocess: one "
        "hand-off round a ring of 4 OS threads, and schedules per second of a fixed check "
        f"(`threading:Barrier`, the catalogue, random, {builds.PER_SCENARIO} schedules per "
        "scenario).",
        builds.table(rows),
    )


@dataclass(frozen=True)
class Section:
    """One section of ``benchmarks.md``: its ``--only`` name, heading and measurement."""

    name: str
    title: str
    measure: Callable[[Options], Measured]


#: Every section, in the document's order. A new benchmark adds one entry here.
SECTIONS = (
    Section("baseline", "1. Bug finding: CPython's own tests against barrierlab", _baseline),
    Section("peer", "2. Against a peer explorer: frontrun", _peer),
    Section(
        "synthesis", "2a. The catalogue alone against the catalogue plus synthesis", _synthesis
    ),
    Section("speed", "3. Speed", _speed),
    Section("dpor", "3a. Partial-order reduction against plain DFS", _dpor),
    Section("growth", "3b. Growth with parties and threads", _growth),
    Section("accept", "3c. Trace acceptance and the state graph", _accept),
    Section(
        "footprints", "3d. Footprints: exhaustive search of the target's own code", _footprints
    ),
    Section("parallel", "4. Parallel: one check over worker processes", _parallel),
    Section("cluster", "4a. Spreading a check: processes and Dask", _cluster),
    Section("builds", "5. Python builds: the GIL against free-threaded", _builds),
)


def _load() -> str:
    try:
        one, five, fifteen = os.getloadavg()
    except OSError:
        return "unknown"
    return f"{one:.2f} / {five:.2f} / {fifteen:.2f}"


def _now() -> str:
    return datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")


def _selected(value: str | None) -> list[Section]:
    if value is None:
        return list(SECTIONS)
    by_name = {s.name: s for s in SECTIONS}
    names = [n.strip() for n in value.split(",") if n.strip()]
    unknown = [n for n in names if n not in by_name]
    if unknown or not names:
        raise ValueError(
            f"unknown section {unknown[0]!r}" if unknown else "--only needs a section name"
        )
    return [s for s in SECTIONS if s.name in names]


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
    parser.add_argument(
        "--only",
        metavar="SECTION[,SECTION...]",
        help="measure only these sections and splice them into the existing benchmarks.md "
        "(see --list)",
    )
    parser.add_argument("--list", action="store_true", help="list the sections and exit")
    args = parser.parse_args(argv)
    if args.list:
        for s in SECTIONS:
            out(f"{s.name:<10} {s.title}")
        return 0
    try:
        chosen = _selected(args.only)
    except ValueError as e:
        names = ", ".join(s.name for s in SECTIONS)
        err(f"{COMMAND}: {e}; the sections are: {names}")
        return 2
    quick = args.quick
    if any(s.name == "peer" for s in chosen) and not (quick or args.without_peer):
        command, why = peer.frontrun_command()
        if command is None:
            err(f"{COMMAND}: {why}; install it, or pass --without-peer to write the report anyway")
            return 2
    options = Options(
        quick=quick,
        bugs=[b for b in BUGS if b.name in QUICK_BUGS] if quick else list(BUGS),
        suite_cap=min(args.cap, 20.0) if quick else args.cap,
        peer_cap=args.peer_cap,
    )
    flags = " --quick" if quick else ""
    when, load, started = _now(), _load(), time.perf_counter()
    measured: list[tuple[Section, Measured, float]] = []
    for s in chosen:
        err(f"{s.name} ...")
        begun = time.perf_counter()
        measured.append((s, s.measure(options), time.perf_counter() - begun))
    total = time.perf_counter() - started

    args.out.mkdir(parents=True, exist_ok=True)
    for _, m, _ in measured:
        for name, content in m.files.items():
            atomic_write(args.out / name, content)
    path = args.out / "benchmarks.md"
    if args.only is None:
        header = [
            "# Benchmarks",
            "",
            f"Measured in one run of `{COMMAND}{flags}` ({total / 60:.0f} min) on {when}, on "
            f"{machine()}; load average (1 / 5 / 15 min) {load} at the start. Regenerate with "
            f"`{COMMAND}` from the repository root, with the `bench` extra installed (`pip "
            "install -e '.[bench]'`) for the frontrun comparison; refresh one section with "
            f"`{COMMAND} --only NAME` (`--list` names them). The machine is shared (other work "
            "ran beside this run) and noisy: read the figures as orders of magnitude; nothing "
            "in CI depends on them.",
        ]
        sections = [(s.title, [m.intro, "", *m.lines]) for s, m, _ in measured]
        text = document.render(header, sections)
    else:
        new = []
        for s, m, seconds in measured:
            note = (
                f"*Rerun alone: `{COMMAND} --only {s.name}{flags}` on {when} ({seconds / 60:.1f} "
                f"min), on {machine()}; load average (1 / 5 / 15 min) {load} at the start, this "
                f"run at nice {os.nice(0)}.*"
            )
            new.append((s.title, [note, "", m.intro, "", *m.lines]))
        old = path.read_text(encoding="utf-8") if path.exists() else ""
        text = document.splice(old, new, [s.title for s in SECTIONS])
    atomic_write(path, text)
    out(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
