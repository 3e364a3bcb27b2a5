"""Which rule a rejected trace breaks, and one sentence saying why.

When no configuration allows an event, :func:`diagnose` looks at what the configurations
expected of the event's thread and names the rule whose promise the event breaks:

=====================================  ===================================================
the event                              the rule
=====================================  ===================================================
a return/raise with no call pending,   ``T-WELLFORMED``
a call while one is pending, time
going back, an action ending unstarted
``wait`` returns an index out of       ``R-INDEX``
range, or one already returned
``wait`` returns where the spec        the rule that made it fail (``R-TIMEOUT``,
expected it to raise                   ``R-RESET``, ``R-ABORT``, ``R-ACTION-FAIL``,
                                       ``R-BROKEN-WAIT``...)
``wait`` returns before its            ``R-ACTION-ONCE`` if the action was still due,
generation was released                else ``R-RESET`` after a reset, ``R-REUSE`` after
                                       an earlier generation, else ``R-RELEASE``
``wait`` raises though released        ``R-RELEASE-ALL`` (``R-TIMEOUT`` if its own deadline
                                       had passed)
``wait`` raises early                  ``R-RESET`` if a reset came after the last return
                                       of a wait, else the timeout's rule if its deadline
                                       had not come, else ``R-RESET`` after any reset,
                                       else ``R-BROKEN-WAIT``
an exception that is neither           ``R-ERROR-TYPE``
BrokenBarrierError nor the action's
an action event that is not allowed    ``R-ACTION-ONCE``
a read with a wrong value              ``R-N-WAITING`` / ``R-BROKEN-FLAG`` / ``R-PARTIES``
=====================================  ===================================================

At the end of a complete trace, :func:`diagnose_end` names what the spec says should have
happened to a thread still blocked (a released party: ``R-RELEASE-ALL``; a failed one: the
rule that failed it; a pending reset: ``R-RESET``...). A cpython rejection of a trace the
documented profile accepts is one of CPython's own rules: :func:`diagnose_cpython`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from barrierlab.model.events import BROKEN, OPS, ActionEnd, ActionStart, Call, Event, Return
from barrierlab.model.rules import RULES
from barrierlab.model.spec import Failing, Spec, State, Status

__all__ = ["diagnose", "diagnose_cpython", "diagnose_end"]

_READ_RULES = {"n_waiting": "R-N-WAITING", "broken": "R-BROKEN-FLAG", "parties": "R-PARTIES"}
# When several explanations are possible for a thread blocked at the end, the first wins.
_PRIORITY = (
    "R-TIMEOUT-DEFAULT",
    "R-TIMEOUT",
    "R-ACTION-FAIL",
    "R-ABORT",
    "R-RESET",
    "R-RELEASE-ALL",
    "R-BROKEN-WAIT",
)


def _op(st: Status | None) -> str | None:
    if st is None:
        return None
    if st.kind in ("call", "read", "done"):
        return st.op
    return "wait"


def _statuses(states: Sequence[State], tid: int) -> list[Status]:
    return [st for s in states if tid < len(s.threads) and (st := s.threads[tid]) is not None]


def _last(trace: Sequence[Event], i: int, pick: Any) -> Event | None:
    for e in reversed(trace[:i]):
        if pick(e):
            return e
    return None


def _time_bad(trace: Sequence[Event], i: int) -> bool:
    t = trace[i].time
    return t != t or any(e.time > t for e in trace[:i])


def diagnose(
    spec: Spec, states: Sequence[State], e: Event, trace: Sequence[Event], i: int
) -> tuple[str, str]:
    """The rule ``e`` (``trace[i]``) breaks, given the configurations ``states`` before it."""
    if _time_bad(trace, i):
        return "T-WELLFORMED", f"its time {e.time} is earlier than an event before it"
    tid = e.tid
    sts = _statuses(states, tid)
    ops = {_op(st) for st in sts}
    if isinstance(e, Call):
        if e.op not in OPS:
            return "T-WELLFORMED", f"{e.op!r} is not an operation of a barrier"
        return "T-WELLFORMED", f"t{tid} calls {e.op} while its previous call is pending"
    if isinstance(e, ActionStart):
        return "R-ACTION-ONCE", _action_start_why(spec, states, tid, "wait" in ops)
    if isinstance(e, ActionEnd):
        return "T-WELLFORMED", f"t{tid} ends an action it did not start"
    if e.op not in ops:
        return "T-WELLFORMED", f"t{tid} has no pending call of {e.op}"
    if e.op in _READ_RULES:
        if isinstance(e, Return):
            vals = sorted({v for s in states for v in _read_vals(spec, s, tid, e.op)}, key=repr)
            return _READ_RULES[e.op], f"{e.op} read {e.value!r}; the spec allowed {vals}"
        return "R-ERROR-TYPE", f"reading {e.op} raised {e.error}"
    if e.op in ("reset", "abort"):
        rule = "R-RESET" if e.op == "reset" else "R-ABORT"
        if isinstance(e, Return):
            return rule, f"{e.op}() returned {e.value!r} instead of None"
        return "R-ERROR-TYPE", f"{e.op}() raised {e.error}"
    if isinstance(e, Return):
        return _wait_return(spec, states, sts, e, trace, i)
    return _wait_raise(spec, sts, e, trace, i)


def _read_vals(spec: Spec, s: State, tid: int, op: str) -> frozenset[Any]:
    st = s.threads[tid]
    if st is not None and st.kind == "read":
        return st.values
    return spec.read_values(s, op)


def _action_start_why(spec: Spec, states: Sequence[State], tid: int, waiting: bool) -> str:
    if not spec.has_action:
        return "the barrier has no action, yet one ran"
    if not waiting:
        return f"t{tid} runs the action outside a call of wait"
    if any(s.trip is not None and s.trip[0] != "full" for s in states):
        return "the action runs a second time for the same generation"
    if any(s.trip is not None for s in states):
        return f"t{tid} is not a party of the generation the action is for"
    return f"the action runs before {spec.parties} threads have called wait (or after a break)"


_WHY = {
    "R-TIMEOUT": "its timeout expired",
    "R-TIMEOUT-DEFAULT": "the constructor's timeout expired",
    "R-ACTION-FAIL": "the action raised",
    "R-ABORT": "the barrier was aborted",
    "R-RESET": "the barrier was reset",
    "R-BROKEN-WAIT": "the barrier was broken",
}


def _err_reason(st: Failing) -> tuple[str, str]:
    cause = str(st.cause)
    why = _WHY.get(cause) or RULES[cause].statement
    return cause, f"it should raise {' or '.join(sorted(st.errors))}: {why}"


def _wait_return(
    spec: Spec,
    states: Sequence[State],
    sts: list[Status],
    e: Return,
    trace: Sequence[Event],
    i: int,
) -> tuple[str, str]:
    v, P = e.value, spec.parties
    anonymous = v is None and not spec.indices
    if not anonymous and (type(v) is not int or not 0 <= v < P):
        return "R-INDEX", f"index {v!r} is not in range({P})"
    if not anonymous and any(st.kind == "ret" for st in sts):
        return "R-INDEX", f"index {v} was already returned by another party of its generation"
    errs = sorted((st for st in sts if st.kind == "err"), key=lambda st: _rank(st.cause))
    if errs:
        return _err_reason(errs[0])
    if spec.has_action and any(
        s.trip is not None
        and (st := s.threads[e.tid]) is not None
        and _op(st) == "wait"
        and st.kind != "call"
        for s in states
    ):
        return "R-ACTION-ONCE", "a party returned before the action ran"
    prev = _last(trace, i, lambda x: isinstance(x, Return) and x.op in ("wait", "reset"))
    if isinstance(prev, Return) and prev.op == "reset":
        return "R-RESET", "after reset() the barrier must be empty: this wait returned early"
    rule = "R-RELEASE" if prev is None else "R-REUSE"
    return rule, f"t{e.tid} returned before {P} threads of its generation called wait"


def _wait_raise(
    spec: Spec, sts: list[Status], e: Any, trace: Sequence[Event], i: int
) -> tuple[str, str]:
    errs = [st for st in sts if st.kind == "err"]
    if e.error != BROKEN and not any(e.error in st.errors for st in errs):
        return "R-ERROR-TYPE", f"wait raised {e.error}, neither {BROKEN} nor the action's error"
    if errs:
        return "R-ERROR-TYPE", f"wait raised {e.error}; the spec expected another exception"
    rets = [st for st in sts if st.kind == "ret"]
    timed = _timing(trace, i, e.tid, spec.default_timeout)
    if rets:
        if timed is not None and timed[0] <= e.time:
            return timed[1], "its timeout expired only after the generation was released"
        return "R-RELEASE-ALL", f"t{e.tid} was released, so it must return an index"
    prev = _last(trace, i, lambda x: isinstance(x, Return) and x.op in ("reset", "wait"))
    if isinstance(prev, Return) and prev.op == "reset":
        return "R-RESET", "the barrier was reset, so it is not broken"
    if timed is not None and e.time < timed[0]:
        return timed[1], f"it raised at time {e.time:g}, before its deadline {timed[0]:g}"
    if _last(trace, i, lambda x: isinstance(x, Return) and x.op == "reset") is not None:
        return "R-RESET", "the barrier was reset, so it is not broken"
    return "R-BROKEN-WAIT", "wait raised although the barrier was neither broken nor reset"


def _timing(
    trace: Sequence[Event], i: int, tid: int, default: float | None
) -> tuple[float, str] | None:
    """(deadline, rule) of ``tid``'s pending wait at ``trace[i]``, if it has a timeout."""
    call = _last(trace, i, lambda x: isinstance(x, Call) and x.tid == tid)
    if not isinstance(call, Call):  # None: no call
        return None
    if call.timeout is not None:
        return call.time + max(0.0, call.timeout), "R-TIMEOUT"
    if default is not None:
        return call.time + max(0.0, default), "R-TIMEOUT-DEFAULT"
    return None


def _rank(rule: str | None) -> int:
    name = str(rule)
    return _PRIORITY.index(name) if name in _PRIORITY else len(_PRIORITY)


def diagnose_end(spec: Spec, terminal: Sequence[State]) -> tuple[str, str]:
    """The rule broken by a complete trace that leaves calls blocked that must move."""
    best: tuple[int, int, str, str] | None = None
    fewest = min((len(spec.completions(s)) for s in terminal), default=0)
    for s in terminal:
        if len(spec.completions(s)) != fewest:
            continue
        for tid, st in enumerate(s.threads):
            item = _stuck(spec, s, tid, st)
            if item is not None:
                cand = (_rank(item[0]), tid, *item)
                if best is None or cand[:2] < best[:2]:
                    best = cand
    if best is None:
        return "R-RELEASE-ALL", "the run ended with calls blocked that the spec lets move"
    return best[2], best[3] + ", yet the run ended with it blocked"


def _stuck(spec: Spec, s: State, tid: int, st: Status | None) -> tuple[str, str] | None:
    if st is None:
        return None
    if st.kind == "ret":
        return "R-RELEASE-ALL", f"t{tid} was released (its generation is complete)"
    if st.kind == "err":
        rule, why = _err_reason(st)
        return rule, f"t{tid}: {why}"
    if st.kind == "read":
        return _READ_RULES[st.op], f"t{tid}'s read of {st.op} should have returned"
    if st.kind == "done":
        return ("R-RESET" if st.op == "reset" else "R-ABORT"), f"t{tid}'s {st.op}() should return"
    if s.trip is not None and s.trip[0] == "full" and st.kind in ("w", "run"):
        return "R-RELEASE-ALL", f"t{tid}'s generation is complete but its action never ran"
    if s.trip is not None and s.trip[0] == "run" and s.trip[1] == tid:
        return "T-WELLFORMED", f"t{tid} started the action and it never ended"
    return None


def _generations_since_call(trace: Sequence[Event], i: int, tid: int) -> int:
    """How many other waits returned since ``tid``'s pending call."""
    n = 0
    for e in reversed(trace[:i]):
        if e.tid == tid and isinstance(e, Call):
            break
        n += isinstance(e, Return) and e.op == "wait"
    return n


def diagnose_cpython(
    spec: Spec, states: Sequence[State], e: Event | None, trace: Sequence[Event], i: int
) -> tuple[str, str]:
    """The CPython rule broken by an event the documented profile allows."""
    if e is None:
        return "C-DRAIN", "CPython would not leave these calls blocked"
    tid = e.tid
    sts = _statuses(states, tid)
    if isinstance(e, ActionStart | ActionEnd):
        return "C-ACTION-LAST", "in CPython the last thread to arrive runs the action"
    if isinstance(e, Call):
        return "T-WELLFORMED", f"t{tid} calls {e.op} while its previous call is pending"
    if e.op == "n_waiting":
        return "C-N-WAITING", "CPython's n_waiting counts only a filling generation's threads"
    if e.op in ("reset", "abort"):
        return "C-ACTION-LOCK", f"CPython's {e.op}() waits for a running action to finish"
    if e.op != "wait":
        return "C-DRAIN", f"CPython would not read {e.op} as {getattr(e, 'value', None)!r} here"
    if isinstance(e, Return):
        if any(st.kind in ("ret", "w", "run") for st in sts):
            return (
                "C-INDEX-ORDER",
                "CPython returns the arrival order; the last gets parties-1",
            )
        return "C-DRAIN", "in CPython a thread arriving during a drain waits for it to finish"
    if any(st.kind == "err" for st in sts) or (e.error != BROKEN):
        return (
            "C-ACTION-LAST",
            "in CPython the action's exception reaches the thread that ran it",
        )
    if any(s.trip is not None for s in states):
        return "C-ACTION-LOCK", "in CPython no timeout breaks the barrier while the action runs"
    if _generations_since_call(trace, i, tid) >= spec.parties:
        return "C-DRAIN", "in CPython no later generation passes while a released one drains"
    if any(st.kind == "ret" and st.lo == spec.parties - 1 for st in sts):
        return (
            "C-ACTION-LAST",
            "in CPython the last arrival returns parties-1 whatever follows",
        )
    if _last(trace, i, lambda x: isinstance(x, Return) and x.op == "reset") is not None:
        return "C-RESET-DRAIN", "in CPython a reset while draining lets released threads return"
    return "C-DRAIN", "in CPython a thread arriving during a drain waits for it to finish"
