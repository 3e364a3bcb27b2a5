"""Trace acceptance: is a recorded trace a behaviour the spec allows?

A trace lists events in the one order they happened. Operations overlap, so the question is
whether each operation's *effect* can be placed somewhere between its call and its return such
that the whole is a path of the spec (linearizability, with a blocking ``wait`` split into its
arrival and its outcome, as for dual data structures).

The search keeps a set of *configurations* (spec states, each with the effects placed so far)
and moves it forward event by event:

* a ``Call`` only records the pending call: no effect is placed just before a call, because
  any placement can be postponed past it (just-in-time linearization, after Lowe). That keeps
  the set small while many threads are blocked;
* before any other event, the set is closed under internal steps (effects) at the event's time,
  and then the steps matching the event are taken;
* configurations are spec states, so equal ones merge (memoization): the set stays as small as
  the real ambiguity of the trace, never one entry per interleaving;
* where the event (a return or raise) is already possible, the closure stops: the steps that
  could come first commute with the event and are taken before the next one instead.

Cost: linear in the length of the trace, times the configurations alive at once. Those grow
with what the trace leaves open. Tracking arrivals by name, a generation that trips while ``k``
waits were called and none of them was yet seen to arrive explores up to ``C(k, parties)``
arrival sets, and ``k`` threads that may each have seen an abort or not make ``2**k``
configurations. *Pool mode* (:mod:`barrierlab.model.pool`) places such arrivals anonymously
and lets each thread's own event say which one it was, so the same traces need a handful of
configurations. By default the search starts by name (its path names every thread, as the
state graph does) and switches to pool mode when it grows past :data:`POOL_AFTER`
configurations; both decide the same (``python -m barrierlab.checker.bench.accept`` measures
them side by side).

A trace of a run that ended because nobody could move (``complete=True``) must leave every
pending call blocked for good in some configuration; otherwise it is a deadlock, a lost wakeup
or an ignored timeout. Time only constrains timeouts: a wait may time out at time ``t`` only if
``t >= call time + timeout``; at the end of a complete trace the time is infinite.

>>> from barrierlab.model.events import Call, Return
>>> trace = [Call(0, "wait"), Call(1, "wait"), Return(1, "wait", 0), Return(0, "wait", 1)]
>>> accept(trace, parties=2).ok
True
>>> v = accept(trace[:3] + [Return(0, "wait", 0)], parties=2)
>>> v.ok, v.rule, v.index
(False, 'R-INDEX', 3)
>>> accept(trace[:2], parties=2).rule  # both blocked forever although released
'R-RELEASE-ALL'
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from barrierlab.model.diagnose import diagnose, diagnose_cpython, diagnose_end
from barrierlab.model.errors import InvalidArgument
from barrierlab.model.events import ActionEnd, ActionStart, Call, Event, Raise, Return
from barrierlab.model.pool import claims, materialize
from barrierlab.model.spec import INF, Spec, State, Step, describe_event, make_spec, state_key
from barrierlab.model.versions import base_profile

__all__ = ["Verdict", "accept", "edge_id"]

#: ``focus`` for the closure at the end of a trace: no thread has an event coming.
NOBODY = -2
_EVENT_TYPES = (Call, Return, Raise, ActionStart, ActionEnd)
#: How many "allowed" descriptions a verdict lists at most.
MAX_ALLOWED = 12
#: With ``pool=None``, the search switches to pool mode once it holds this many configurations.
POOL_AFTER = 2_000


class _TooWide(Exception):
    """The explicit search grew past its limit: pool mode takes over."""


@dataclass(frozen=True)
class Verdict:
    """The outcome of :func:`accept`.

    ``ok``: the trace is accepted. When it is not: ``rule`` is the ID of the rule broken,
    ``index`` the position of the first event no spec state allows (``len(trace)`` when the end
    of a complete trace is the problem, with ``event`` None), ``allowed`` what the spec allowed
    instead there, ``message`` one sentence. ``states`` has one spec-state summary per event
    processed along one surviving configuration; ``rules_exercised`` and ``edges`` are the
    rules and spec-graph edges (see :func:`edge_id`) that configuration's path used.
    ``configurations`` is the most configurations the search held at once (its cost).
    """

    ok: bool
    rule: str | None = None
    index: int | None = None
    event: Event | None = None
    allowed: tuple[str, ...] = ()
    message: str = "accepted"
    states: tuple[str, ...] = ()
    rules_exercised: frozenset[str] = frozenset()
    edges: frozenset[str] = frozenset()
    profile: str = "documented"
    configurations: int = field(default=0, compare=False)


def edge_id(src: State, src_pcs: tuple[int, ...], dst: State, dst_pcs: tuple[int, ...]) -> str:
    """The label of a spec-graph edge: the keys of its two ends (times abstracted).

    :func:`barrierlab.model.graph.state_graph` labels its edges the same way (attribute
    ``id``), so edges seen in traces can be counted against the graph.
    """
    return f"{state_key(src, src_pcs)} -> {state_key(dst, dst_pcs)}"


# A layer maps each configuration after an event to (the configuration before it, the steps
# that led from one to the other: internal steps, then the event's own step).
_Layer = dict[State, tuple[State | None, tuple[tuple[Step, State], ...]]]


@dataclass
class _Search:
    ok: bool
    layers: list[_Layer]
    index: int = 0  # the rejected event (len(trace) for the end)
    candidates: list[State] = field(default_factory=list)  # states that could not go on
    widest: int = 1


def _closure(
    spec: Spec,
    roots: Sequence[State],
    now: float,
    earliest: float,
    focus: int,
    stop: Callable[[State], bool] | None = None,
    limit: float = INF,
) -> tuple[dict[State, tuple[State, Step] | None], list[State]]:
    """Every state reachable from ``roots`` by internal steps; also the ones with none.

    States where ``stop`` holds are not expanded (see :func:`_search`).
    """
    parent: dict[State, tuple[State, Step] | None] = dict.fromkeys(roots)
    queue = list(parent)
    terminal = []
    i = 0
    while i < len(queue):
        s = queue[i]
        i += 1
        if stop is not None and stop(s):
            continue
        steps = spec.internal(s, now, earliest, focus)
        if not steps:
            terminal.append(s)
        for step, t in steps:
            if t not in parent:
                parent[t] = (s, step)
                queue.append(t)
        if len(queue) > limit:
            raise _TooWide
    return parent, terminal


def _path(parent: dict[State, Any], s: State) -> tuple[State, list[tuple[Step, State]]]:
    steps = []
    while parent[s] is not None:
        prev, step = parent[s]
        steps.append((step, s))
        s = prev
    steps.reverse()
    return s, steps


def _search(
    spec: Spec, trace: Sequence[Event], n: int, complete: bool, limit: float = INF
) -> _Search:
    init = spec.initial(n)
    layers: list[_Layer] = [{init: (None, ())}]
    cur: _Layer = layers[0]
    result = _Search(True, layers)
    last_time = -INF  # the time of the last event
    earliest = 0.0  # the time of the last event that is not a call
    for i, e in enumerate(trace):
        if math.isnan(e.time) or e.time < last_time:
            result.ok, result.index, result.candidates = False, i, list(cur)
            return result
        nxt: _Layer = {}
        if type(e) is Call:
            for s in cur:
                for step, t in spec.observe(s, e):
                    if t not in nxt:
                        nxt[t] = (s, ((step, t),))
        else:
            matches: dict[State, list[tuple[Step, State]]] = {}

            def matched(s: State, e: Event = e, matches: dict[State, Any] = matches) -> bool:
                found = matches[s] = spec.observe(s, e)
                return bool(found) and spec.settled(s)

            # Where a return or raise can already happen, the steps that could come before it
            # can as well come after it (they commute with it and stay enabled), so they are
            # left to the next event: the configurations they lead to are reached from there.
            # Only at an unchanged time (cpython's gate time bound would move) and in settled
            # states (an arrival joining cpython's open segment does not commute).
            lazy = type(e) in (Return, Raise) and e.time == earliest
            parent, _ = _closure(
                spec, list(cur), e.time, earliest, e.tid, matched if lazy else None, limit
            )
            result.widest = max(result.widest, len(parent))
            for s in parent:
                found = matches[s] if s in matches else spec.observe(s, e)
                for step, t in found:
                    if t not in nxt:
                        root, steps = _path(parent, s)
                        nxt[t] = (root, (*steps, (step, t)))
            if not nxt:
                result.ok, result.index, result.candidates = False, i, list(parent)
                return result
            earliest = e.time
        last_time = e.time
        if not nxt:
            result.ok, result.index, result.candidates = False, i, list(cur)
            return result
        layers.append(nxt)
        cur = nxt
    if complete:
        parent, terminal = _closure(spec, list(cur), INF, earliest, NOBODY, limit=limit)
        result.widest = max(result.widest, len(parent))
        stuck = [s for s in terminal if not spec.completions(s)]
        if not stuck:
            result.ok, result.index, result.candidates = False, len(trace), terminal
        else:
            root, steps = _path(parent, stuck[0])
            layers.append({stuck[0]: (root, tuple(steps))})
    return result


def _walk(spec: Spec, trace: Sequence[Event], result: _Search, n: int) -> tuple[Any, ...]:
    """Rebuild one configuration's path: states, rules and edges along it."""
    layers = result.layers
    last = len(layers) - 1
    s = next(iter(layers[last]))
    chain = []
    for k in range(last, 0, -1):
        prev, steps = layers[k][s]
        chain.append(steps)
        assert prev is not None  # invariant: only the first layer's states have no parent
        s = prev
    chain.reverse()
    states: list[str] = []
    rules: set[str] = set()
    edges: set[str] = set()
    pcs = [0] * n
    src = spec.initial(n)
    for k, steps in enumerate(chain):
        for j, (step, dst) in enumerate(steps):
            before = tuple(pcs)
            if k < len(trace) and type(trace[k]) is Call and j == len(steps) - 1:
                pcs[trace[k].tid] += 1
            edges.add(edge_id(src, before, dst, tuple(pcs)))
            rules.update(str(r) for r in step.rules if r)
            src = dst
        if k < len(trace):
            states.append(spec.describe(src))
    return tuple(states), frozenset(rules), frozenset(edges)


def _check(trace: Sequence[Event]) -> int:
    n = 1
    for e in trace:
        if not isinstance(e, _EVENT_TYPES):
            raise InvalidArgument(f"not a trace event: {e!r}")
        if type(e.tid) is not int or e.tid < 0:
            raise InvalidArgument(f"thread ids are ints >= 0, got {e.tid!r} in {e!r}")
        if not isinstance(e.time, int | float):
            raise InvalidArgument(f"event time must be a number, got {e.time!r} in {e!r}")
        n = max(n, e.tid + 1)
    return n


def _decide(
    profile: str,
    trace: Sequence[Event],
    n: int,
    *,
    parties: int,
    default_timeout: float | None,
    complete: bool,
    has_action: bool,
    pool: bool | None,
    indices: bool = True,
) -> tuple[Spec, _Search]:
    """Search ``trace`` under ``profile``: explicitly, in pool mode, or the one then the other."""

    def spec(pooled: bool) -> Spec:
        made = make_spec(
            profile, parties, has_action=has_action, default_timeout=default_timeout, pool=pooled
        )
        if not indices:
            made.indices = False
        return made

    if pool is None:
        explicit = spec(False)
        try:
            return explicit, _search(explicit, trace, n, complete, POOL_AFTER)
        except _TooWide:
            pool = True
    chosen = spec(bool(pool))
    return chosen, _search(chosen, trace, n, complete)


def _exposed(states: list[State], tid: int) -> list[State]:
    """``states`` and, in pool mode, each way thread ``tid`` may be one of their virtual entries
    (so a diagnosis sees what the spec expected of the thread itself)."""
    out = list(states)
    for s in states:
        if s.elig and tid < len(s.threads) - len(s.elig):
            out += claims(s, tid)
    return out


def accept(
    trace: Sequence[Event],
    *,
    parties: int,
    profile: str = "documented",
    default_timeout: float | None = None,
    complete: bool = True,
    has_action: bool = False,
    pool: bool | None = None,
    indices: bool = True,
) -> Verdict:
    """Decide whether ``trace`` is a behaviour of a barrier of ``parties`` under ``profile``.

    ``default_timeout`` is the constructor's timeout; ``has_action`` whether the barrier was
    given an action (its start and end then appear in the trace); ``complete`` whether the run
    ended because no thread could ever move again (else it was cut short and pending calls are
    fine). ``pool`` picks the search: False tracks every thread's arrival by name; True places
    arrivals anonymously (:mod:`~barrierlab.model.pool`: the same verdicts, without the
    ``C(k, parties)`` growth when ``k`` threads are blocked at once); None, the default, starts
    by name and switches to pool mode once :data:`POOL_AFTER` configurations are held (the
    path a verdict describes then has virtual entries in its states). ``indices=False`` judges
    a barrier whose ``wait()`` returns None: such a return stands for any index the spec
    allows there, so release, reuse and the rest are judged and the index checks are not. Raises
    :class:`~barrierlab.model.errors.InvalidArgument` for an unknown profile, ``parties < 1``
    or something that is not a trace.
    """
    make_spec(profile, parties, has_action=has_action, default_timeout=default_timeout)
    profile = base_profile(profile)  # cpython-3.X judges traces as cpython does
    trace = tuple(trace)
    n = _check(trace)
    how: dict[str, Any] = dict(
        parties=parties,
        default_timeout=default_timeout,
        complete=complete,
        has_action=has_action,
        pool=pool,
        indices=indices,
    )
    spec, result = _decide(profile, trace, n, **how)
    states, rules, edges = _walk(spec, trace, result, n)
    if result.ok:
        return Verdict(
            True,
            states=states,
            rules_exercised=rules,
            edges=edges,
            profile=profile,
            configurations=result.widest,
        )
    i = result.index
    event = trace[i] if i < len(trace) else None
    if event is None:
        candidates = [materialize(s) for s in result.candidates]
        rule, why = diagnose_end(spec, candidates)
    else:
        candidates = _exposed(result.candidates, event.tid)
        rule, why = diagnose(spec, candidates, event, trace, i)
    if profile == "cpython":
        _, loose = _decide("documented", trace, n, **how)
        if loose.ok or loose.index > i:
            rule, why = diagnose_cpython(spec, candidates, event, trace, i)
    rule, why = spec.refine(rule, why, trace, i)
    allowed = _allowed(spec, result.candidates, event)
    where = f"event {i} ({describe_event(event)})" if event is not None else "the end of the run"
    return Verdict(
        False,
        rule=rule,
        index=i,
        event=event,
        allowed=allowed,
        message=f"{where} breaks {rule}: {why}",
        states=states,
        rules_exercised=rules,
        edges=edges,
        profile=profile,
        configurations=result.widest,
    )


def _allowed(spec: Spec, states: list[State], event: Event | None) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for s in states:
        for e in spec.completions(s):
            seen.setdefault(describe_event(e), None)
        if event is not None and event.tid < len(s.threads) and s.threads[event.tid] is None:
            seen.setdefault(f"t{event.tid} calls an operation", None)
    if event is not None and not seen:
        seen[f"t{event.tid} stays blocked"] = None
    if event is None and not seen:
        seen["every pending call stays blocked"] = None
    items = sorted(seen)
    if len(items) > MAX_ALLOWED:
        items = [*items[: MAX_ALLOWED - 1], f"... ({len(items) - MAX_ALLOWED + 1} more)"]
    return tuple(items)
