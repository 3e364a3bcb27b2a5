"""``barrierlab accept TRACE``: judge a recorded trace against the spec."""

from __future__ import annotations

import argparse
import json
import math
import sys
from typing import Any

from barrierlab.checker.cli.output import out
from barrierlab.checker.report.counterexample import render
from barrierlab.model.accept import accept
from barrierlab.model.errors import InvalidArgument
from barrierlab.model.events import Event, trace_from_json
from barrierlab.model.rules import ASYNC_PROFILES
from barrierlab.model.versions import BASES, PROFILE_NAMES

NAME = "accept"
HELP = "judge a recorded trace (JSON) against the spec"

_KEYS = ("parties", "has_action", "default_timeout", "complete", "trace")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Decide whether a recorded trace is a behaviour the spec allows. TRACE is a JSON file "
        "('-' for standard input): either what barrierlab.checker.record.Recorder.save writes, "
        '{"parties": N, "has_action": ..., "default_timeout": ..., "complete": ..., "trace": '
        "[events]}, or a bare list of events (then --parties is needed). An event is an "
        'object such as {"kind": "call", "tid": 0, "op": "wait", "timeout": null, "time": 0.0}'
        '; kinds: call, return (with "value"), raise (with "error"), action_start, action_end '
        '(with "error" or null). Options given here override the file. Exit 0 when the trace '
        "is accepted (under every profile asked for), 1 when it is not, 2 for bad input."
    )
    parser.add_argument("trace", metavar="TRACE", help="a JSON trace file, or - for stdin")
    parser.add_argument("--parties", type=int, help="the barrier's parties (>= 1)")
    parser.add_argument(
        "--profile",
        choices=[*PROFILE_NAMES, *ASYNC_PROFILES, "both"],
        default="documented",
        help="what to judge by (both: documented and cpython; cpython-3.X judges a trace as "
        "cpython does: the versions differ only in construction, which a trace does not show)",
    )
    parser.add_argument("--action", action="store_true", help="the barrier had an action")
    parser.add_argument("--timeout", type=float, help="the constructor's timeout (seconds)")
    parser.add_argument(
        "--cut-short",
        action="store_true",
        help="the run was stopped early: calls left without an outcome are not a deadlock",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object on stdout")


def _load(path: str) -> Any:
    try:
        if path == "-":
            return json.load(sys.stdin)
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except OSError as error:
        raise InvalidArgument(f"cannot read {path}: {error.strerror or error}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise InvalidArgument(f"{path} is not JSON: {error}") from None


def _settings(data: Any, args: argparse.Namespace) -> tuple[tuple[Event, ...], dict[str, Any]]:
    if isinstance(data, list):
        data = {"trace": data}
    if not isinstance(data, dict) or "trace" not in data:
        raise InvalidArgument("a trace file is a JSON list of events or an object with 'trace'")
    unknown = sorted(set(data) - set(_KEYS))
    if unknown:
        raise InvalidArgument(f"unknown key(s) {', '.join(map(repr, unknown))}; known: {_KEYS}")
    trace = trace_from_json(data["trace"])
    parties = args.parties if args.parties is not None else data.get("parties")
    if parties is None:
        raise InvalidArgument("the file gives no parties: pass --parties N")
    if type(parties) is not int or parties < 1:
        raise InvalidArgument(f"parties must be an int >= 1, got {parties!r}")
    timeout = args.timeout if args.timeout is not None else data.get("default_timeout")
    if timeout is not None and (
        type(timeout) not in (int, float) or math.isnan(timeout) or timeout < 0
    ):
        raise InvalidArgument(f"the default timeout must be a number >= 0, got {timeout!r}")
    has_action = args.action or data.get("has_action", False)
    complete = not args.cut_short and data.get("complete", True)
    for name, value in (("has_action", has_action), ("complete", complete)):
        if type(value) is not bool:
            raise InvalidArgument(f"{name} must be true or false, got {value!r}")
    options = {
        "parties": parties,
        "has_action": has_action,
        "default_timeout": timeout,
        "complete": complete,
    }
    return trace, options


def run(args: argparse.Namespace) -> int:
    if args.parties is not None and args.parties < 1:
        raise InvalidArgument(f"--parties must be >= 1, got {args.parties}")
    trace, options = _settings(_load(args.trace), args)
    profiles = BASES if args.profile == "both" else (args.profile,)
    verdicts = {p: accept(trace, profile=p, **options) for p in profiles}
    threads = 1 + max((e.tid for e in trace), default=0)
    if args.json:
        out(
            json.dumps(
                {
                    "events": len(trace),
                    **options,
                    "verdicts": {
                        p: {
                            "ok": v.ok,
                            "rule": v.rule,
                            "index": v.index,
                            "message": v.message,
                            "allowed": list(v.allowed),
                            "rules_exercised": sorted(v.rules_exercised),
                        }
                        for p, v in verdicts.items()
                    },
                },
                sort_keys=True,
            )
        )
    else:
        for profile, v in verdicts.items():
            if v.ok:
                rules = ", ".join(sorted(v.rules_exercised)) or "none"
                out(f"ACCEPTED under {profile}: {len(trace)} events, {threads} thread(s)")
                out(f"  rules exercised: {rules}")
                continue
            out(
                render(
                    kind=f"spec, {profile}",
                    rule=v.rule,
                    message=v.message,
                    header=f"trace of {len(trace)} events, parties={options['parties']}",
                    threads=threads,
                    trace=trace[: (v.index or 0) + 1],
                    states=v.states,
                    rejected_at=v.index,
                    allowed=v.allowed,
                )
            )
            out()
    return 0 if all(v.ok for v in verdicts.values()) else 1
