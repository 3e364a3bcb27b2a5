"""How fast the controlled runtime runs, beside the floor it cannot beat.

Run ``python -m barrierlab.checker.bench.speed``. Measured in one run, on this machine:

* the raw cost of handing control between two OS threads (two threads passing a baton through
  two real locks): the floor of any one-thread-at-a-time runtime;
* the cost of one scheduling step when every step hands control to another thread (a
  round-robin scheduler over ``threading.Barrier``), and its ratio to the floor;
* scheduling steps and schedules per second over the built-in catalogue (random scheduler),
  with and without line-level preemption of the target's own code;
* schedules per second of a whole ``check`` (runs and their verdicts), remembering the verdicts
  of traces seen before against judging every trace afresh, side by side.

Nothing here asserts a timing: these machines are shared and noisy.
"""

from __future__ import annotations

import _thread
import argparse
import contextlib
import random
import threading
import time

from barrierlab.checker import api
from barrierlab.checker.cli.output import out
from barrierlab.checker.config import Config
from barrierlab.checker.explore import verdict_cache as memo
from barrierlab.checker.explore.scenario_catalogue import SCENARIOS
from barrierlab.checker.runtime.launch import run_once
from barrierlab.checker.runtime.target import load_target
from barrierlab.checker.scenario import Scenario


def raw_handoff(n: int) -> float:
    """Seconds per hand-off between two OS threads passing a baton through real locks."""
    a, b = _thread.allocate_lock(), _thread.allocate_lock()
    a.acquire()
    b.acquire()

    def other() -> None:
        for _ in range(n):
            b.acquire()
            a.release()

    t = threading.Thread(target=other)
    t.start()
    start = time.perf_counter()
    for _ in range(n):
        b.release()
        a.acquire()
    elapsed = time.perf_counter() - start
    t.join()
    return elapsed / (2 * n)


class _RoundRobin:
    """Always picks another thread than the last one when it can (a hand-off every step)."""

    name = "round-robin"
    exhaustive = False

    def __init__(self) -> None:
        self.last = -1

    def start(self) -> bool:
        return True

    def choose(self, options):
        for c in options:
            if c.tid != self.last:
                self.last = c.tid
                return c
        self.last = options[0].tid
        return options[0]

    def finish(self, cut_short: bool = False) -> None:
        self.last = -1


class _Random:
    name = "random"
    exhaustive = False

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def start(self) -> bool:
        return True

    def choose(self, options):
        return self.rng.choice(options)

    def finish(self, cut_short: bool = False) -> None:
        pass


def step_cost(schedules: int) -> tuple[float, float]:
    """(seconds per scheduling step with a hand-off at every step, handoff fraction)."""
    target = load_target("threading:Barrier")
    scenario = Scenario.build("ping", parties=4, threads=["wait wait wait"] * 4)
    sched, config = _RoundRobin(), Config(line_level=False)
    steps = handoffs = 0
    start = time.perf_counter()
    for _ in range(schedules):
        result = run_once(target, scenario, sched, config)
        sched.finish()
        steps += result.steps
        handoffs += sum(
            a.tid != b.tid for a, b in zip(result.choices, result.choices[1:], strict=False)
        )
    elapsed = time.perf_counter() - start
    return elapsed / steps, handoffs / steps


def catalogue_rate(spec: str, line_level: bool, rounds: int) -> tuple[float, float]:
    """(steps per second, schedules per second) over the catalogue, random scheduling."""
    target = load_target(spec)
    config = Config(line_level=line_level)
    steps = schedules = 0
    start = time.perf_counter()
    for r in range(rounds):
        for scenario in SCENARIOS.values():
            result = run_once(target, scenario, _Random(r), config)
            steps += result.steps
            schedules += 1
    elapsed = time.perf_counter() - start
    return steps / elapsed, schedules / elapsed


def check_rates(per_scenario: int) -> tuple[float, float]:
    """(schedules/s remembering verdicts, schedules/s judging afresh) of a sync-level check of
    ``threading:Barrier`` with ``per_scenario`` schedules per scenario."""
    rates = []
    for fresh in (False, True):
        memo._judged.cache_clear()
        with memo.afresh() if fresh else contextlib.nullcontext():
            start = time.perf_counter()
            result = api.check("threading:Barrier", max_schedules=per_scenario, line_level=False)
            elapsed = time.perf_counter() - start
        rates.append(sum(s.schedules for s in result.scenarios) / elapsed)
    return rates[0], rates[1]


#: Targets and modes of the catalogue rates.
RATE_TARGETS = (
    ("threading:Barrier", False),
    ("barrierlab.impl.reference:Barrier", False),
    ("barrierlab.impl.reference:Barrier", True),
)


def measure(quick: bool = False) -> dict[str, float]:
    """Every figure of this benchmark, measured now (``quick``: fewer repetitions)."""
    n, schedules, rounds = (2_000, 20, 3) if quick else (50_000, 300, 40)
    figures = {"handoff_s": raw_handoff(n)}
    figures["step_s"], figures["handoff_fraction"] = step_cost(schedules)
    for spec, line_level in RATE_TARGETS:
        sps, rate = catalogue_rate(spec, line_level, rounds)
        mode = "line-level" if line_level else "sync-level"
        figures[f"{spec} ({mode}) steps/s"] = sps
        figures[f"{spec} ({mode}) schedules/s"] = rate
    remembered, fresh = check_rates(100 if quick else 2_000)
    figures["check threading:Barrier, verdicts remembered: schedules/s"] = remembered
    figures["check threading:Barrier, every verdict afresh: schedules/s"] = fresh
    return figures


def table(figures: dict[str, float]) -> list[str]:
    """The figures of :func:`measure` as Markdown table lines."""
    floor, per_step = figures["handoff_s"], figures["step_s"]
    fraction = figures["handoff_fraction"]
    lines = [
        "| measure | value |",
        "|---|---|",
        f"| raw OS-thread hand-off (floor) | {floor * 1e6:.1f} µs |",
        f"| scheduling step, hand-off at {fraction:.0%} of steps | {per_step * 1e6:.1f} µs |",
        f"| step / raw hand-off | {per_step / floor:.2f}x |",
    ]
    for key, value in figures.items():
        if key.endswith("steps/s") or key.startswith("check "):
            lines.append(f"| {key} | {value:,.0f} |")
        elif key.endswith("schedules/s"):
            lines.append(f"| {key.removesuffix('/s')}/s on the catalogue | {value:,.0f} |")
    remembered = figures.get("check threading:Barrier, verdicts remembered: schedules/s")
    fresh = figures.get("check threading:Barrier, every verdict afresh: schedules/s")
    if remembered and fresh:
        lines.append(f"| check speed-up from remembered verdicts | {remembered / fresh:.2f}x |")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m barrierlab.checker.bench.speed")
    parser.add_argument("--quick", action="store_true", help="fewer repetitions (smoke test)")
    args = parser.parse_args(argv)
    for line in table(measure(args.quick)):
        out(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
