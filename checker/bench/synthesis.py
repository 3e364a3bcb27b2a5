"""``python -m barrierlab.checker.bench.synthesis``: the catalogue alone against the catalogue
plus generated scenarios, on every seeded bug, side by side in one run.

For each seeded bug (``impl/targets.py``), two checks with ``fail_fast`` and the same budget
(default: the default check's, 45 s): ``--no-synthesis`` (the 20 catalogue scenarios) and the
default (the catalogue, then the generated space). Each cell gives whether the bug was found,
the seconds to the first violation (the whole check, so time spent on other scenarios
first counts) and where it was found (a catalogue scenario, or a generated one, shrunk). The
table goes to stdout; nothing asserts a timing. ``--bugs`` picks some; ``--budget`` changes
the budget; ``--quick`` runs one bug with a small budget (the smoke test).
"""

from __future__ import annotations

import argparse
import time
from dataclasses import dataclass

from barrierlab.checker import api
from barrierlab.checker.cli.output import out
from barrierlab.impl.targets import BUGS, TargetInfo

__all__ = ["Cell", "main", "measure", "table"]

_real_monotonic = time.monotonic


@dataclass(frozen=True)
class Cell:
    """One check of one bug: found or not, how fast, and where."""

    found: bool
    seconds: float
    where: str
    generated_tried: int = 0


def _one(info: TargetInfo, synthesis: bool, budget: float) -> Cell:
    started = _real_monotonic()
    result = api.check(info.spec, synthesis=synthesis, budget=budget, fail_fast=True)
    seconds = _real_monotonic() - started
    tried = result.space.tried if result.space else 0
    if not result.violations:
        return Cell(False, seconds, "-", tried)
    v = result.violations[0]
    generated = result.space is not None and v.scenario.name not in _catalogue_names()
    where = f"generated {v.scenario.to_args()}" if generated else v.scenario.name
    return Cell(True, seconds, where, tried)


def _catalogue_names() -> set[str]:
    from barrierlab.checker.explore.scenario_catalogue import SCENARIOS

    return set(SCENARIOS)


def measure(bugs: list[TargetInfo], budget: float, on_row=None) -> list[tuple]:
    """``(bug, catalogue cell, synthesis cell)`` per bug."""
    rows = []
    for info in bugs:
        row = (info, _one(info, False, budget), _one(info, True, budget))
        rows.append(row)
        if on_row is not None:
            on_row(row)
    return rows


def _cell(c: Cell) -> str:
    return f"found in {c.seconds:5.1f}s" if c.found else f"missed ({c.seconds:4.1f}s)"


def table(rows: list[tuple]) -> list[str]:
    lines = [
        f"{'bug':<26} {'catalogue alone':<18} {'catalogue + synthesis':<22} where (synthesis)",
        "-" * 100,
    ]
    for info, alone, both in rows:
        lines.append(f"{info.name:<26} {_cell(alone):<18} {_cell(both):<22} {both.where}")
    found_alone = sum(a.found for _, a, _ in rows)
    found_both = sum(b.found for _, _, b in rows)
    mean = [b.seconds for _, a, b in rows if a.found and b.found]
    mean_alone = [a.seconds for _, a, b in rows if a.found and b.found]
    lines.append("-" * 100)
    lines.append(
        f"found: catalogue alone {found_alone}/{len(rows)}, catalogue + synthesis "
        f"{found_both}/{len(rows)}"
        + (
            f"; on the bugs both find, mean seconds to find {sum(mean_alone) / len(mean):.1f}"
            f" (alone) vs {sum(mean) / len(mean):.1f} (with synthesis)"
            if mean
            else ""
        )
    )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m barrierlab.checker.bench.synthesis")
    parser.add_argument("--budget", type=float, default=45.0, help="seconds per check")
    parser.add_argument("--bugs", nargs="+", metavar="NAME", help="only these seeded bugs")
    parser.add_argument("--quick", action="store_true", help="one bug, a small budget")
    args = parser.parse_args(argv)
    bugs = list(BUGS)
    if args.bugs:
        known = {b.name: b for b in BUGS}
        unknown = [n for n in args.bugs if n not in known]
        if unknown:
            parser.error(f"unknown bug {unknown[0]!r}")
        bugs = [known[n] for n in args.bugs]
    budget = args.budget
    if args.quick:
        bugs, budget = [b for b in BUGS if b.name == "zero_timeout_forever"], 6.0
    head = table([])
    for line in head[:2]:
        out(line)

    def on_row(row) -> None:
        out(table([row])[2])

    rows = measure(bugs, budget, on_row)
    for line in table(rows)[-2:]:
        out(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
