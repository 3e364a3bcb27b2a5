"""``barrierlab prove``: prove the spec's invariants for every parties >= 1 with z3."""

from __future__ import annotations

import argparse

from barrierlab.checker.cli.output import out
from barrierlab.model.crosscheck import cross_check
from barrierlab.model.moves import programs_of
from barrierlab.model.proofs import prove_all

NAME = "prove"
HELP = "prove the spec's invariants for all parties >= 1, and that cpython refines documented"

#: Small configurations on which the z3 encoding is compared with the explicit graph.
CROSS_CHECKS = [
    (1, ["wait wait", "reset"], True, None),
    (2, ["wait wait", "wait wait"], True, None),
    (2, ["wait(1) reset", "wait n_waiting", "abort wait"], False, None),
    (3, ["wait", "wait(0.5) wait", "wait reset"], True, 1.0),
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
        for parties, threads, action, timeout in CROSS_CHECKS:
            for profile in ("documented", "cpython"):
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
