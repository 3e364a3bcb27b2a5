"""Moving through the spec with thread programs: the moves of a node, and random runs.

A *node* is a spec state plus, per thread, how many steps of its program it has called
(``pcs``). Its moves are the spec's internal steps, the completions the spec allows (returns,
raises, action events), and each idle thread's next call. :mod:`barrierlab.model.graph`
explores all moves; :func:`random_trace` takes one at random each time and records the
observable ones, which gives traces the spec accepts by construction (the tests' oracle).

>>> from barrierlab.model.spec import make_spec
>>> trace, complete = random_trace(make_spec("cpython", 2), programs_of(["wait", "wait"]), seed=1)
>>> complete, sorted(e.value for e in trace if type(e).__name__ == "Return")
(True, [0, 1])
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from barrierlab.model.errors import InvalidArgument
from barrierlab.model.events import OPS, ActionEnd, Call, Event
from barrierlab.model.spec import ALL, INF, Spec, State, Step

__all__ = ["Programs", "check_programs", "moves", "programs_of", "random_trace"]

#: Per thread, its steps as ``(op, timeout)``: what ``Scenario.model_programs()`` returns.
Programs = tuple[tuple[tuple[str, float | None], ...], ...]
Move = tuple[Step, Event | None, tuple[int, ...], State]


def check_programs(programs: Any) -> Programs:
    """Return ``programs`` as a tuple of tuples, or raise InvalidArgument naming the fault.

    >>> check_programs([[("wait", None)], [("wait", 1.5), ("reset", None)]])
    ((('wait', None),), (('wait', 1.5), ('reset', None)))
    """
    try:
        out = tuple(tuple((op, t) for op, t in prog) for prog in programs)
    except (TypeError, ValueError):
        raise InvalidArgument(
            f"programs must be ((op, timeout), ...) per thread: {programs!r}"
        ) from None
    if not out:
        raise InvalidArgument("programs: at least one thread is needed")
    for prog in out:
        for op, t in prog:
            if op not in OPS:
                raise InvalidArgument(f"unknown operation {op!r}; operations are {OPS}")
            if t is not None and (op != "wait" or not isinstance(t, int | float) or t < 0):
                raise InvalidArgument(f"bad timeout {t!r} for {op}: only wait takes one, >= 0")
    return out


def moves(
    spec: Spec,
    programs: Programs,
    pcs: tuple[int, ...],
    s: State,
    now: float = INF,
    earliest: float = 0.0,
    focus: int = ALL,
) -> list[Move]:
    """Every move from node ``(pcs, s)``: ``(step, event or None, pcs after, state after)``.

    Internal steps come first, then completions, then interruptions (asyncio's cancellations
    and expiries, :meth:`~barrierlab.model.spec.Spec.interruptions`, at their own times), then
    calls, each in thread order.
    """
    out: list[Move] = [(step, None, pcs, t) for step, t in spec.internal(s, now, earliest, focus)]
    time = 0.0 if now == INF else now
    events: list[Event] = [replace(e, time=time) for e in spec.completions(s)]
    events += spec.interruptions(s, now)
    for tid, prog in enumerate(programs):
        if s.threads[tid] is None and pcs[tid] < len(prog):
            op, timeout = prog[pcs[tid]]
            events.append(Call(tid, op, timeout, time))
    for e in events:
        after = pcs
        if type(e) is Call:
            after = (*pcs[: e.tid], pcs[e.tid] + 1, *pcs[e.tid + 1 :])
        out += [(step, e, after, t) for step, t in spec.observe(s, e)]
    return out


def random_trace(
    spec: Spec,
    programs: Programs,
    *,
    seed: int = 0,
    max_events: int = 10_000,
    action_fails: float = 0.2,
    eager: float = 0.0,
) -> tuple[tuple[Event, ...], bool]:
    """A random run of ``programs`` under ``spec``: its trace, and whether it is complete.

    Time advances only to let a timeout expire (as the checker's virtual clock does). The action
    raises ``ActionFailed`` with probability ``action_fails``. With probability ``eager`` a
    pending effect is taken before anything else, which mimics a real run, where a thread goes
    on until it blocks (``eager=0``: any order, the hardest traces to accept). The run stops
    when nothing can move (complete) or after ``max_events`` events (not complete).
    """
    programs = check_programs(programs)
    rng = random.Random(seed)
    pcs = (0,) * len(programs)
    s = spec.initial(len(programs))
    now = 0.0
    trace: list[Event] = []
    while len(trace) < max_events:
        options = moves(spec, programs, pcs, s, now, now)
        tick = _next_deadline(s, now)
        if not options and tick is None:
            return tuple(trace), True
        if tick is not None and (not options or rng.random() < 0.1):
            now = tick
            continue
        inner = [m for m in options if m[1] is None]
        move = rng.choice(inner if inner and rng.random() < eager else options)
        if type(move[1]) is ActionEnd:
            fails = rng.random() < action_fails
            move = next(m for m in options if type(m[1]) is ActionEnd and bool(m[1].error) == fails)
        _, event, pcs, s = move
        if event is not None:
            trace.append(event)
    return tuple(trace), False


def _next_deadline(s: State, now: float) -> float | None:
    deadlines = [
        st.deadline
        for st in s.threads
        if st is not None and st.kind == "w" and now < st.deadline < INF
    ]
    return min(deadlines) if deadlines else None


def programs_of(threads: Sequence[str]) -> Programs:
    """Programs from strings such as ``"wait wait(0.5) n_waiting"`` (for tests and the CLI).

    >>> programs_of(["wait(0.5) reset"])
    ((('wait', 0.5), ('reset', None)),)
    """
    out = []
    for text in threads:
        prog = []
        for word in text.split():
            op, _, arg = word.partition("(")
            timeout = None
            if arg:
                try:
                    timeout = float(arg.rstrip(")"))
                except ValueError:
                    raise InvalidArgument(f"bad timeout in {word!r}") from None
            prog.append((op, timeout))
        out.append(tuple(prog))
    return check_programs(out)
