"""``barrierlab check TARGET``: explore the scenarios and judge every schedule."""

from __future__ import annotations

import argparse
import itertools
import json
import os

from barrierlab.checker import api
from barrierlab.checker.cli.output import out, progress, progress_done
from barrierlab.checker.cli.scenario_options import (
    add_scenario_arguments,
    bounds,
    chosen_scenarios,
    synthesis,
)
from barrierlab.checker.explore.cluster import ADDRESS_VARIABLE, check_on_dask
from barrierlab.checker.explore.options import SCHEDULER_NAMES, CheckOptions
from barrierlab.checker.explore.parallel import RESPLIT_AFTER, check_parallel
from barrierlab.checker.report.checks import DEFAULT_MAX_SCHEDULES
from barrierlab.checker.report.counterexample import render_violation
from barrierlab.checker.runtime.capabilities import FULL
from barrierlab.model.errors import InvalidArgument

NAME = "check"
HELP = "check a barrier implementation against the spec"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Run TARGET (a class or factory called as Name(parties, action=None, timeout=None)) "
        "under a deterministic scheduler on every built-in scenario, then on generated "
        "scenarios (smallest first, within --max-parties/--max-threads/--max-ops) while the "
        "budget lasts, or on the scenarios given, and check every trace "
        "against the spec. Exit 0: no violation found; 1: a violation (with a replay "
        "command); 2: bad usage or a target that cannot be loaded."
    )
    parser.add_argument("target", help="'package.module:Name' or 'path/to/file.py:Name'")
    add_check_options(parser)
    parser.add_argument(
        "--jobs",
        type=int,
        default=1,
        help="worker processes to spread the scenarios over (default 1; with --max-schedules "
        "the result is the same either way)",
    )
    add_executor_options(parser)
    parser.add_argument(
        "--split-depth",
        type=int,
        metavar="D",
        help="with --scheduler dfs: split each scenario's search into the subtrees under its "
        "schedule prefixes of D choices, spread over the --jobs workers or the Dask cluster",
    )
    parser.add_argument(
        "--resplit-after",
        type=int,
        metavar="N",
        default=RESPLIT_AFTER,
        help="with --split-depth: a subtree still unfinished after N schedules (or 5 s, without "
        f"--max-schedules) gives its untried branches to idle workers (default {RESPLIT_AFTER}; "
        "0: never)",
    )
    parser.add_argument(
        "--all",
        action="store_true",
        help="print every counterexample in full (default: the shortest of each rule in full, "
        "the others one line each)",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object on stdout")


def add_executor_options(parser: argparse.ArgumentParser) -> None:
    """Where the work runs: ``--executor`` and ``--dask-address`` (for check and report)."""
    parser.add_argument(
        "--executor",
        choices=("processes", "dask"),
        default=None,
        help="processes (default): --jobs local processes; dask: a Dask LocalCluster of --jobs "
        "worker processes, or the running cluster of --dask-address (needs "
        "pip install 'barrierlab[dask]')",
    )
    parser.add_argument(
        "--dask-address",
        metavar="ADDRESS",
        default=os.environ.get(ADDRESS_VARIABLE) or None,
        help="tcp://HOST:PORT of a running 'dask scheduler' (implies --executor dask; default "
        f"${ADDRESS_VARIABLE}); 'module:Name' targets must be importable on its workers, "
        "file targets are shipped",
    )


def uses_dask(args: argparse.Namespace) -> bool:
    """True when ``args`` ask for the Dask executor; rejects a contradiction."""
    if args.executor == "processes" and args.dask_address:
        raise InvalidArgument("--dask-address runs on Dask: drop --executor processes")
    return args.executor == "dask" or bool(args.dask_address)


def add_check_options(parser: argparse.ArgumentParser, *, report: bool = False) -> None:
    """Add the flags of :class:`~barrierlab.checker.explore.options.CheckOptions` to ``parser``
    (read back by :func:`check_options`). ``report``: only those a report takes, with its
    defaults: ``--profile`` may be ``both``, a fixed number of schedules, seed 0."""
    if report:
        parser.add_argument(
            "--profile",
            choices=(*api.PROFILES, "both"),
            default="documented",
            help="documented (default), cpython (this Python's), cpython-3.X, or both "
            "(documented and cpython)",
        )
        parser.add_argument(
            "--max-schedules",
            type=int,
            default=DEFAULT_MAX_SCHEDULES,
            help=f"schedules per scenario (default {DEFAULT_MAX_SCHEDULES})",
        )
        parser.add_argument(
            "--seed", type=int, default=0, help="seed of the schedulers (default 0)"
        )
    else:
        parser.add_argument(
            "--profile",
            choices=api.PROFILES,
            default="documented",
            help="documented: what the docs allow (default); cpython: the exact behaviour of "
            "the CPython running barrierlab; cpython-3.X: that of CPython 3.X where versions "
            "differ",
        )
        parser.add_argument(
            "--scheduler",
            choices=SCHEDULER_NAMES,
            default="portfolio",
            help=(
                "portfolio (default): exhaustive DFS where the space is small, PCT and random "
                "beyond; dfs: exhaustive with partial-order reduction; random; pct; hypothesis: "
                "Hypothesis-driven search that shrinks a failing schedule"
            ),
        )
        parser.add_argument("--budget", type=float, help="seconds for the whole check (default 45)")
        parser.add_argument("--max-schedules", type=int, help="schedules per scenario at most")
        parser.add_argument(
            "--seed", type=int, help="seed of the randomized schedulers (default 0)"
        )
    add_scenario_arguments(parser, report=report)
    parser.add_argument(
        "--ignore-rule",
        action="append",
        default=[],
        metavar="ID",
        help="look past violations of this rule, a known deviation (repeatable)",
    )
    parser.add_argument(
        "--in-process",
        action="store_true",
        help="run each check in this process, not in a supervised worker process (saves about "
        "a second a check; a target that crashes the process then ends the command too)",
    )
    if report:
        return
    parser.add_argument(
        "--no-line-level",
        action="store_true",
        help="do not preempt at every line of the target's own source files",
    )
    parser.add_argument("--fail-fast", action="store_true", help="stop at the first violation")
    parser.add_argument(
        "--broken-error",
        metavar="MODULE:NAME",
        help="the exception the target raises for a broken barrier, when it is neither a "
        "BrokenBarrierError attribute of its class or module nor threading's",
    )


def check_options(args: argparse.Namespace) -> CheckOptions:
    """The options :func:`add_check_options` (not ``report``) added, as parsed."""
    on, generated = synthesis(args)
    return CheckOptions(
        synthesis=on,
        generated=generated,
        bounds=bounds(args),
        profile=args.profile,
        scheduler=args.scheduler,
        budget=args.budget,
        max_schedules=args.max_schedules,
        seed=args.seed,
        scenarios=chosen_scenarios(args),
        line_level=False if args.no_line_level else None,
        fail_fast=args.fail_fast,
        ignore_rules=args.ignore_rule,
        broken_error=args.broken_error,
    )


def run(args: argparse.Namespace) -> int:
    if args.jobs < 1:
        raise InvalidArgument(f"--jobs must be >= 1, got {args.jobs}")
    if args.resplit_after < 0:
        raise InvalidArgument(f"--resplit-after must be >= 0 (0: never), got {args.resplit_after}")
    options = check_options(args)
    if uses_dask(args):
        shown = None if args.json else progress
        result = check_on_dask(
            args.target,
            workers=args.jobs,
            address=args.dask_address,
            options=options,
            on_progress=shown,
            split_depth=args.split_depth,
            resplit_after=args.resplit_after,
        )
        progress_done()
        return _show(result, args)
    if args.jobs > 1 or args.split_depth is not None:
        shown = None if args.json else progress
        result = check_parallel(
            args.target,
            workers=args.jobs,
            options=options,
            split_depth=args.split_depth,
            resplit_after=args.resplit_after,
            on_progress=shown,
        )
        progress_done()
        return _show(result, args)
    result = api.check(
        args.target,
        options,
        on_progress=None if args.json else progress,
        supervised=not args.in_process,
    )
    progress_done()
    return _show(result, args)


def _show(result: api.CheckResult, args: argparse.Namespace) -> int:
    if args.json:
        out(json.dumps(result.to_json(), indent=2))
    else:
        _print_summary(result, show_all=args.all)
    return 1 if result.violations else 0


def _preemptions(violation) -> int:
    """How often the schedule switched threads (a proxy for its preemptions)."""
    tids = [c.tid for c in violation.result.choices]
    return sum(a != b for a, b in itertools.pairwise(tids))


def _shortest_first(violations: list) -> list:
    """Fewest events, then fewest thread switches, then scenario order."""
    return sorted(violations, key=lambda v: (len(v.trace), _preemptions(v)))


def by_rule(violations: list) -> dict[str, list]:
    """The violations grouped by rule (or verdict kind), each group shortest first."""
    groups: dict[str, list] = {}
    for v in violations:
        groups.setdefault(v.rule or v.kind, []).append(v)
    return {rule: _shortest_first(vs) for rule, vs in groups.items()}


def _print_summary(result: api.CheckResult, show_all: bool = False) -> None:
    groups = by_rule(result.violations)
    for rule, violations in groups.items():
        full = violations if show_all else violations[:1]
        if len(groups) > 1 or len(violations) > 1:
            out(f"== {rule}: {len(violations)} scenario(s) ==")
        for violation in full:
            _print_violation(violation, result.target)
        rest = violations[len(full) :]
        if rest:
            out(f"{len(rest)} more of {rule} (the shortest is above; --all prints them in full):")
            for v in rest:
                out(f"  {v.scenario.name}: {len(v.trace)} events: barrierlab replay {v.token}")
            out()
    _print_table(result)


def _print_violation(violation, target: str) -> None:
    out(render_violation(violation))
    if violation.shrunk_from is not None:
        out(f"shrunk from the generated scenario {violation.shrunk_from.to_args()}")
    out(f"rerun this scenario: barrierlab check {target} {violation.scenario.to_args()}")
    out()


def _print_table(result: api.CheckResult) -> None:
    covered, judged = result.rule_coverage()
    n_judged, of = result.rules_judged()
    unrun = 0
    for s in result.scenarios:
        if not s.violation and not s.schedules:
            unrun += 1  # the budget ended before its first schedule: no evidence either way
            out(f"--   {s.scenario.name:<28}      0 schedules (not run: the budget ran out)")
            continue
        status = "FAIL" if s.violation else "ok  "
        how = "exhaustive: every interleaving up to equivalence" if s.exhaustive else "sampled"
        ignored = "".join(f"; {n} ignored {r}" for r, n in sorted(s.ignored.items()))
        out(
            f"{status} {s.scenario.name:<28} {s.schedules:>6} schedules "
            f"({how}, {s.seconds:.1f}s{ignored})"
        )
    for name, missing in result.skipped.items():
        out(f"n/a  {name:<28} not run: it needs {', '.join(missing)}")
    caps = result.capabilities
    if caps != FULL:
        out(f"target offers: {caps.describe()}")
    for rule, why in sorted(result.not_applicable.items()):
        out(f"not applicable: {rule}: {why}")
    for rule in sorted(result.ignored):
        out(f"ignored (--ignore-rule): {rule}")
    out(
        f"{result.target} [{result.profile}]: {result.verdict.upper()}: "
        f"{len(result.violations)} violation(s)"
        f"{f' of {len(by_rule(result.violations))} rule(s)' if result.violations else ''}; "
        f"{result.schedules} schedules, "
        f"{'exhaustive' if result.exhaustive else 'not exhaustive'}; "
        f"rules judged {n_judged}/{of}, exercised {covered}/{judged}; {result.seconds:.1f}s"
    )
    if unrun:
        out(
            f"{unrun} scenario(s) not run: the budget ran out before their first schedule "
            "(a larger --budget runs them)"
        )
    if result.space is not None:
        out(result.space.summary())
