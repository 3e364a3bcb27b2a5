"""The ``documented`` profile: every behaviour the threading documentation allows, no more.

The barrier is *filling* (``F``) or *broken* (``B``). A wait takes effect by *arriving*: it
joins the current generation, or, when the barrier is broken, fails at once. The arrival that
makes ``parties`` releases the generation (without an action) or makes it *full*: then one of
its parties must start the action (the trace shows who), and when the action ends the
generation is released or, if it raised, the barrier breaks. Released parties return distinct
indices in ``range(parties)``, in any order and with any assignment; a new generation fills at
once, so a thread that arrives while the last one is still returning may join the next.

Looser than CPython on purpose, because the documentation does not pin these down:

* any party of a full generation may run the action, and may raise either the action's
  exception or BrokenBarrierError when it fails;
* a timeout, reset or abort may take effect while the action runs (the generation then fails
  when it ends);
* ``reset()`` and ``abort()`` may fail released parties that have not returned yet (CPython's
  abort does; asyncio's reset does);
* ``n_waiting`` may count the party running the action or not, and may count the last
  arrival before it releases the generation (a real barrier counts it first).

Arrivals are held while a full generation's action is due or running: the documentation
releases a generation "simultaneously", so a later thread cannot overtake it.
"""

from __future__ import annotations

from barrierlab.model.events import ActionEnd, ActionStart, Event
from barrierlab.model.pool import entries, who
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
    Spec,
    State,
    Step,
    Waiting,
    canon,
    new_gen,
    with_thread,
)

__all__ = ["DocumentedSpec"]

_RELEASE = ("R-RELEASE", "R-RELEASE-ALL", "R-REUSE")


class DocumentedSpec(Spec):
    """The documented profile (see the module docstring)."""

    profile = "documented"

    def _internal(
        self, s: State, now: float, earliest: float, focus: int = ALL
    ) -> list[tuple[Step, State]]:
        out: list[tuple[Step, State]] = []
        runner = s.trip[1] if s.trip is not None else None
        for tid, st in entries(s):
            if st is None:
                continue
            kind = st[0]
            if kind == "call":
                op = st[1]
                if op == "wait":
                    if not self.pool:
                        out += self._wait_steps(s, tid, st, earliest)
                elif op == "reset":
                    out.append(self._reset(s, tid))
                else:
                    out.append(self._abort(s, tid))
            elif (
                kind == "w"
                and st[1] <= now + EPS
                and st[1] != INF
                and s.phase == "F"
                and st[3] == s.gen
                and tid != runner
            ):
                step = Step(f"{who(s, tid)} times out and breaks the barrier", (st[2],))
                out.append((step, canon(self._fail_gen(s, "B", st[2]))))
        if s.trip is not None and s.trip[0] == "ran":
            out.append(self._resolve(s))
        return out

    def _wait_steps(
        self, s: State, tid: int, st: Calling, earliest: float
    ) -> list[tuple[Step, State]]:
        if s.phase == "B":
            cause = Label("R-ABORT" if s.cause == "R-ABORT" else "R-BROKEN-WAIT")
            step = Step(f"{who(s, tid)} finds the barrier broken", ("R-BROKEN-WAIT", cause))
            return [(step, with_thread(s, tid, Failing("err", BBE, cause)))]
        if s.trip is None:
            return [self._arrive(s, tid, st)]
        return []

    def _arrive(self, s: State, tid: int, st: Calling) -> tuple[Step, State]:
        t0, tau, trule = st.t0, st.tau, st.trule
        deadline = INF if tau is None else t0 + tau
        used, arrived = s.gens[s.gen]
        gens = list(s.gens)
        gens[s.gen] = (used, arrived + 1)
        s = with_thread(
            s._replace(gens=tuple(gens)), tid, Waiting("w", deadline, trule, s.gen, 0, self.parties)
        )
        n = f"{arrived + 1}/{self.parties}"
        if arrived + 1 < self.parties:
            return Step(f"{who(s, tid)} arrives ({n})", ("R-RELEASE",)), s
        if self.has_action:
            s = s._replace(trip=("full", None, None, None))
            return Step(f"{who(s, tid)} arrives ({n}): the action is due", ("R-RELEASE",)), s
        return Step(
            f"{who(s, tid)} arrives ({n}) and releases the generation", _RELEASE
        ), self._release(s)

    def _release(self, s: State) -> State:
        P = self.parties
        threads = tuple(
            Released("ret", st.gid, 0, P)
            if st is not None and st[0] == "w" and st.gid == s.gen
            else st
            for st in s.threads
        )
        return canon(new_gen(s._replace(threads=threads, trip=None)))

    def _fail_gen(self, s: State, phase: str, rule: str) -> State:
        """Fail the parties of the filling generation (not the one running the action)."""
        cause = Label(rule)
        runner = s.trip[1] if s.trip is not None else None
        threads = tuple(
            Failing("err", BBE, cause)
            if st is not None and st[0] == "w" and st.gid == s.gen and tid != runner
            else st
            for tid, st in enumerate(s.threads)
        )
        trip = s.trip
        if trip is not None:
            trip = None if trip[0] == "full" else (*trip[:3], trip[3] or cause)
        s = s._replace(
            threads=threads, trip=trip, phase=phase, cause=cause if phase == "B" else None
        )
        return new_gen(s) if phase == "F" else s

    def _mark_released(self, s: State) -> State:
        gids = {st.gid for st in s.threads if st is not None and st[0] == "ret"}
        return s._replace(mayfail=s.mayfail | gids)

    def _reset(self, s: State, tid: int) -> tuple[Step, State]:
        s = self._fail_gen(self._mark_released(s), "F", "R-RESET")
        return Step(f"t{tid}'s reset takes effect", ("R-RESET",)), canon(
            with_thread(s, tid, Done("done", "reset"))
        )

    def _abort(self, s: State, tid: int) -> tuple[Step, State]:
        s = self._fail_gen(self._mark_released(s), "B", "R-ABORT")
        return Step(f"t{tid}'s abort takes effect", ("R-ABORT",)), canon(
            with_thread(s, tid, Done("done", "abort"))
        )

    def _resolve(self, s: State) -> tuple[Step, State]:
        assert s.trip is not None  # invariant: resolved only once the action ran
        _, runner, error, doomed = s.trip
        if doomed:
            errs = BBE | {error} if error else BBE
            s = with_thread(s._replace(trip=None), runner, Failing("err", errs, doomed))
            return Step(f"t{runner} leaves the failed generation", (doomed,)), canon(s)
        if error is None:
            step = Step("the generation is released", (*_RELEASE, "R-ACTION-ONCE"))
            return step, self._release(s)
        s = self._fail_gen(s, "B", "R-ACTION-FAIL")
        s = with_thread(
            s._replace(trip=None), runner, Failing("err", BBE | {error}, Label("R-ACTION-FAIL"))
        )
        return Step("the failed action breaks the barrier", ("R-ACTION-FAIL",)), canon(s)

    def action_step(self, s: State, e: ActionStart | ActionEnd) -> list[tuple[Step, State]]:
        tid, trip = e.tid, s.trip
        if trip is None or not self.has_action:
            return []
        st = s.threads[tid]
        if isinstance(e, ActionStart):
            if trip[0] != "full" or st is None or st[0] != "w" or st.gid != s.gen:
                return []
            step = Step(f"t{tid} starts the action", ("R-ACTION-ONCE",))
            return [(step, s._replace(trip=("run", tid, None, None)))]
        if trip[0] != "run" or trip[1] != tid:
            return []
        rules = ("R-ACTION-ONCE", "R-ACTION-FAIL") if e.error else ("R-ACTION-ONCE",)
        step = Step(f"t{tid} ends the action" + (f" raising {e.error}" if e.error else ""), rules)
        return [(step, s._replace(trip=("ran", tid, e.error, trip[3])))]

    def action_events(self, s: State) -> list[Event]:
        if s.trip is None:
            return []
        if s.trip[0] == "full":
            return [
                ActionStart(tid)
                for tid, st in enumerate(s.threads)
                if st is not None and st[0] == "w" and st[3] == s.gen
            ]
        if s.trip[0] == "run":
            return [ActionEnd(s.trip[1]), ActionEnd(s.trip[1], ACTION_ERROR)]
        return []

    def n_waiting_values(self, s: State) -> frozenset[int]:
        if s.phase == "B":
            return frozenset({0})
        if s.trip is not None and not s.trip[3]:
            return frozenset({self.parties - 1, self.parties})
        arrived = s.gens[s.gen][1]
        if s.trip is None and self.last_arrival_pending(s, arrived):
            return frozenset({arrived, self.parties})  # the last arrival counted, not released
        return frozenset({arrived})
