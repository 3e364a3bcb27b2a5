"""The baseline table: CPython's own real-thread Barrier tests against every seeded bug, beside
what a default ``barrierlab check`` finds.

Run ``python -m barrierlab.checker.bench.baseline`` (``--help`` for the options). For every bug
in :data:`barrierlab.impl.targets.BUGS`, one after the other:

* **CPython's suite**: ``test.lock_tests.BarrierTests`` (11 or 12 tests, 5 threads, real time, real
  sleeps) runs against the bug in a subprocess
  (:mod:`barrierlab.checker.bench.cpython_suite`) capped at ``--cap`` seconds (default 60).
  How it is counted: **caught** when at least one test reported FAIL or ERROR (before the cap,
  if the cap was hit), not counting ``test_repr`` (it checks the format of ``repr(barrier)``,
  which standalone classes do not copy: its failure is not the bug); **missed** when every
  other test passed; **timed out** when the cap killed the
  run before any test had failed, which is counted as *not* caught (a hang is a symptom a
  person may notice, but the suite never names the bug). CPython's suite gives up on a stuck
  group of threads after 30 s (``support.SHORT_TIMEOUT``) and reports an ERROR, so a deadlock
  inside one test usually shows as an ERROR before the cap. The suite runs on real threads, so
  a race may show in one run and not in the next: the table is one run.
* **barrierlab**: ``api.check(spec, fail_fast=True)`` in this process: the default check
  (every built-in scenario, the portfolio scheduler, line-level preemption, the default
  budget), stopped at the first violation. It reports the verdict kind and rule, the scenario,
  and the schedules run and real seconds spent until that first violation (over every scenario
  explored so far, not just the one that failed). "expected" says whether that rule or kind is
  the one the bug's docstring names (or a neighbour the catalogue allows).

The table is printed and written to ``reports/baseline.md`` (``--out``). Nothing here asserts a
timing.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from barrierlab.checker import api
from barrierlab.checker.bench.cpython_suite import EXIT_NO_SUITE, parse_results, suite_size
from barrierlab.checker.cli.output import err, out
from barrierlab.checker.report.write import atomic_write
from barrierlab.impl.targets import BUGS, TargetInfo

__all__ = [
    "COMMAND",
    "CheckOutcome",
    "Row",
    "SuiteOutcome",
    "markdown",
    "measure",
    "run_barrierlab",
    "run_cpython_suite",
    "summary",
]

COMMAND = "python -m barrierlab.checker.bench.baseline"
#: Tests whose failure says nothing about synchronization: ``test_repr`` checks the format of
#: ``repr(barrier)``, which a standalone class (correct or not) need not copy.
NOT_ABOUT_SYNC = frozenset({"test_repr"})
DEFAULT_OUT = Path("reports") / "baseline.md"


@dataclass
class SuiteOutcome:
    """CPython's suite against one target: ``status`` is caught, missed, timed out or
    unavailable (no ``test`` package, or the runner itself failed)."""

    status: str
    failed: list[str] = field(default_factory=list)
    passed: int = 0
    seconds: float = 0.0
    hung_in: str | None = None
    detail: str = ""

    @property
    def caught(self) -> bool:
        return self.status == "caught"


@dataclass
class CheckOutcome:
    """A default ``barrierlab check`` of one target, stopped at the first violation."""

    found: bool
    kind: str | None
    rule: str | None
    scenario: str | None
    schedules: int
    seconds: float
    expected: bool


@dataclass
class Row:
    info: TargetInfo
    suite: SuiteOutcome
    check: CheckOutcome


def _suite_size_text() -> str:
    try:
        return f"{suite_size()} tests"
    except ImportError:
        return "not installed here"


def _running_test(text: str, results: dict[str, str]) -> str | None:
    """The last test that started but reported no status (the one a hang stopped in)."""
    started = re.findall(r"^(test_\w+) \(", text, re.MULTILINE)
    return next((t for t in reversed(started) if t not in results), None)


def run_cpython_suite(spec: str, cap: float = 60.0) -> SuiteOutcome:
    """Run CPython's BarrierTests against ``spec`` in a subprocess, killed after ``cap`` s."""
    command = [sys.executable, "-m", "barrierlab.checker.bench.cpython_suite", spec]
    with tempfile.TemporaryFile(mode="w+") as log:
        started = time.perf_counter()
        proc = subprocess.Popen(
            command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            code = proc.wait(timeout=cap)
            timed_out = False
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)
            proc.wait()
            code, timed_out = None, True
        seconds = time.perf_counter() - started
        log.seek(0)
        text = log.read()
    results = parse_results(text)
    failed = sorted(t for t, s in results.items() if s in ("FAIL", "ERROR"))
    passed = sum(s == "ok" for s in results.values())
    hung = _running_test(text, results) if timed_out else None
    if code == EXIT_NO_SUITE:
        return SuiteOutcome("unavailable", seconds=seconds, detail="no 'test' package")
    if set(failed) - NOT_ABOUT_SYNC:
        return SuiteOutcome("caught", failed, passed, seconds, hung)
    if timed_out:
        return SuiteOutcome("timed out", failed, passed, seconds, hung)
    if code is not None and results and set(failed) <= NOT_ABOUT_SYNC:
        return SuiteOutcome("missed", failed, passed, seconds)
    detail = text.strip().splitlines()[-1] if text.strip() else f"exit {code}"
    return SuiteOutcome("unavailable", failed, passed, seconds, detail=detail)


def run_barrierlab(info: TargetInfo, budget: float | None = None) -> CheckOutcome:
    """A default check of ``info.spec`` with ``fail_fast`` (``budget`` None: the default)."""
    result = api.check(info.spec, fail_fast=True, budget=budget)
    if not result.violations:
        return CheckOutcome(False, None, None, None, result.schedules, result.seconds, False)
    v = result.violations[0]
    expected = bool({v.kind, v.rule} & {info.expected, *info.also})
    return CheckOutcome(
        True, v.kind, v.rule, v.scenario.name, result.schedules, result.seconds, expected
    )


def measure(
    bugs: Iterable[TargetInfo] = BUGS,
    *,
    cap: float = 60.0,
    budget: float | None = None,
    on_row: Callable[[Row], None] | None = None,
) -> list[Row]:
    """One row per bug: CPython's suite, then barrierlab, one after the other."""
    rows = []
    for info in bugs:
        row = Row(info, run_cpython_suite(info.spec, cap), run_barrierlab(info, budget))
        rows.append(row)
        if on_row is not None:
            on_row(row)
    return rows


def _suite_cell(s: SuiteOutcome) -> str:
    if s.status == "caught":
        shown = ", ".join(t.removeprefix("test_") for t in s.failed[:3])
        more = f" +{len(s.failed) - 3}" if len(s.failed) > 3 else ""
        hang = f"; then hung in {s.hung_in.removeprefix('test_')}" if s.hung_in else ""
        return f"caught: {len(s.failed)} failed ({shown}{more}){hang}"
    if s.status == "timed out":
        where = f" in {s.hung_in.removeprefix('test_')}" if s.hung_in else ""
        return f"timed out{where}, {s.passed} passed, none failed"
    if s.status == "missed":
        if s.failed:
            return f"missed: {s.passed} passed, only {', '.join(s.failed)} failed"
        return f"missed: all {s.passed} passed"
    return f"unavailable ({s.detail})"


def _check_cell(c: CheckOutcome) -> str:
    if not c.found:
        return "not found"
    what = c.rule if c.kind in ("spec", "deadlock") and c.rule else c.kind
    if c.kind == "deadlock" and c.rule:
        what = f"deadlock {c.rule}"
    mark = "" if c.expected else " (unexpected)"
    return f"{what}{mark} in `{c.scenario}`"


def markdown(rows: list[Row]) -> list[str]:
    """The table as Markdown lines."""
    lines = [
        "| seeded bug | needs | CPython's BarrierTests | s | barrierlab finds | schedules | s |",
        "|---|---|---|--:|---|--:|--:|",
    ]
    for r in rows:
        needs = ", ".join(
            n
            for n, on in (
                ("line-level", r.info.needs_line_level),
                ("virtual time", r.info.needs_virtual_time),
            )
            if on
        )
        lines.append(
            f"| `{r.info.name}` | {needs} | {_suite_cell(r.suite)} | {r.suite.seconds:.1f} | "
            f"{_check_cell(r.check)} | {r.check.schedules} | {r.check.seconds:.2f} |"
        )
    return lines


def summary(rows: list[Row]) -> str:
    n = len(rows)
    x = sum(r.suite.caught for r in rows)
    y = sum(r.check.found for r in rows)
    hung = sum(r.suite.status == "timed out" for r in rows)
    return (
        f"CPython's suite catches {x} of {n} seeded bugs; barrierlab catches {y} of {n}"
        + (f" ({hung} of the suite's runs hit the time cap without a failing test)" if hung else "")
        + "."
    )


def report(rows: list[Row], *, cap: float, budget: float | None) -> str:
    """The whole ``baseline.md``."""
    budget_text = f"{budget:g} s" if budget is not None else "the default (45 s)"
    parts = [
        "# Baseline: CPython's own Barrier tests against the seeded bugs",
        "",
        f"**{summary(rows)}**",
        "",
        f"Regenerate with `{COMMAND}` (from the repository root).",
        "",
        "How to read it. *CPython's BarrierTests*: `test.lock_tests.BarrierTests` of "
        f"Python {sys.version.split()[0]} ({_suite_size_text()}, 5 real threads, real sleeps) "
        "run against "
        f"the bug in a subprocess capped at {cap:g} s; **caught** = at least one test reported "
        "FAIL or ERROR (before the cap), not counting `test_repr` (it checks the text of "
        "`repr(barrier)`, which standalone classes need not copy, so its failure is not the "
        "bug); **missed** = every other test passed; **timed out** = the "
        "cap killed a hung run before any test failed, counted as not caught. One run each: "
        "on real threads a race may show in one run and not the next. *barrierlab finds*: "
        "`api.check(spec, fail_fast=True)`, the default check (every built-in scenario, "
        "portfolio scheduler, line-level preemption), with a time budget of "
        f"{budget_text}; the rule (or verdict kind) of the first violation, the scenario it "
        "showed in, and the schedules and seconds from the start of the check to that "
        "violation. *needs*: what the checker must do to see the bug (from the catalogue).",
        "",
        *markdown(rows),
        "",
    ]
    return "\n".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=COMMAND, description=__doc__.split("\n\n")[0])
    parser.add_argument("--cap", type=float, default=60.0, help="seconds per CPython suite run")
    parser.add_argument("--budget", type=float, help="barrierlab's budget (default: default)")
    parser.add_argument("--bug", action="append", metavar="NAME", help="only this bug")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="the Markdown file")
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args(argv)
    bugs = [b for b in BUGS if not args.bug or b.name in args.bug]

    def progress(row: Row) -> None:
        err(f"{row.info.name}: suite {row.suite.status}, barrierlab {_check_cell(row.check)}")

    rows = measure(bugs, cap=args.cap, budget=args.budget, on_row=progress)
    for line in markdown(rows):
        out(line)
    out()
    out(summary(rows))
    if not args.no_write:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(args.out, report(rows, cap=args.cap, budget=args.budget))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
