"""A counterexample a person can read: the rule, the threads as columns, the spec state at each
step, and the command that replays it.

Example (abridged)::

    VIOLATION of R-INDEX [spec]: index in range(parties), distinct within a generation
      t1's wait returned 0, which t0 already got in this generation.
    scenario two-generations: parties=2
      t0: wait wait
      t1: wait wait
       #  t0                 t1                 spec state
       1  call wait()                           filling: t0 arrived
       2                     call wait()        ...
    rejected at #4; the spec allowed instead: t1 returns 1
    replay: barrierlab replay bl1-...
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from barrierlab.checker.scenario import Scenario
from barrierlab.model.events import ActionEnd, ActionStart, Call, Event, Raise, Return
from barrierlab.model.rules import RULES

if TYPE_CHECKING:  # pragma: no cover
    from barrierlab.checker.explore.search import Violation

__all__ = ["describe_event", "render", "timeline_rows"]

_COL = 32


def describe_event(event: Event) -> str:
    """A short text for one event, e.g. ``"wait(1) -> 0"``."""
    if isinstance(event, Call):
        arg = "" if event.timeout is None else f"{event.timeout:g}"
        return f"call {event.op}({arg})" if event.op in ("wait", "reset", "abort") else event.op
    if isinstance(event, Return):
        if event.op in ("reset", "abort"):
            return f"{event.op} returns"
        return f"{event.op} -> {event.value!r}"
    if isinstance(event, Raise):
        return f"{event.op} raises {event.error}"
    if isinstance(event, ActionStart):
        return "action starts"
    if isinstance(event, ActionEnd):
        return "action ends" if event.error is None else f"action raises {event.error}"
    return repr(event)  # pragma: no cover


def timeline_rows(
    trace: Sequence[Event], states: Sequence[str] = ()
) -> list[tuple[int, int, str, float, str]]:
    """One row per event: (event number from 0, as the spec's messages count, thread, text,
    virtual time, spec state after it)."""
    rows = []
    for i, event in enumerate(trace):
        state = states[i] if i < len(states) else ""
        rows.append((i, event.tid, describe_event(event), event.time, state))
    return rows


def render(
    *,
    kind: str,
    rule: str | None,
    message: str,
    trace: Sequence[Event],
    scenario: Scenario | None = None,
    header: str = "",
    threads: int = 0,
    states: Sequence[str] = (),
    rejected_at: int | None = None,
    allowed: Sequence[str] = (),
    blocked: Sequence[str] = (),
    crash: str | None = None,
    token: str | None = None,
) -> str:
    """The whole counterexample as text: of a ``scenario``, or of a trace from elsewhere
    (``header`` says what it is, ``threads`` how many columns it needs)."""
    lines = []
    title = f"VIOLATION of {rule} [{kind}]" if rule else f"VIOLATION [{kind}]"
    if rule in RULES:
        title += f": {RULES[rule].statement}"
    lines += [title, f"  {message}", f"scenario {scenario}" if scenario else header]
    if scenario is not None:
        threads = scenario.n_threads
    rows = timeline_rows(trace, states)
    width = min(_COL, max([len(r[2]) + 2 for r in rows] + [6]))
    columns = f"{'#':>4}  " + "".join(f"{f't{t}':<{width}}" for t in range(threads))
    lines.append(columns + f"{'time':>6}  spec state")
    for number, tid, text, when, state in rows:
        cells = ["" for _ in range(threads)]
        cells[tid] = text[: width - 1]
        marker = ">>" if rejected_at is not None and number == rejected_at else "  "
        row = f"{marker}{number:>2}  " + "".join(f"{c:<{width}}" for c in cells)
        lines.append(row + f"{when:>6g}  {state}")
    if rejected_at is not None:
        where = "the end of the run" if rejected_at >= len(trace) else f"event {rejected_at}"
        lines.append(f"rejected at {where}")
        if allowed:
            lines.append("the spec allowed instead: " + "; ".join(allowed))
    for line in blocked:
        lines.append(f"blocked: {line}")
    if crash:
        lines.append("traceback of the crash:")
        lines += ["    " + line for line in crash.rstrip().splitlines()]
    if token:
        lines.append(f"replay: barrierlab replay {token}")
    return "\n".join(lines)


def render_violation(violation: Violation) -> str:
    """The counterexample of a violation found by a check, ending with its replay command."""
    return render(
        kind=violation.kind,
        rule=violation.rule,
        message=violation.message,
        scenario=violation.scenario,
        trace=violation.trace,
        states=violation.verdict.states,
        rejected_at=violation.rejected_at,
        allowed=violation.verdict.allowed,
        blocked=violation.result.blocked,
        crash=violation.result.crash,
        token=violation.token,
    )
