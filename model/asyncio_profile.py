"""The ``asyncio`` profile: what :class:`asyncio.Barrier`'s documentation allows, no more.

It is the ``documented`` profile (:mod:`barrierlab.model.documented`) with asyncio's
differences, and its own rule IDs (``A-...``, :mod:`barrierlab.model.asyncio_rules`):

* there is no action, and no timeout argument: a wait is bounded with ``asyncio.timeout(t)``
  (scenario step ``wait(t)``, trace ``Call(tid, "wait", timeout=t)``), whose expiry *cancels*
  the task; it never breaks the barrier as a threading timeout does;
* a wait may end in ``Raise(tid, "wait", "CancelledError")`` (or ``"TimeoutError"`` under a
  timeout, not before its deadline) at any moment before it returned: "When a waiting or
  blocked task in the barrier is cancelled, this task exits the barrier which stays in the same
  state. If the state of the barrier is 'filling', the number of waiting task decreases by 1."
  So the cancelled wait's effect depends on where it was:

  ================================  ==========================================================
  the wait was                      its cancellation
  ================================  ==========================================================
  called, not arrived (blocked)     has no effect
  arrived, the generation filling   withdraws the arrival: one more task is needed to release
  released, not yet returned        leaves: the others still return their distinct indices
  failed (broken or reset)          leaves with CancelledError instead of BrokenBarrierError
  ================================  ==========================================================

  A ``reset`` or ``abort`` may be cancelled too (``Raise(tid, "reset", "CancelledError")``):
  the documentation says nothing of it, so the profile accepts it before its effect (none
  happened) or after (it happened), never a part of it; a half-done reset shows as the state
  neither allows.

Whether the runtime really cancelled the task is the runtime's to check (a CancelledError
nobody asked for is a crash there); the profile judges what the barrier did about it. Other
behaviour is documented's: indices distinct within a generation among the tasks that return,
reset fails the waiters and leaves the barrier empty and filling, abort breaks it, ``broken``
and ``n_waiting`` read the state (a task blocked while the previous generation drains is not
waiting yet: its arrival can be placed later).

>>> from barrierlab.model.events import Call, Raise, Return
>>> t = [Call(0, "wait"), Call(1, "wait"), Call(2, "wait"), Raise(0, "wait", "CancelledError"),
...      Call(3, "wait"), Return(3, "wait", 2), Return(1, "wait", 1), Return(2, "wait", 1)]
>>> from barrierlab.model.accept import accept
>>> v = accept(t, parties=3, profile="asyncio")
>>> v.ok, v.rule
(False, 'A-INDEX')
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from barrierlab.model.asyncio_rules import RENAME
from barrierlab.model.documented import DocumentedSpec
from barrierlab.model.events import BROKEN, Call, Event, Raise, Return
from barrierlab.model.spec import (
    ALL,
    EPS,
    INF,
    Calling,
    Reading,
    State,
    Status,
    Step,
    Waiting,
    canon,
    with_thread,
)

__all__ = ["CANCELLED", "AsyncioSpec"]

#: The exception class names of an interrupted wait.
CANCELLED: Final = ("CancelledError", "TimeoutError")


def _renamed(steps: list[tuple[Step, State]]) -> list[tuple[Step, State]]:
    return [
        (Step(step.text, tuple(RENAME.get(str(r), r) for r in step.rules)), s) for step, s in steps
    ]


class AsyncioSpec(DocumentedSpec):
    """The asyncio profile (see the module docstring)."""

    profile = "asyncio"
    index_rules = ("A-INDEX",)

    def __init__(
        self,
        parties: int,
        *,
        has_action: bool = False,
        default_timeout: float | None = None,
        pool: bool = False,
    ) -> None:
        # No action and no constructor timeout exist; pool mode is not implemented for
        # cancellation, so the explicit search is used (scenarios here are small).
        super().__init__(parties, has_action=False, default_timeout=None, pool=False)

    def _internal(
        self, s: State, now: float, earliest: float, focus: int = ALL
    ) -> list[tuple[Step, State]]:
        out: list[tuple[Step, State]] = []
        for tid, st in enumerate(s.threads):
            if st is None or st[0] != "call":
                continue  # an asyncio timeout is a cancellation: it has no internal step
            if st[1] == "wait":
                out += self._wait_steps(s, tid, st, earliest)
            elif st[1] == "reset":
                out.append(self._reset(s, tid))
            else:
                out.append(self._abort(s, tid))
        return _renamed(out)

    def _observe(self, s: State, e: Event) -> list[tuple[Step, State]]:
        if type(e) is Raise and e.op == "wait" and e.error in CANCELLED:
            return self._cancelled(s, e)
        if type(e) is Raise and e.op in ("reset", "abort") and e.error == "CancelledError":
            return self._cancelled_op(s, e)
        return _renamed(super()._observe(s, e))

    def settled(self, s: State) -> bool:
        """No call's effect is still to place. A cancellation does not commute with the
        effects pending around it (a wait cancelled before its arrival, or after an arrival
        that released the others; a reset cancelled before or after its effect), so
        acceptance must try them before a raise, not leave them to after it."""
        return not any(st is not None and st[0] == "call" for st in s.threads)

    def interruptions(self, s: State, now: float = INF) -> list[Event]:
        """Every pending ``wait`` may be cancelled (``CancelledError``), a timed one may time
        out once its deadline is reached (``TimeoutError``, stamped with its deadline when time
        is abstract), and a pending ``reset`` or ``abort`` may be cancelled (before or after
        its effect). Each leads where :meth:`_observe` says."""
        time = 0.0 if now == INF else now
        out: list[Event] = []
        for tid, st in enumerate(s.threads):
            if st is None:
                continue
            if st.kind in ("call", "done") and st.op in ("reset", "abort"):
                out.append(Raise(tid, st.op, "CancelledError", time))
                continue
            if not (st.kind in ("w", "ret", "err") or (st.kind == "call" and st.op == "wait")):
                continue
            out.append(Raise(tid, "wait", "CancelledError", time))
            deadline = _deadline(st) if st.kind in ("call", "w") else None
            if deadline is not None and (now == INF or now + EPS >= deadline):
                out.append(Raise(tid, "wait", "TimeoutError", max(time, deadline)))
        return out

    def _call_status(self, e: Call) -> Calling | Reading:
        if e.op == "wait" and e.timeout is not None:
            return Calling("call", "wait", e.time, max(0.0, float(e.timeout)), "A-TIMEOUT")
        return super()._call_status(e)

    def _cancelled(self, s: State, e: Raise) -> list[tuple[Step, State]]:
        tid = e.tid
        if not 0 <= tid < len(s.threads):
            return []
        st = s.threads[tid]
        if st is None:
            return []
        kind = st[0]
        text = f"t{tid} is cancelled and exits the barrier ({e.error})"
        timed = ("A-TIMEOUT",) if e.error == "TimeoutError" else ()
        if e.error == "TimeoutError":
            deadline = _deadline(st)
            if deadline is None or e.time + EPS < deadline:
                return []  # no timeout, or before its deadline
        if isinstance(st, Calling) and st.op == "wait":
            return [(Step(text, ("A-CANCEL", *timed)), with_thread(s, tid, None))]
        if isinstance(st, Waiting):
            gid = st.gid
            used, arrived = s.gens[gid]
            gens = list(s.gens)
            gens[gid] = (used, arrived - 1)
            t = with_thread(s._replace(gens=tuple(gens)), tid, None)
            rules = ("A-CANCEL", "A-CANCEL-STATE", "A-CANCEL-FILLING", *timed)
            return [(Step(text + f": {arrived - 1}/{self.parties} wait", rules), canon(t))]
        if kind in ("ret", "err"):
            t = canon(with_thread(s, tid, None))
            return [(Step(text, ("A-CANCEL", "A-CANCEL-STATE", *timed)), t)]
        return []

    def _cancelled_op(self, s: State, e: Raise) -> list[tuple[Step, State]]:
        """A ``reset`` or ``abort`` cancelled: it exits having taken effect, or not at all
        (never half: the barrier is in one of the two states the documentation knows)."""
        tid = e.tid
        st = s.threads[tid] if 0 <= tid < len(s.threads) else None
        if st is None or st.kind not in ("call", "done") or st.op != e.op:
            return []
        when = "before" if st.kind == "call" else "after"
        text = f"t{tid} is cancelled in {e.op} ({when} its effect) and exits"
        return [(Step(text, ("A-CANCEL",)), with_thread(s, tid, None))]

    def refine(self, rule: str, why: str, trace: Sequence[Event], index: int) -> tuple[str, str]:
        """The asyncio name of a diagnosis; a failure that follows a cancellation, where the
        barrier did not stay in the same state, is blamed on the cancellation."""
        rule = RENAME.get(rule, rule)
        event = trace[index] if index < len(trace) else None
        if type(event) is Raise and event.error in CANCELLED:
            if event.error == "TimeoutError":
                return "A-TIMEOUT", "TimeoutError before the wait's deadline, or without one"
            return "A-CANCEL", f"{event.op} raised CancelledError where no wait could exit"
        half = _cancelled_ops(trace, index)
        if half and rule != "A-N-WAITING":
            who = "; ".join(f"t{x.tid}'s {x.op} was cancelled (event {k})" for k, x in half)
            return "A-CANCEL", (
                f"{why}; {who}: neither all its effect nor none of it explains the run (a "
                "cancelled reset or abort took half its effect)"
            )
        if rule == "A-INDEX":
            return rule, _index_story(trace, index, why)
        # A BrokenBarrierError where nothing broke the barrier: whether the spec would have
        # had the task waiting or released by then, a cancellation is what broke it.
        broke = (
            rule == "A-RELEASE-ALL"
            and type(event) is Raise
            and event.error == BROKEN
            and not any(type(x) is Call and x.op in ("reset", "abort") for x in trace[:index])
        )
        own = rule in ("A-BROKEN-WAIT", "A-RESET") or broke
        cancels = _relevant_cancels(trace, index, own=own)
        if not cancels:
            return rule, why
        who = ", ".join(f"t{e.tid} ({e.error})" for e in cancels)
        if own:
            return "A-CANCEL-STATE", f"{why}; the barrier was cancelled into it: {who}"
        if rule == "A-RELEASE":
            return "A-CANCEL-FILLING", f"{why}: the cancelled {who} still counted"
        if rule == "A-RELEASE-ALL":
            return rule, f"{why} (after the cancellation of {who})"
        return rule, why


def _cancelled_ops(trace: Sequence[Event], index: int) -> list[tuple[int, Raise]]:
    """The cancelled ``reset``/``abort`` calls since the last wait that returned before
    ``index`` (those whose half effect may explain a failure there)."""
    out: list[tuple[int, Raise]] = []
    for k in range(index - 1, -1, -1):
        e = trace[k]
        if isinstance(e, Return) and e.op == "wait":
            break
        if type(e) is Raise and e.op in ("reset", "abort") and e.error == "CancelledError":
            out.append((k, e))
    return out[::-1]


def _relevant_cancels(trace: Sequence[Event], index: int, own: bool = True) -> list[Raise]:
    """The cancellations that may explain a failure at ``index``: those of the failing
    generation (after the last release seen before it, and after the failing task's call)."""
    start = 0
    for k in range(index - 1, -1, -1):
        e = trace[k]
        if isinstance(e, Return) and e.op == "wait":
            start = k + 1
            break
    if own and index < len(trace):
        tid = trace[index].tid
        calls = [k for k in range(index) if type(trace[k]) is Call and trace[k].tid == tid]
        if calls:
            start = max(start, calls[-1])
    return [
        e
        for e in trace[start:index]
        if type(e) is Raise and e.op == "wait" and e.error in CANCELLED
    ]


def _index_story(trace: Sequence[Event], index: int, why: str) -> str:
    """Who got the index twice, and where the cancelled tasks left (a story to follow)."""
    e = trace[index]
    value = getattr(e, "value", None)
    first = next(
        (
            k
            for k in range(index - 1, -1, -1)
            if isinstance(x := trace[k], Return)
            and x.op == "wait"
            and x.value == value
            and x.tid != e.tid
        ),
        None,
    )
    if first is None:
        return why

    def call_of(tid: int, before: int) -> int:
        return max(
            (k for k in range(before) if type(trace[k]) is Call and trace[k].tid == tid),
            default=0,
        )

    k0 = min(call_of(e.tid, index), call_of(trace[first].tid, first))
    start = next(
        (
            k + 1
            for k in range(k0 - 1, -1, -1)
            if isinstance(w := trace[k], Return) and w.op == "wait"
        ),
        0,
    )
    gone = [
        (k, x)
        for k, x in enumerate(trace[start:index], start)
        if type(x) is Raise and x.op == "wait" and x.error in CANCELLED
    ]
    story = (
        f"t{e.tid} returns index {value!r}, which t{trace[first].tid} already returned "
        f"(event {first}) in the same generation"
    )
    if not gone:
        return story
    left = "; ".join(f"t{x.tid} was cancelled inside wait ({x.error}, event {k})" for k, x in gone)
    return f"{story}; {left}, and the index of its place was handed out again"


def _deadline(st: Status) -> float | None:
    """A pending wait's deadline, if its status still knows it (None: no timeout)."""
    if isinstance(st, Calling):
        return None if st.tau is None else st.t0 + st.tau
    if isinstance(st, Waiting):
        return None if st.deadline == INF else st.deadline
    return 0.0  # released or failed: the timeout may have expired since (not tracked)
