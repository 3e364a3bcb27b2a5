"""``barrierlab check TARGET``: explore the scenarios and judge every schedule."""

from __future__ import annotations

import argparse
import json

from barrierlab.checker import api
from barrierlab.checker.cli.output import out, progress, progress_done
from barrierlab.checker.explore.parallel import check_parallel
from barrierlab.checker.explore.scenario_catalogue import SCENARIOS
from barrierlab.checker.report.counterexample import render
from barrierlab.checker.schedulers import SCHEDULERS
from barrierlab.model.errors import InvalidArgument

NAME = "check"
HELP = "check a barrier implementation against the spec"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Run TARGET (a class or factory called as Name(parties, action=None, timeout=None)) "
        "under a deterministic scheduler on every built-in scenario and check every trace "
        "against the spec. Exit 0: no violation found; 1: a violation (with a replay "
        "command); 2: bad usage or a target that cannot be loaded."
    )
    parser.add_argument("target", help="'package.module:Name' or 'path/to/file.py:Name'")
    parser.add_argument(
        "--profile",
        choices=api.PROFILES,
        default="documented",
        help="documented: what the docs allow (default); cpython: CPython's exact behaviour",
    )
    parser.add_argument(
        "--scheduler",
        choices=("portfolio", *(n for n in SCHEDULERS if n != "replay")),
        default="portfolio",
        help=(
            "portfolio (default): exhaustive DFS where the space is small, PCT and random "
            "beyond; dfs: exhaustive with partial-order reduction; random; pct; hypothesis: "
            "Hypothesis-driven search that shrinks a failing schedule"
        ),
    )
    parser.add_argument("--budget", type=float, help="seconds for the whole check (default 45)")
    parser.add_argument("--max-schedules", type=int, help="schedules per scenario at most")
    parser.add_argument("--seed", type=int, help="seed of the randomized schedulers (default 0)")
    parser.add_argument(
        "--scenario",
        action="append",
        metavar="NAME",
        help=f"run only this scenario (repeatable): {', '.join(SCENARIOS)}",
    )
    parser.add_argument(
        "--no-line-level",
        action="store_true",
        help="do not preempt at every line of the target's own source files",
    )
    parser.add_argument("--fail-fast", action="store_true", help="stop at the first violation")
    parser.add_argument(
        "--jobs",
        type=int,
        default=1,
        help="worker processes to spread the scenarios over (default 1; with --max-schedules "
        "the result is the same either way)",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object on stdout")


def run(args: argparse.Namespace) -> int:
    if args.jobs < 1:
        raise InvalidArgument(f"--jobs must be >= 1, got {args.jobs}")
    options = {
        "profile": args.profile,
        "scheduler": args.scheduler,
        "budget": args.budget,
        "max_schedules": args.max_schedules,
        "seed": args.seed,
        "scenarios": args.scenario,
        "line_level": False if args.no_line_level else None,
        "fail_fast": args.fail_fast,
    }
    if args.jobs > 1:
        return _show(check_parallel(args.target, workers=args.jobs, **options), args)
    result = api.check(args.target, on_progress=None if args.json else progress, **options)
    progress_done()
    return _show(result, args)


def _show(result: api.CheckResult, args: argparse.Namespace) -> int:
    if args.json:
        out(json.dumps(result.to_json(), indent=2))
    else:
        _print_summary(result)
    return 1 if result.violations else 0


def _print_summary(result: api.CheckResult) -> None:
    for violation in result.violations:
        out(
            render(
                kind=violation.kind,
                rule=violation.rule,
                message=violation.message,
                scenario=violation.scenario,
                trace=violation.trace,
                states=violation.verdict.states,
                rejected_at=violation.verdict.index
                if violation.kind in ("spec", "deadlock")
                else None,
                allowed=violation.verdict.allowed,
                blocked=violation.result.blocked,
                crash=violation.result.crash,
                token=violation.token,
            )
        )
        out()
    covered, total = result.rule_coverage()
    for s in result.scenarios:
        status = "FAIL" if s.violation else "ok  "
        how = "exhaustive" if s.exhaustive else "sampled"
        out(f"{status} {s.scenario.name:<28} {s.schedules:>6} schedules ({how}, {s.seconds:.1f}s)")
    out(
        f"{result.target} [{result.profile}]: {result.verdict.upper()}: "
        f"{len(result.violations)} violation(s); {result.schedules} schedules, "
        f"{'exhaustive' if result.exhaustive else 'not exhaustive'}; "
        f"rules exercised {covered}/{total}; {result.seconds:.1f}s"
    )


def _rejected_at(violation) -> int | None:
    """Where the spec rejected the trace (only for spec and deadlock verdicts)."""
    return violation.verdict.index if violation.kind in ("spec", "deadlock") else None
