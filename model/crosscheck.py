"""Cross-check: the z3 encoding of :mod:`barrierlab.model.proofs` against the explicit spec.

The proofs are about counters; the explicit spec names threads. :func:`counters` maps an
explicit state to the counters it stands for. :func:`cross_check` walks the whole state graph
of a small configuration (every node: spec state plus program counters) and compares the two
in both directions, on **every** counter of the encoding. Most are read off the explicit
state. The rest are the encoding's bookkeeping, which the explicit state has no need to keep,
so the walk keeps it beside each state as a *ghost* (:data:`Ghost`), updated from what each
explicit step did:

* the *tracked* released generation (``gr u x mft mfo``): at each step that releases a
  generation the walk branches, as the encoding does, between going on with the tracked one
  and tracking the new one; a tracked party that returns counts in ``u``, one that raises in
  ``x``; a reset or abort that takes effect while released parties are pending sets the
  may-fail flags;
* cpython's split of the threads due to raise into ``f`` (failed while waiting) and ``fr``
  (failed after being released): a thread whose ``wait`` fails is in ``fr`` when it was a
  released party just before;
* the asyncio profile's ``y`` (:mod:`barrierlab.model.asyncio_proofs`): a tracked party
  cancelled before it returned (``CancelledError`` or ``TimeoutError``) counts in ``y``, not
  in ``x``. Its counters are otherwise documented's; its explicit graph has the cancellation
  edges (:meth:`~barrierlab.model.spec.Spec.interruptions`), which the encoding's
  ``cancel ...`` steps must match in both directions (a cancelled ``reset`` or ``abort``
  changes no counter: a stutter).

* **forward** (explicit within encoded): every node's counters satisfy the invariants, and
  every explicit step is a transition of the encoding between the two nodes' counters, or
  leaves them unchanged. Steps in which several cpython threads "wake up and leave" together
  are not compared (each single leave is).
* **reverse** (encoded within explicit): from every node, every transition of the encoding
  leads to counters that the node itself has or that some explicit step reaches from the
  node, *up to stuttering*: from any node reachable from it by explicit steps that leave the
  counters unchanged (a call of ``reset`` stutters before its effect, for instance). The
  encoding is for any number of threads and any programs, so its *environment* steps are
  compared only where the configuration offers them (in the node or its stutter closure):
  ``call wait`` when an idle thread's next call is a wait, ``reset``/``abort`` when a
  thread's next call is one or one is pending, ``time out`` when an arrived waiter has a
  finite deadline. (A small configuration cannot offer a call its programs do not make; the
  proofs cover every program.)

A z3 ``unknown`` raises :class:`~barrierlab.model.errors.ProofError` in either direction.

>>> from barrierlab.model.moves import programs_of
>>> cross_check(2, programs_of(["wait", "wait(1)"]), "cpython")
[]
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import z3

from barrierlab.model.asyncio_profile import CANCELLED
from barrierlab.model.asyncio_proofs import asyncio_system
from barrierlab.model.events import Event, Raise, Return
from barrierlab.model.moves import Programs, check_programs, moves
from barrierlab.model.proofs import (
    System,
    _check,
    _solver,
    cpython_system,
    documented_system,
)
from barrierlab.model.spec import ALL, INF, Spec, State, Status, Step, make_spec

__all__ = ["counters", "cross_check"]

_STAGE = {"full": 1, "run": 2}


def _stage(s: State) -> int:
    if s.trip is None:
        return 0
    return _STAGE.get(s.trip[0], 3 if s.trip[2] is None else 4)


def _count(s: State, pred: Callable[[int, Status], bool]) -> int:
    return sum(1 for tid, st in enumerate(s.threads) if st is not None and pred(tid, st))


#: Ghost state the walk keeps beside each explicit state, for the counters the explicit state
#: does not hold: (cpython's threads due to raise because they were released, the tracked
#: generation's pending parties, its returned and raised counts, its and the others' may-fail
#: flags, and (asyncio) its parties cancelled before returning).
Ghost = tuple[frozenset[int], frozenset[int], int, int, bool, bool, int]


def _released(spec: Spec, s: State, st: Status | None) -> bool:
    """Whether status ``st`` is a released party that has not left ``wait`` yet."""
    if st is None:
        return False
    if st.kind == "ret":
        return True
    if st.kind != "w" or spec.profile != "cpython":
        return False
    trip_gen = next((x.gid for x in s.threads if x is not None and x.kind == "run"), None)
    return s.gens[st.gid][1] == spec.parties and st.gid != trip_gen


def _pending_released(spec: Spec, s: State, fr: frozenset[int]) -> int:
    """The encoding's released parties not done yet (documented ``q``; cpython ``q+rin+fr``)."""
    return sum(1 for st in s.threads if _released(spec, s, st)) + len(fr)


def _ghosts(spec: Spec, s: State, t: State, e: Event | None, g: Ghost) -> list[Ghost]:
    """The ghost states after the explicit step ``s -> t`` (with event ``e``) from ghost ``g``.

    Mirrors the encoding's bookkeeping from what the explicit step did: which threads it
    released (then the tracked generation may be kept or become the new one, as the encoding
    chooses), which tracked parties returned or raised, and which resets and aborts took
    effect while released parties were pending.
    """
    fr, members, u, x, mft, mfo, y = g
    if any(
        st is not None
        and st.kind == "call"
        and st.op in ("reset", "abort")
        and (done := t.threads[tid]) is not None
        and done.kind == "done"
        for tid, st in enumerate(s.threads)
    ):
        pending = _pending_released(spec, s, fr) > 0
        mft, mfo = mft or pending, mfo or pending
    if isinstance(e, Return | Raise) and e.op == "wait" and e.tid in members:
        members = members - {e.tid}
        if isinstance(e, Return):
            u += 1
        elif spec.profile == "asyncio" and e.error in CANCELLED:
            y += 1
        else:
            x += 1
    if spec.profile == "cpython":
        fr = frozenset(
            tid
            for tid, st in enumerate(t.threads)
            if st is not None
            and st.kind == "err"
            and (tid in fr or _released(spec, s, s.threads[tid]))
        )
    newly = frozenset(
        tid
        for tid, st in enumerate(t.threads)
        if _released(spec, t, st) and not _released(spec, s, s.threads[tid])
    )
    kept = (fr, members, u, x, mft, mfo, y)
    if not newly:
        return [kept]
    return [(fr, newly, 0, 0, False, mfo or mft, 0), kept]


def counters(spec: Spec, s: State, ghost: Ghost) -> dict[str, Any]:
    """Every counter of the encoding for an explicit state, with ``ghost`` (see :data:`Ghost`)
    for the tracked generation and cpython's ``fr``."""
    out: dict[str, Any] = {
        "P": spec.parties,
        "A": spec.has_action,
        "k": _stage(s),
        "c": _count(s, lambda _, st: st.kind == "call" and st.op == "wait"),
        "q": _count(s, lambda _, st: st.kind == "ret"),
    }
    fr, members, u, x, mft, mfo, y = ghost
    out |= {"gr": len(members), "u": u, "x": x, "mft": mft, "mfo": mfo}
    if spec.profile == "asyncio":
        out["y"] = y
    failing = _count(s, lambda _, st: st.kind == "err")
    if spec.profile in ("documented", "asyncio"):
        doomed = bool(s.trip and s.trip[3])
        runner = s.trip[1] if s.trip else None
        out["B"] = s.phase == "B"
        out["dm"] = doomed
        out["a"] = _count(
            s, lambda tid, st: st.kind == "w" and st.gid == s.gen and not (doomed and tid == runner)
        )
        out["f"] = failing
        return out
    out["ph"] = "FDRB".index(s.phase)
    out["rin"] = _count(s, lambda _, st: st.kind == "w" and _released(spec, s, st))
    out["wf"] = _count(s, lambda _, st: st.kind == "w" and not _released(spec, s, st))
    out["f"], out["fr"] = failing - len(fr), len(fr)
    return out


def _pin(v: Any, values: dict[str, Any]) -> list[Any]:
    return [v[name] == value for name, value in values.items()]


def _differs(v: Any, values: dict[str, Any]) -> Any:
    """``v``'s counters are not ``values``."""
    return z3.Not(z3.And(_pin(v, values)))


#: The encoding of each profile (cpython's versioned profiles: cpython's).
_SYSTEMS: dict[str, Callable[[], System]] = {
    "documented": documented_system,
    "asyncio": asyncio_system,
}

#: The encoding's steps that the environment (programs, timeouts, clock) must offer.
_ENVIRONMENT = ("call wait", "reset", "abort", "time out")

Node = tuple[tuple[int, ...], State, Ghost]


def _offered(programs: Programs, node: Node) -> set[str]:
    """The environment steps a node offers (see the module docstring)."""
    pcs, state, _ = node
    out = set()
    for tid, st in enumerate(state.threads):
        if st is None:
            if pcs[tid] < len(programs[tid]):
                op = programs[tid][pcs[tid]][0]
                out.add("call wait" if op == "wait" else op)
        elif st.kind == "call" and st.op in ("reset", "abort"):
            out.add(st.op)
        elif st.kind == "w" and st.deadline != INF:
            out.add("time out")
    return out & set(_ENVIRONMENT)


def cross_check(
    parties: int,
    programs: Programs,
    profile: str,
    *,
    has_action: bool = False,
    default_timeout: float | None = None,
    system: System | None = None,
    directions: tuple[str, ...] = ("forward", "reverse"),
) -> list[str]:
    """Compare the z3 encoding of ``profile`` with its explicit state graph.

    ``directions``: ``"forward"`` (every explicit state and step is in the encoding) and/or
    ``"reverse"`` (every encoded transition out of an explicit state is an explicit step, up
    to stuttering); the module docstring says exactly what each compares. Returns the
    disagreements found, each prefixed with its direction (none: they agree on this
    configuration).
    """
    spec = make_spec(profile, parties, has_action=has_action, default_timeout=default_timeout)
    programs = check_programs(programs)
    if system is None:
        system = _SYSTEMS.get(profile, cpython_system)()
    ghost: Ghost = (frozenset(), frozenset(), parties, 0, False, False, 0)
    start = ((0,) * len(programs), spec.initial(len(programs)), ghost)
    succ: dict[Node, list[tuple[Step, Node]]] = {}
    queue = [start]
    while queue:
        node = queue.pop()
        if node in succ:
            continue
        pcs, state, ghost = node
        succ[node] = [
            (step, (p2, n2, g2))
            for step, e, p2, n2 in moves(spec, programs, pcs, state, focus=ALL)
            for g2 in _ghosts(spec, state, n2, e, ghost)
        ]
        queue += [nxt for _, nxt in succ[node] if nxt not in succ]
    keys = {node: counters(spec, node[1], node[2]) for node in succ}
    problems: list[str] = []
    if "forward" in directions:
        problems += [f"forward: {p}" for p in _forward(spec, system, succ, keys)]
    if "reverse" in directions:
        problems += [f"reverse: {p}" for p in _reverse(spec, programs, system, succ, keys)]
    return problems


def _key(values: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(sorted(values.items()))


def _forward(
    spec: Spec,
    system: System,
    succ: dict[Node, list[tuple[Step, Node]]],
    keys: dict[Node, dict[str, Any]],
) -> list[str]:
    s, t = system.vars(), system.vars("'")
    solver = _solver()
    stutter = z3.And([s[v] == t[v] for v in s])
    problems: list[str] = []
    checked: set[Any] = set()
    for node, out in succ.items():
        here = keys[node]
        key = _key(here)
        if key not in checked:
            checked.add(key)
            if _check(solver, system.inv(s), *_pin(s, here)) is None:
                problems.append(f"state {spec.describe(node[1])} ({here}) breaks the invariants")
        for step, nxt in out:
            there = keys[nxt]
            pair = (key, _key(there))
            if pair not in checked and not step.text.endswith("wake up and leave"):
                checked.add(pair)
                facts = [*_pin(s, here), *_pin(t, there), z3.Or(stutter, system.trans(s, t))]
                if _check(solver, *facts) is None:
                    problems.append(f"step {step.text!r} ({here} -> {there}) is not encoded")
        if len(problems) >= 10:
            break
    return problems


def _reverse(
    spec: Spec,
    programs: Programs,
    system: System,
    succ: dict[Node, list[tuple[Step, Node]]],
    keys: dict[Node, dict[str, Any]],
) -> list[str]:
    s, t = system.vars(), system.vars("'")
    solver = _solver()
    problems: list[str] = []
    asked: set[Any] = set()
    for node in succ:
        here = keys[node]
        key = _key(here)
        # The stutter closure: nodes reachable by steps that keep the counters.
        closure, todo = {node}, [node]
        while todo:
            for _, nxt in succ[todo.pop()]:
                if nxt not in closure and _key(keys[nxt]) == key:
                    closure.add(nxt)
                    todo.append(nxt)
        reached = {_key(keys[nxt]) for m in closure for _, nxt in succ[m]} - {key}
        offered = set().union(*(_offered(programs, m) for m in closure))
        question = (key, frozenset(reached), frozenset(offered))
        if question in asked:
            continue
        asked.add(question)
        steps = {
            name: step(s, t)
            for name, step in system.steps.items()
            if name not in _ENVIRONMENT or name in offered
        }
        facts = [
            system.inv(s),
            *_pin(s, here),
            z3.Or(list(steps.values())),
            _differs(t, here),
            *[_differs(t, dict(k)) for k in reached],
        ]
        model = _check(solver, *facts)
        if model is not None:
            names = [n for n, f in steps.items() if z3.is_true(model.eval(f, True))]
            extra = {n: model.eval(t[n], True) for n in here}
            problems.append(
                f"from state {spec.describe(node[1])} ({here}) the encoded step "
                f"{' / '.join(map(repr, names))} leads to {extra}, which no explicit step reaches"
            )
            if len(problems) >= 10:
                break
    return problems
