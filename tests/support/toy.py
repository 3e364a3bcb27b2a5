"""A toy concurrent program simulator that drives any scheduler without threads.

A program is one tuple of steps per thread; a step is ``(op, name)`` on a named object:

* ``("read", x)`` records the value of ``x``; ``("write", x)`` sets it to ``(tid, pc)``
  (with ``footprints=True`` these report a read or a write of ``x``, so reads commute;
  without, ``x`` is one object every step on it touches);
* ``("lock", L)`` takes lock ``L``, offered only while ``L`` is free (blocks otherwise);
  ``("unlock", L)`` frees it;
* ``("lock?", L)`` a lock with a timeout: offered as a step while ``L`` is free, as a
  timeout (``timeout=True``, the thread gives up on ``L``) while it is held;
* ``("flip", x)`` an internal choice: both ``(tid, False)`` and ``(tid, True)`` are offered,
  and ``x`` records which was taken.

:func:`explore` runs a scheduler to its end and returns one :class:`ToyRun` per schedule: the
encoded choices, the outcome (final values, what every thread read, the locks' holders and the
threads left blocked) and the Mazurkiewicz trace class under the scheduler protocol's
``dependent``. :func:`enumerate_runs` is the brute-force reference: every maximal interleaving.
"""

from __future__ import annotations

from dataclasses import dataclass

from barrierlab.checker.schedulers.base import (
    Choice,
    Footprint,
    dependent,
    encode_choice,
    report_blocked,
)

__all__ = ["ToyRun", "ToyState", "enumerate_runs", "explore", "preemptions", "trace_class"]


#: The accesses the steps report, named as the runtime names them.
ACCESS = {"lock": "acquire", "lock?": "acquire", "unlock": "release"}


class ToyState:
    """One execution in progress of a toy program."""

    def __init__(self, program, footprints=False):
        self.program = program
        self.footprints = footprints
        names = sorted({name for thread in program for _, name in thread})
        self.number = {name: i for i, name in enumerate(names)}
        self.pc = [0] * len(program)
        self.values = {}
        self.holder = {}
        self.reads = [[] for _ in program]
        self.events = []  # (Choice, pc) in execution order

    def copy(self):
        other = ToyState.__new__(ToyState)
        other.program, other.number = self.program, self.number
        other.footprints = self.footprints
        other.pc, other.values, other.holder = list(self.pc), dict(self.values), dict(self.holder)
        other.reads = [list(r) for r in self.reads]
        other.events = list(self.events)
        return other

    def _step(self, tid):
        if self.pc[tid] < len(self.program[tid]):
            return self.program[tid][self.pc[tid]]
        return None

    def options(self):
        out = []
        for tid in range(len(self.program)):
            step = self._step(tid)
            if step is None:
                continue
            op, name = step
            obj = self.number[name]
            free = self.holder.get(name) is None
            if op == "lock" and not free:
                continue
            if op in ("lock?", "flip") and not free:
                out.append(Choice(tid, True, obj, "timeout"))
                continue
            out.append(self._choice(tid, step))
            if op == "flip":
                out.append(Choice(tid, True, obj, op))
        return out

    def _choice(self, tid, step):
        op, name = step
        obj = self.number[name]
        if self.footprints and op in ("read", "write", "flip"):
            # With footprints: a variable is a key, read or written, not a lock-like object.
            keys = frozenset({("v", obj)})
            fp = Footprint(keys) if op == "read" else Footprint(frozenset(), keys)
            return Choice(tid, False, None, op, True, fp)
        return Choice(tid, False, obj, ACCESS.get(op, op), op != "lock")

    def pending_blocked(self):
        """The steps of threads that have not finished but offer nothing."""
        offered = {c.tid for c in self.options()}
        return [
            self._choice(tid, step)
            for tid in range(len(self.program))
            if (step := self._step(tid)) is not None and tid not in offered
        ]

    def execute(self, choice):
        tid = choice.tid
        op, name = self._step(tid)
        pc = self.pc[tid]
        if op == "read":
            self.reads[tid].append(self.values.get(name))
        elif op == "write":
            self.values[name] = (tid, pc)
        elif op == "flip":
            self.values[name] = (tid, pc, choice.timeout)
        elif op in ("lock", "lock?") and not choice.timeout:
            assert self.holder.get(name) is None
            self.holder[name] = tid
        elif op == "unlock":
            self.holder[name] = None
        self.events.append((choice, pc))
        self.pc[tid] += 1

    def outcome(self):
        blocked = tuple(t for t in range(len(self.program)) if self._step(t) is not None)
        return (
            tuple(sorted(self.values.items())),
            tuple(map(tuple, self.reads)),
            tuple(sorted((k, v) for k, v in self.holder.items() if v is not None)),
            blocked,
        )


def trace_class(events):
    """A canonical form of the Mazurkiewicz trace of ``events`` (``(Choice, pc)`` pairs): its
    lexicographically least linearization by ``(tid, pc, timeout)``."""
    remaining = list(events)
    out = []
    while remaining:
        best = None
        for i, (c, pc) in enumerate(remaining):
            if any(dependent(d, c) for d, _ in remaining[:i]):
                continue
            if best is None or (c.tid, pc, c.timeout) < best[0]:
                best = ((c.tid, pc, c.timeout), i)
        out.append(best[0])
        del remaining[best[1]]
    return tuple(out)


def preemptions(events):
    """Preemptions of a run given as ``(Choice, offered options)`` pairs."""
    count, last = 0, None
    for choice, options in events:
        if (
            last is not None
            and choice.tid != last
            and any(o.tid == last and not o.timeout for o in options)
        ):
            count += 1
        last = choice.tid
    return count


@dataclass(frozen=True)
class ToyRun:
    choices: tuple[int, ...]
    outcome: tuple
    trace: tuple
    preemptions: int
    cut_short: bool
    redundant: bool = False


def explore(
    program,
    scheduler,
    *,
    report_blocked_steps=True,
    step_bound=None,
    limit=100_000,
    traces=True,
    footprints=False,
):
    """Run ``scheduler`` on ``program`` until ``start()`` says no; one :class:`ToyRun` each."""
    runs = []
    while scheduler.start():
        assert len(runs) < limit, "the scheduler does not stop"
        state = ToyState(program, footprints)
        steps = []
        cut_short = False
        while options := state.options():
            if step_bound is not None and len(steps) >= step_bound:
                cut_short = True
                break
            choice = scheduler.choose(options)
            assert choice in options
            steps.append((choice, options))
            state.execute(choice)
        if report_blocked_steps and not cut_short:
            report_blocked(scheduler, state.pending_blocked())
        before = getattr(scheduler, "redundant", 0)
        scheduler.finish(cut_short)
        runs.append(
            ToyRun(
                tuple(encode_choice(c) for c, _ in steps),
                state.outcome(),
                trace_class(state.events) if traces else (),
                preemptions(steps),
                cut_short,
                getattr(scheduler, "redundant", 0) > before,
            )
        )
    return runs


def enumerate_runs(program, footprints=False):
    """Every maximal interleaving of ``program``, by brute force (no scheduler involved)."""
    runs = []

    def walk(state, steps):
        options = state.options()
        if not options:
            runs.append(
                ToyRun(
                    tuple(encode_choice(c) for c, _ in steps),
                    state.outcome(),
                    trace_class(state.events),
                    preemptions(steps),
                    False,
                )
            )
            return
        for choice in options:
            child = state.copy()
            child.execute(choice)
            walk(child, [*steps, (choice, options)])

    walk(ToyState(program, footprints), [])
    return runs
