"""``barrierlab replay TOKEN``: rerun exactly one schedule and show its counterexample."""

from __future__ import annotations

import argparse
import json

from barrierlab.checker import api
from barrierlab.checker.cli.output import out
from barrierlab.checker.report.counterexample import render
from barrierlab.model.events import trace_to_json

NAME = "replay"
HELP = "rerun the exact schedule of a replay token"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Rerun the schedule a token holds (target, scenario, profile, choices) and print the "
        "same counterexample. Exit 1 when the violation reproduces; 0 when it does not (the "
        "target changed: 'passed', or the run took another path: 'diverged'); 2 for a bad "
        "token."
    )
    parser.add_argument("token", help="the token printed after 'barrierlab replay'")
    parser.add_argument("--json", action="store_true", help="print one JSON object on stdout")


def run(args: argparse.Namespace) -> int:
    result = api.replay(args.token.strip())
    j = result.judgement
    if args.json:
        out(
            json.dumps(
                {
                    "status": result.status,
                    "target": result.token.target,
                    "profile": result.token.profile,
                    "scenario": result.token.scenario["name"],
                    "kind": j.kind,
                    "rule": j.rule,
                    "message": j.message,
                    "diverged_at": result.diverged_at,
                    "divergence": result.divergence,
                    "trace": trace_to_json(result.run.trace),
                },
                indent=2,
            )
        )
    elif result.status == "reproduced":
        assert j.kind is not None  # reproduced: the judgement found a violation
        out(
            render(
                kind=j.kind,
                rule=j.rule,
                message=j.message,
                scenario=result.scenario,
                trace=result.run.trace,
                states=j.verdict.states,
                rejected_at=j.rejected_at,
                allowed=j.verdict.allowed,
                blocked=result.run.blocked,
                crash=result.run.crash,
                token=args.token.strip(),
            )
        )
    elif result.status == "diverged":
        out(
            f"did not reproduce: {result.divergence}; the run then passed the spec "
            "(did the target change, or is it not deterministic?)"
        )
    else:
        out("did not reproduce: the recorded schedule ran to the end and passed the spec")
    return 1 if result.status == "reproduced" else 0
