"""``barrierlab spec``: print the spec's state graph for a scenario (DOT, GraphML or JSON)."""

from __future__ import annotations

import argparse

from barrierlab.checker.cli.output import out
from barrierlab.checker.scenario import Scenario
from barrierlab.model.errors import InvalidArgument
from barrierlab.model.graph import blocked_forever, state_graph, to_dot, to_graphml, to_json
from barrierlab.model.rules import ASYNC_PROFILES
from barrierlab.model.versions import PROFILE_NAMES, parse_profile, rejects_invalid_parties

NAME = "spec"
HELP = "print the state graph of the barrier spec for given parties and thread programs"
FORMATS = {"dot": to_dot, "graphml": to_graphml, "json": to_json}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--parties", type=int, default=2, help="threads per generation (>= 1)")
    parser.add_argument(
        "--threads",
        nargs="+",
        metavar="PROGRAM",
        help="one program per thread, e.g. 'wait wait(0.5) n_waiting' "
        "(default: PARTIES threads that each wait once)",
    )
    parser.add_argument(
        "--profile",
        choices=(*PROFILE_NAMES, *ASYNC_PROFILES),
        default="documented",
        help="whose rules (cpython-3.X: the same graph as cpython; the summary says what the "
        "version requires of construction)",
    )
    parser.add_argument("--timeout", type=float, default=None, help="the constructor's timeout")
    parser.add_argument("--action", action="store_true", help="the barrier has an action")
    parser.add_argument(
        "--format",
        choices=[*FORMATS, "summary"],
        default="dot",
        help="output format (summary: sizes and deadlock states only)",
    )
    parser.add_argument(
        "--max-states", type=int, default=200_000, help="give up above this many states"
    )


def run(args: argparse.Namespace) -> int:
    if args.parties < 1:
        raise InvalidArgument(f"--parties must be >= 1, got {args.parties}")
    if args.max_states < 1:
        raise InvalidArgument(f"--max-states must be >= 1, got {args.max_states}")
    threads = args.threads or ["wait"] * args.parties
    scenario = Scenario.build(
        "spec",
        parties=args.parties,
        threads=threads,
        timeout=args.timeout,
        action="ok" if args.action else "none",
    )
    G = state_graph(
        args.parties,
        scenario.model_programs(),
        profile=args.profile,
        default_timeout=args.timeout,
        has_action=args.action,
        max_states=args.max_states,
    )
    if args.format != "summary":
        out(FORMATS[args.format](G).rstrip("\n"))
        return 0
    stuck = blocked_forever(G)
    out(f"{args.profile} spec, parties={args.parties}, {len(threads)} threads")
    out(f"states: {G.number_of_nodes()}  edges: {G.number_of_edges()}")
    out(f"blocked forever: {len(stuck)} region(s)")
    for region in stuck:
        for node in sorted(region):
            out(f"  state {node}: {G.nodes[node]['label']}")
    if args.profile not in ASYNC_PROFILES:
        out(f"construction: {_construction(args.profile)}")
    return 0


def _construction(profile: str) -> str:
    """What ``profile`` requires of ``Barrier(parties)`` for ``parties < 1`` (not in the graph:
    a graph starts from a built barrier)."""
    resolved = parse_profile(profile)
    if rejects_invalid_parties(resolved):
        return "parties < 1 must raise ValueError (C-PARTIES)"
    if resolved.version is None:
        return "parties < 1 not judged (the documentation does not say what it raises)"
    major, minor = resolved.version
    return f"parties < 1 not judged (CPython {major}.{minor} need not refuse it)"
