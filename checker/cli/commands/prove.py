"""``barrierlab prove``: prove the spec's invariants for every parties >= 1 with z3."""

from __future__ import annotations

import argparse

from barrierlab.checker.cli.output import out
from barrierlab.model.crosscheck import cross_check
from barrierlab.model.moves import programs_of
from barrierlab.model.proofs import prove_all

NAME = "prove"
HELP = (
    "prove the spec's invariants for all parties >= 1 (asyncio's too), and that cpython "
    "refines documented"
)

#: Small configurations on which the z3 encoding is compared with the explicit graph.
CROSS_CHECKS = [
    (1, ["wait wait", "reset"], True, None),
    (2, ["wait wait", "wait wait"], True, None),
    (2, ["wait(1) reset", "wait n_waiting", "abort wait"], False, None),
    (3, ["wait", "wait(0.5) wait", "wait reset"], True, 1.0),
]

#: The same for the asyncio profile (no action, no constructor timeout; its graph has the
#: cancellation edges: every pending wait, reset and abort may be cancelled).
ASYNC_CROSS_CHECKS = [
    (1, ["wait wait", "reset"]),
    (2, ["wait wait", "wait wait"]),
    (2, ["wait", "abort", "wait n_waiting"]),
    (3, ["wait", "wait(0.5) wait", "wait reset"]),
]


_DIRECTIONS = ("forward", "reverse")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--no-cross-check",
        action="store_true",
        help="skip comparing the z3 encoding with the explicit state graph on small cases",
    )


def run(args: argparse.Namespace) -> int:
    failed = 0
    for outcome in prove_all():
        out(f"{outcome.verdict.value:8} {outcome.name}: {outcome.statement}")
        if not outcome.ok:
            failed += 1
            out(f"         counterexample: {outcome.counterexample}")
    if not args.no_cross_check:
        configurations = [
            (profile, parties, threads, action, timeout)
            for parties, threads, action, timeout in CROSS_CHECKS
            for profile in ("documented", "cpython")
        ]
        configurations += [
            ("asyncio", parties, threads, False, None) for parties, threads in ASYNC_CROSS_CHECKS
        ]
        for profile, parties, threads, action, timeout in configurations:
            problems = cross_check(
                parties,
                programs_of(threads),
                profile,
                has_action=action,
                default_timeout=timeout,
            )
            what = f"cross-check {profile}, parties={parties}, threads={threads}"
            if not problems:
                out(f"agrees   {what} (both directions)")
            else:
                n = {d: sum(p.startswith(f"{d}: ") for p in problems) for d in _DIRECTIONS}
                out(f"DIFFERS  {what} (forward: {n['forward']}, reverse: {n['reverse']})")
            for problem in problems:
                out(f"         {problem}")
            failed += bool(problems)
    out("all proofs passed" if not failed else f"{failed} proof(s) failed")
    return 1 if failed else 0
