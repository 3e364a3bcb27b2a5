"""How long trace acceptance takes, and how the spec's state graph grows.

Run ``python -m barrierlab.checker.bench.accept`` (``--quick`` for a shorter run). It prints:

* acceptance time for traces of 10 / 100 / 1,000 / 10,000 events, under both profiles, for
  runs shaped like the checker's (a thread's effects happen soon after its call: ``eager``
  0.9) and for adversarial ones (every effect postponed at random: ``eager`` 0), with the
  widest set of configurations the search held;
* many threads blocked at once (far more than ``parties``): the search that tracks arrivals by
  name against pool mode (anonymous arrivals, :mod:`barrierlab.model.pool`), side by side on
  the same traces, and pool mode alone where the search by name is out of reach;
* the number of states and edges of the state graph as parties and threads grow.

Traces come from random runs of the spec itself (so every one is accepted) with an action,
timeouts, resets, aborts and reads mixed in. Nothing here asserts a timing.
"""

from __future__ import annotations

import argparse
import time

from barrierlab.checker.cli.output import out
from barrierlab.model.accept import accept
from barrierlab.model.errors import InvalidArgument
from barrierlab.model.graph import state_graph
from barrierlab.model.moves import programs_of, random_trace
from barrierlab.model.spec import make_spec

SIZES = (10, 100, 1_000, 10_000)
#: (label, parties, one program per thread): long enough for 10,000 events.
SHAPES = (
    ("4 threads, parties 4, waits only", 4, ["wait"] * 4),
    (
        "6 threads, parties 3, mixed",
        3,
        ["wait wait(0.5) n_waiting wait reset"] * 5 + ["broken abort wait"],
    ),
    ("8 threads, parties 8, waits + reads", 8, ["wait n_waiting"] * 8),
    ("16 threads, parties 4, waits only", 4, ["wait"] * 16),
)
#: Threads for the by-name / pool comparison; by name stops at BY_NAME_UP_TO (10 threads take
#: it about 30 s under cpython, each 2 more about 50x longer).
BLOCKED = (4, 6, 8, 10, 16, 32)
BY_NAME_UP_TO = 10


def _trace(
    profile: str,
    parties: int,
    threads: list[str],
    size: int,
    eager: float,
    rounds: int | None = None,
    action: bool = True,
) -> tuple:
    rounds = size // len(threads) + 2 if rounds is None else rounds
    programs = programs_of([" ".join([t] * rounds) for t in threads])
    spec = make_spec(profile, parties, has_action=action)
    trace, complete = random_trace(spec, programs, seed=size, max_events=size, eager=eager)
    return trace, complete


def acceptance_table(sizes: tuple[int, ...]) -> None:
    out("Acceptance time (seconds; configs = widest configuration set held)")
    out(f"{'shape':40} {'eager':>5} {'profile':>10} " + " ".join(f"{n:>16,}" for n in sizes))
    for label, parties, threads in SHAPES:
        for eager in (0.9, 0.0):
            for profile in ("documented", "cpython"):
                cells = []
                for size in sizes:
                    trace, complete = _trace(profile, parties, threads, size, eager)
                    start = time.perf_counter()
                    v = accept(
                        trace, parties=parties, profile=profile, has_action=True, complete=complete
                    )
                    took = time.perf_counter() - start
                    mark = "" if v.ok else " REJECTED"
                    cells.append(f"{took:8.3f} ({v.configurations:>4}){mark}")
                out(f"{label:40} {eager:>5} {profile:>10} " + " ".join(f"{c:>16}" for c in cells))


def _timed(trace: tuple, complete: bool, profile: str, parties: int, pool: bool) -> tuple:
    start = time.perf_counter()
    v = accept(trace, parties=parties, profile=profile, complete=complete, pool=pool)
    return time.perf_counter() - start, v


def blocked_table(threads: tuple[int, ...], by_name_up_to: int) -> None:
    out("")
    out("Many threads blocked at once: parties 4, each thread waits 3 times, effects postponed")
    out("(eager 0); seconds (widest configuration set); same trace for both searches")
    out(f"{'threads':>7} {'profile':>10} {'events':>6} {'by name':>18} {'pool':>16} {'ratio':>8}")
    for k in threads:
        for profile in ("documented", "cpython"):
            trace, complete = _trace(profile, 4, ["wait"] * k, 10_000, 0.0, rounds=3, action=False)
            took, v = _timed(trace, complete, profile, 4, pool=True)
            pooled = f"{took:7.3f} ({v.configurations:>5})" + ("" if v.ok else " REJECTED")
            named, ratio = "-", "-"
            if k <= by_name_up_to:
                took_named, w = _timed(trace, complete, profile, 4, pool=False)
                named = f"{took_named:8.3f} ({w.configurations:>7})"
                ratio = f"{took_named / max(took, 1e-9):7.0f}x"
            out(f"{k:>7} {profile:>10} {len(trace):>6} {named:>18} {pooled:>16} {ratio:>8}")


def graph_table(max_parties: int, max_threads: int) -> None:
    out("")
    out("State graph size (states/edges), each thread: wait wait; action; timeouts off")
    head = f"{'profile':>10} {'parties':>7} " + " ".join(
        f"{str(n) + ' thr':>14}" for n in range(1, max_threads + 1)
    )
    out(head)
    for profile in ("documented", "cpython"):
        for parties in range(1, max_parties + 1):
            cells = []
            for n in range(1, max_threads + 1):
                try:
                    G = state_graph(
                        parties,
                        programs_of(["wait wait"] * n),
                        profile=profile,
                        has_action=True,
                        max_states=60_000,
                    )
                    cells.append(f"{G.number_of_nodes()}/{G.number_of_edges()}")
                except InvalidArgument:
                    cells.append("> 60000")
            out(f"{profile:>10} {parties:>7} " + " ".join(f"{c:>14}" for c in cells))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m barrierlab.checker.bench.accept")
    parser.add_argument(
        "--quick", action="store_true", help="stop at 1,000 events; by name up to 8 threads"
    )
    args = parser.parse_args(argv)
    acceptance_table(SIZES[:3] if args.quick else SIZES)
    blocked_table(BLOCKED[:4], 8) if args.quick else blocked_table(BLOCKED, BY_NAME_UP_TO)
    graph_table(3, 3) if args.quick else graph_table(4, 4)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
