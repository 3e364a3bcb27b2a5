"""Small text helpers the report formats share (so they word things the same way)."""

from __future__ import annotations

from typing import Any

from barrierlab.checker.report.counterexample import timeline_rows
from barrierlab.model.events import trace_from_json

__all__ = [
    "Row",
    "coverage",
    "rejected_where",
    "scenario_line",
    "space_cell",
    "space_line",
    "timeline",
    "title",
]

Row = tuple[int, int, str, str, str, bool]


def coverage(counts: dict[str, int] | None) -> str:
    """``"29/164 (18%)"``; ``"-"`` for no count and ``"0/0"`` for nothing to cover.

    >>> coverage({"covered": 1, "total": 3}), coverage({"covered": 0, "total": 0})
    ('1/3 (33%)', '0/0')
    """
    if counts is None:
        return "-"
    covered, total = counts["covered"], counts["total"]
    return f"{covered}/{total} ({100 * covered // total}%)" if total else f"{covered}/{total}"


def space_cell(space: dict[str, Any] | None) -> str:
    """The generated space's coverage in a table cell: ``"30 tried: 18 exh., 11 smp., 1 fail"``.

    >>> space_cell(None)
    'off'
    >>> space_cell({"tried": 30, "exhausted": 18, "sampled": 11, "failed": 1, "complete": False})
    '30 tried: 18 exh., 11 smp., 1 fail'
    """
    if space is None:
        return "off"
    whole = " (all)" if space["complete"] else ""
    return (
        f"{space['tried']} tried{whole}: {space['exhausted']} exh., {space['sampled']} smp., "
        f"{space['failed']} fail"
    )


def space_line(space: dict[str, Any] | None) -> str:
    """A sentence on the generated space's coverage (the ``synthesis`` record of a result)."""
    if space is None:
        return "Generated scenarios: none (synthesis off)."
    b = space["bounds"]
    asked = "" if space["limit"] is None else f" (the first {space['limit']} asked for)"
    whole = ", the whole space" if space["complete"] else ""
    return (
        f"Generated scenarios (parties <= {b['max_parties']}, threads <= {b['max_threads']}, "
        f"steps <= {b['max_ops']}, without repeats): {space['tried']} tried{asked}{whole}; "
        f"{space['exhausted']} explored exhaustively, {space['sampled']} only sampled, "
        f"{space['failed']} failed; {space['schedules']} schedules; rules exercised: "
        f"{', '.join(space['rules_exercised']) or 'none'}."
    )


def title(violation: dict[str, Any]) -> str:
    """``"R-INDEX [spec] in scenario two-generations"``."""
    what = violation["rule"] or violation["kind"]
    return f"{what} [{violation['kind']}] in scenario {violation['scenario']['name']}"


def scenario_line(scenario: dict[str, Any]) -> str:
    """``"parties=2, action=ok, timeout=1; t0: wait wait | t1: wait"``."""
    parts = [f"parties={scenario['parties']}"]
    if scenario.get("action", "none") != "none":
        parts.append(f"action={scenario['action']}")
    if scenario.get("timeout") is not None:
        parts.append(f"timeout={scenario['timeout']:g}")
    programs = " | ".join(f"t{i}: {p}" for i, p in enumerate(scenario["threads"]))
    return ", ".join(parts) + "; " + programs


def timeline(violation: dict[str, Any]) -> list[Row]:
    """One row per event: (number, thread, text, virtual time, spec state, rejected here).

    Events are numbered from 0, as the spec's messages count them.
    """
    trace = trace_from_json(violation["trace"])
    at = violation["rejected_at"]
    rows = timeline_rows(trace, violation["states"])
    return [
        (i, tid, text, f"{when:g}", state, i == at)
        for i, (_, tid, text, when, state) in enumerate(rows)
    ]


def rejected_where(violation: dict[str, Any]) -> str | None:
    """Where the spec rejected the trace, in words (None if it did not: a crash, a livelock)."""
    at = violation["rejected_at"]
    if at is None:
        return None
    return "the end of the run" if at >= len(violation["trace"]) else f"event #{at}"
