"""The scenario options ``check`` and ``report`` share: which scenarios to run.

* ``--scenario NAME`` (repeatable): a built-in scenario;
* ``--parties N --threads PROGRAM ... [--action A] [--timeout T]``: one custom scenario, in the
  syntax ``barrierlab spec`` takes (:func:`barrierlab.checker.scenario.parse_program`);
* ``--scenario-file F`` (repeatable): every scenario of a TOML or JSON file
  (:mod:`barrierlab.checker.explore.scenario_file`).

They add up, in that order. Both also take the synthesis options: ``--no-synthesis``, how many
generated scenarios to run (``--generated``) and the bounds of the generated space
(``--max-parties``, ``--max-threads``, ``--max-ops``).
"""

from __future__ import annotations

import argparse

from barrierlab.checker.explore.generated import PROBE_SCHEDULES
from barrierlab.checker.explore.scenario_catalogue import CONSTRUCTION, SCENARIOS, select
from barrierlab.checker.explore.scenario_file import load_scenarios
from barrierlab.checker.explore.synthesis import Bounds
from barrierlab.checker.report.checks import Settings
from barrierlab.checker.scenario import Scenario
from barrierlab.model.errors import InvalidArgument

__all__ = ["add_scenario_arguments", "bounds", "chosen_scenarios", "synthesis"]


def add_scenario_arguments(parser: argparse.ArgumentParser, *, report: bool = False) -> None:
    """Add the scenario and synthesis options; ``report``: a report's wording."""
    group = parser.add_argument_group("scenarios")
    group.add_argument(
        "--scenario",
        action="append",
        metavar="NAME",
        help=f"run this built-in scenario (repeatable): {', '.join([*SCENARIOS, *CONSTRUCTION])}",
    )
    group.add_argument(
        "--threads",
        nargs="+",
        metavar="PROGRAM",
        help="a custom scenario: one program per thread, steps separated by spaces: wait, "
        "wait(SECONDS), reset, abort, n_waiting, broken, parties (e.g. 'wait wait' 'wait(0)')",
    )
    group.add_argument(
        "--parties", type=int, help="the custom scenario's parties (default 2; needs --threads)"
    )
    group.add_argument(
        "--action",
        metavar="ACTION",
        help="the custom scenario's action: none (default), ok, raise@K[,K...] (raises on its "
        "K-th call)",
    )
    group.add_argument(
        "--timeout", type=float, help="the custom scenario's constructor timeout (seconds)"
    )
    group.add_argument(
        "--scenario-file",
        action="append",
        metavar="FILE",
        help="run every scenario of this TOML or JSON file (repeatable; format in the README)",
    )
    group.add_argument(
        "--no-synthesis",
        action="store_true",
        help="run only the catalogue (by default, with no scenario options, a "
        + ("report" if report else "check")
        + " goes on into generated scenarios within the bounds below)",
    )
    group.add_argument(
        "--generated",
        type=int,
        metavar="N",
        default=None,
        help=(
            f"run the first N generated scenarios, each a short probe of {PROBE_SCHEDULES} "
            "schedules (default: as many as the catalogue's schedules pay for, "
            f"scenarios x --max-schedules / {PROBE_SCHEDULES}: {Settings().synthesis()} at "
            "the defaults); 0: none"
            if report
            else "generated scenarios to run at most; with --max-schedules: exactly the first "
            "N, each a short probe, so the result is the same serially and with --jobs "
            "(default: as many as the budget allows; with --max-schedules: none)"
        ),
    )
    defaults = Bounds()
    for name, text in (
        ("max_parties", "parties"),
        ("max_threads", "threads"),
        ("max_ops", "steps per thread"),
    ):
        group.add_argument(
            f"--{name.replace('_', '-')}",
            type=int,
            default=getattr(defaults, name),
            help=f"generated scenarios: at most this many {text} "
            f"(default {getattr(defaults, name)})",
        )


def chosen_scenarios(args: argparse.Namespace) -> list[Scenario] | None:
    """The scenarios the options name, or None when none is named (the default set)."""
    custom = [args.parties, args.action, args.timeout]
    if args.threads is None and any(v is not None for v in custom):
        raise InvalidArgument(
            "--parties, --action and --timeout describe a custom scenario: "
            "give its programs with --threads"
        )
    chosen: list[Scenario] = list(select(args.scenario)) if args.scenario else []
    if args.threads is not None:
        if any(not t.strip() for t in args.threads):
            raise InvalidArgument("--threads: a program is empty (give at least one step)")
        chosen.append(
            Scenario.build(
                "custom",
                parties=2 if args.parties is None else args.parties,
                threads=args.threads,
                timeout=args.timeout,
                action=args.action or "none",
            )
        )
    for path in args.scenario_file or ():
        chosen += load_scenarios(path)
    names = [s.name for s in chosen]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise InvalidArgument(f"two scenarios are named {repeated[0]!r}: rename one")
    return chosen or None


def synthesis(args: argparse.Namespace) -> tuple[bool | None, int | None]:
    """(synthesis on, off or by default; generated scenarios) as the options say."""
    if args.generated is not None and args.generated < 0:
        raise InvalidArgument(f"--generated must be >= 0, got {args.generated}")
    if args.no_synthesis or args.generated == 0:
        return False, None
    return None, args.generated


def bounds(args: argparse.Namespace) -> Bounds:
    """The bounds of the generated space the options give."""
    return Bounds(args.max_parties, args.max_threads, args.max_ops)
