"""The ``cpython`` profile: CPython's observable behaviour, on top of the documented rules.

It follows CPython's machine (``shared/CPYTHON-BARRIER.md``) step for step, at the grain of
its lock: a phase ``F``/``D``/``R``/``B`` (filling, draining, resetting, broken) and the count
of threads inside ``wait``.

* Entry: while draining or resetting a wait is held at the gate (``C-DRAIN``); in a broken
  barrier it fails at once; otherwise it arrives and takes the next index.
* The last arrival trips the generation: it runs the action itself (``C-ACTION-LAST``) holding
  the lock, so no timeout, reset or abort takes effect meanwhile (``C-ACTION-LOCK``); then the
  phase is draining (or broken, and the action's own exception reaches that thread).
* Every other party leaves later, in one atomic step under the lock that decides its outcome
  from the phase at that moment: draining returns its index, resetting or broken raises. The
  last one out reopens the gate. So an abort fails released parties that have not left, and a
  reset while draining changes nothing (``C-RESET-DRAIN``).
* ``n_waiting`` is the count while filling and 0 otherwise (``C-N-WAITING``).

Indices are the arrival order (``C-INDEX-ORDER``). Arrivals placed between the same two events
of a trace could have happened in any order, so instead of one state per order the spec gives
each such group (a *segment*) a range of indices: ``("w", ..., lo, hi)`` returns an index in
``range(lo, hi)`` distinct from its generation's others. The segment closes at the next event;
the last arrival, which ran the action, always gets ``parties - 1``.

A wait's timeout starts when it passes the gate: the deadline is ``max(call time, gate
opened) + timeout``, where ``opened`` is the earliest time the gate can have reopened.
"""

from __future__ import annotations

from typing import cast

from barrierlab.model.events import ActionEnd, ActionStart, Event
from barrierlab.model.pool import may_be, repeats, who
from barrierlab.model.spec import (
    ACTION_ERROR,
    ALL,
    BBE,
    EPS,
    INF,
    Calling,
    Done,
    Failing,
    Label,
    Released,
    Running,
    Spec,
    State,
    Status,
    Step,
    Waiting,
    canon,
    new_gen,
    with_thread,
)

__all__ = ["CPythonSpec"]

_new = tuple.__new__


def _calling(s: State, tid: int) -> Calling:
    """Thread ``tid``'s status, where the caller knows it has called and is not placed yet."""
    st = s.threads[tid]
    assert st is not None and st[0] == "call"  # invariant: the caller picked such a thread
    return st


def _waiting(s: State, tid: int) -> Waiting:
    """Thread ``tid``'s status, where the caller knows it has arrived and waits."""
    st = s.threads[tid]
    assert st is not None and st[0] == "w"  # invariant: the caller picked such a thread
    return st


def _normal(s: State) -> State:
    """Forget what can no longer matter, so that equal futures make one configuration.

    * The gate's opening time, once no pending timed wait was called before it (later calls
      come after it anyway).
    * While resetting or broken, the index range and deadline of the threads inside: every one
      of them will leave raising (the phase returns to filling only when they all have left).
    """
    if s.opened and not any(
        st is not None and st[0] == "call" and st.tau is not None and st.t0 < s.opened
        for st in s.threads
    ):
        s = s._replace(opened=0.0)
    if s.phase in ("B", "R") and any(
        st is not None and st[0] == "w" and (st.deadline != INF or st.lo or st.hi)
        for st in s.threads
    ):
        threads = tuple(
            Waiting("w", INF, None, st.gid, 0, 0) if st is not None and st[0] == "w" else st
            for st in s.threads
        )
        s = s._replace(threads=threads)
    return s


class CPythonSpec(Spec):
    """The cpython profile (see the module docstring)."""

    profile = "cpython"
    index_rules = ("R-INDEX", "C-INDEX-ORDER")

    def normalize(self, s: State) -> State:
        return _normal(s)

    def settled(self, s: State) -> bool:
        """No arrival segment is open (a later arrival would join it)."""
        return not any(st is not None and st[0] == "w" and st.hi is None for st in s.threads)

    def close(self, s: State) -> State:
        if not any(st is not None and st[0] == "w" and st.hi is None for st in s.threads):
            return s
        threads = tuple(
            _new(Waiting, (*st[:5], s.gens[st.gid][1]))
            if st is not None and st[0] == "w" and st.hi is None
            else st
            for st in s.threads
        )
        return s._replace(threads=threads)

    def _internal(
        self, s: State, now: float, earliest: float, focus: int = ALL
    ) -> list[tuple[Step, State]]:
        out: list[tuple[Step, State]] = []
        free = s.trip is None  # nobody holds the lock to run the action
        # Leaving while draining, resetting or broken is seen only by the thread's own return,
        # by the gate (when the last one leaves) and by a reset or abort. So one thread leaves
        # alone only for its own event or while a reset or abort is pending; otherwise they
        # all leave together when the gate opens. Every order of exits stays reachable.
        ctl = focus == ALL or any(
            st is not None and st[0] == "call" and st[1] in ("reset", "abort") for st in s.threads
        )
        leavers = []
        for tid, st in enumerate(s.threads):
            if st is None:
                continue
            if st[0] == "call":
                op = st.op
                if not free:
                    continue
                elif op == "reset":
                    out.append(self._reset(s, tid))
                elif op == "abort":
                    s2 = s._replace(phase="B", cause=Label("R-ABORT"))
                    s2 = with_thread(s2, tid, Done("done", "abort"))
                    out.append((Step(f"t{tid}'s abort takes effect", ("R-ABORT",)), s2))
                elif not self.pool:
                    out += self._wait_steps(s, tid, st, earliest)
            elif st[0] == "w" and free:
                if s.phase != "F":
                    leavers.append(tid)
                    if (ctl or may_be(s, tid, focus)) and not repeats(s, tid):
                        out.append(self._leave(s, tid, st, earliest))
                elif st.deadline != INF and st.deadline <= now + EPS and not repeats(s, tid):
                    cause = Label(st.trule)
                    s2 = s._replace(phase="B", cause=cause)
                    s2 = with_thread(s2, tid, Failing("err", BBE, cause))
                    out.append(
                        # a wait with a deadline has the rule of its timeout
                        (
                            Step(
                                f"{who(s, tid)} times out and breaks the barrier",
                                (cast(str, st.trule),),
                            ),
                            s2,
                        )
                    )
        if len(leavers) > 1 or (leavers and not (ctl or may_be(s, leavers[0], focus))):
            out.append(self._leave_all(s, leavers, earliest))
        if s.trip is not None and s.trip[0] == "ran":
            out.append(self._resolve(s, earliest))
        return out

    def _wait_steps(
        self, s: State, tid: int, st: Calling, earliest: float
    ) -> list[tuple[Step, State]]:
        if s.trip is not None:
            return []
        if s.phase == "B":
            cause = Label("R-ABORT" if s.cause == "R-ABORT" else "R-BROKEN-WAIT")
            step = Step(f"{who(s, tid)} finds the barrier broken", ("R-BROKEN-WAIT", cause))
            return [(step, with_thread(s, tid, Failing("err", BBE, cause)))]
        if s.phase == "F":
            return [self._arrive(s, tid, st, earliest)]
        return []

    def _anonymous_wait(
        self, s: State, s2: State, members: list[int], earliest: float
    ) -> list[tuple[Step, State]]:
        # The last arrival runs the action: the trace names it, so it is placed by name.
        if (
            self.has_action
            and s.phase == "F"
            and s.trip is None
            and s.gens[s.gen][1] + 1 == self.parties
        ):
            return [
                step for t in members for step in self._wait_steps(s, t, _calling(s, t), earliest)
            ]
        return super()._anonymous_wait(s, s2, members, earliest)

    def _leave_all(self, s: State, tids: list[int], earliest: float) -> tuple[Step, State]:
        rules: set[str] = set()
        for tid in tids:
            step, s = self._leave(s, tid, _waiting(s, tid), earliest)
            rules.update(step.rules)
        names = ", ".join(f"t{t}" for t in tids)
        return Step(f"{names} wake up and leave", tuple(sorted(rules))), s

    def _arrive(self, s: State, tid: int, st: Calling, earliest: float) -> tuple[Step, State]:
        P = self.parties
        t0, tau, trule = st.t0, st.tau, st.trule
        deadline = INF if tau is None else max(t0, s.opened) + tau
        used, arrived = s.gens[s.gen]
        gens = list(s.gens)
        gens[s.gen] = (used, arrived + 1)
        s = s._replace(gens=tuple(gens))
        n = f"{arrived + 1}/{P}"
        if arrived + 1 < P:
            lo = min(
                (x.lo for x in s.threads if x is not None and x[0] == "w" and x.hi is None),
                default=arrived,
            )
            step = Step(f"{who(s, tid)} arrives ({n})", ("R-RELEASE", "C-INDEX-ORDER"))
            return step, with_thread(s, tid, Waiting("w", deadline, trule, s.gen, lo, None))
        # The last arrival: the open segment's members arrived before it.
        threads = tuple(
            _new(Waiting, (*x[:5], P - 1)) if x is not None and x[0] == "w" and x.hi is None else x
            for x in s.threads
        )
        s = s._replace(threads=threads)
        if self.has_action:
            s = with_thread(s._replace(trip=("full", tid, None, None)), tid, Running("run", s.gen))
            return Step(
                f"{who(s, tid)} arrives ({n}) and will run the action", ("C-ACTION-LAST",)
            ), s
        step = Step(
            f"{who(s, tid)} arrives ({n}) and releases the generation",
            ("R-RELEASE", "R-RELEASE-ALL", "R-REUSE", "C-INDEX-ORDER"),
        )
        return step, self._release(s, tid, s.gen, earliest)

    def _release(self, s: State, runner: int, gid: int, earliest: float) -> State:
        """The runner sets DRAINING and leaves at once (its index is ``parties - 1``)."""
        P = self.parties
        s = with_thread(s._replace(phase="D", trip=None), runner, Released("ret", gid, P - 1, P))
        s = new_gen(s)
        if self.count(s) == 0:
            s = s._replace(phase="F", opened=max(s.opened, earliest))
        return canon(s)

    def _leave(self, s: State, tid: int, st: Waiting, earliest: float) -> tuple[Step, State]:
        phase = s.phase
        status: Status
        if phase == "D":
            assert st.hi is not None  # invariant: draining, every arrival segment is closed
            status = Released("ret", st.gid, st.lo, st.hi)
            step = Step(f"{who(s, tid)} wakes up released and leaves", ("R-RELEASE-ALL",))
        else:
            cause = Label("R-RESET") if phase == "R" else s.cause
            status = Failing("err", BBE, cause)
            step = Step(
                f"{who(s, tid)} wakes up to a {'reset' if phase == 'R' else 'broken'} barrier",
                (cast(str, cause),),  # a broken barrier's cause is set when it breaks
            )
        s = with_thread(s, tid, status)
        if phase in ("D", "R") and self.count(s) == 0:
            s = s._replace(phase="F", opened=max(s.opened, earliest))
            step = Step(step.text + ", the last one out: the gate opens", (*step.rules, "C-DRAIN"))
        return step, canon(s)

    def _reset(self, s: State, tid: int) -> tuple[Step, State]:
        rules: tuple[str, ...] = ("R-RESET",)
        if self.count(s) == 0:
            s = new_gen(s._replace(phase="F", cause=None))
        elif s.phase in ("F", "B"):
            s = new_gen(s._replace(phase="R", cause=None))
        else:
            rules = ("R-RESET", "C-RESET-DRAIN")
        s = with_thread(s, tid, Done("done", "reset"))
        return Step(f"t{tid}'s reset takes effect", rules), canon(s)

    def _resolve(self, s: State, earliest: float) -> tuple[Step, State]:
        assert s.trip is not None  # invariant: resolved only once the action ran
        _, runner, error, _ = s.trip
        running = s.threads[runner]
        assert running is not None and running[0] == "run"  # invariant: the action ran
        gid = running.gid
        if error is None:
            step = Step(
                "the generation is released",
                ("R-RELEASE", "R-RELEASE-ALL", "R-REUSE", "R-ACTION-ONCE", "C-ACTION-LAST"),
            )
            return step, self._release(s, runner, gid, earliest)
        # The runner leaves: its generation, short of one party, will never be released.
        gens = list(s.gens)
        used, arrived = gens[gid]
        gens[gid] = (used, arrived - 1)
        cause = Label("R-ACTION-FAIL")
        s = s._replace(phase="B", cause=cause, trip=None, gens=tuple(gens))
        s = with_thread(s, runner, Failing("err", frozenset({error}), cause))
        return Step("the failed action breaks the barrier", ("R-ACTION-FAIL", "C-ACTION-LAST")), s

    def action_step(self, s: State, e: ActionStart | ActionEnd) -> list[tuple[Step, State]]:
        trip = s.trip
        if trip is None or trip[1] != e.tid:
            return []
        if isinstance(e, ActionStart):
            if trip[0] != "full":
                return []
            step = Step(f"t{e.tid} starts the action", ("R-ACTION-ONCE", "C-ACTION-LAST"))
            return [(step, s._replace(trip=("run", e.tid, None, None)))]
        if trip[0] != "run":
            return []
        rules: tuple[str, ...] = (
            ("R-ACTION-ONCE", "R-ACTION-FAIL") if e.error else ("R-ACTION-ONCE",)
        )
        if any(
            st is not None and st[0] == "call" and st[1] in ("reset", "abort") for st in s.threads
        ):
            rules += ("C-ACTION-LOCK",)  # a reset or abort was held while the action ran
        step = Step(f"t{e.tid} ends the action" + (f" raising {e.error}" if e.error else ""), rules)
        return [(step, s._replace(trip=("ran", e.tid, e.error, None)))]

    def action_events(self, s: State) -> list[Event]:
        if s.trip is None:
            return []
        if s.trip[0] == "full":
            return [ActionStart(s.trip[1])]
        if s.trip[0] == "run":
            return [ActionEnd(s.trip[1]), ActionEnd(s.trip[1], ACTION_ERROR)]
        return []

    def n_waiting_values(self, s: State) -> frozenset[int]:
        if s.phase != "F":
            return frozenset({0})
        count = self.count(s)
        if s.trip is None and self.last_arrival_pending(s, count):
            return frozenset({count, self.parties})  # _count += 1 comes before _release()
        return frozenset({count})
