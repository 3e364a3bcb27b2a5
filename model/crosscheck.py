"""Cross-check: the z3 encoding of :mod:`barrierlab.model.proofs` against the explicit spec.

The proofs are about counters; the explicit spec names threads. :func:`counters` maps an
explicit state to the counters it stands for, and :func:`cross_check` walks the whole state
graph of a small configuration: every state's counters must satisfy the invariants, and every
step must be a transition of the encoding (or leave the counters unchanged). The tracked
generation's counters are left free (the explicit state may hold several released
generations); cpython's ``f`` and ``fr`` are pinned by their sum.

>>> from barrierlab.model.walk import programs_of
>>> cross_check(2, programs_of(["wait", "wait(1)"]), "cpython")
[]
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import z3

from barrierlab.model.proofs import (
    System,
    Vars,
    _check,
    _solver,
    cpython_system,
    documented_system,
)
from barrierlab.model.spec import ALL, Spec, State, make_spec
from barrierlab.model.walk import Programs, check_programs, moves

__all__ = ["counters", "cross_check"]

_STAGE = {"full": 1, "run": 2}


def _stage(s: State) -> int:
    if s.trip is None:
        return 0
    return _STAGE.get(s.trip[0], 3 if s.trip[2] is None else 4)


def _count(s: State, pred: Callable[[int, Any], bool]) -> int:
    return sum(1 for tid, st in enumerate(s.threads) if st is not None and pred(tid, st))


def counters(spec: Spec, s: State) -> dict[str, Any]:
    """The counters an explicit state stands for (the tracked generation's are left out, and
    for cpython ``f + fr`` is given as ``failing``)."""
    out: dict[str, Any] = {
        "P": spec.parties,
        "A": spec.has_action,
        "k": _stage(s),
        "c": _count(s, lambda _, st: st[0] == "call" and st[1] == "wait"),
        "q": _count(s, lambda _, st: st[0] == "ret"),
    }
    failing = _count(s, lambda _, st: st[0] == "err")
    if spec.profile == "documented":
        doomed = bool(s.trip and s.trip[3])
        runner = s.trip[1] if s.trip else None
        out["B"] = s.phase == "B"
        out["dm"] = doomed
        out["a"] = _count(
            s, lambda tid, st: st[0] == "w" and st[3] == s.gen and not (doomed and tid == runner)
        )
        out["f"] = failing
        return out
    trip_gen = next((st[1] for st in s.threads if st is not None and st[0] == "run"), None)

    def released(gid: int) -> bool:
        return s.gens[gid][1] == spec.parties and gid != trip_gen

    out["ph"] = "FDRB".index(s.phase)
    out["rin"] = _count(s, lambda _, st: st[0] == "w" and released(st[3]))
    out["wf"] = _count(s, lambda _, st: st[0] == "w" and not released(st[3]))
    out["failing"] = failing
    return out


def _pin(v: Vars, values: dict[str, Any]) -> list[Any]:
    facts = [v[name] == value for name, value in values.items() if name != "failing"]
    if "failing" in values:
        facts.append(v["f"] + v["fr"] == values["failing"])
    return facts


def cross_check(
    parties: int,
    programs: Programs,
    profile: str,
    *,
    has_action: bool = False,
    default_timeout: float | None = None,
    system: System | None = None,
) -> list[str]:
    """Compare the z3 encoding of ``profile`` with its explicit state graph.

    Every reachable explicit state must map to counters that satisfy the invariants, and every
    explicit step must be a transition of the encoding (or leave the counters unchanged).
    Returns the disagreements found (none: they agree on this configuration).
    """
    spec = make_spec(profile, parties, has_action=has_action, default_timeout=default_timeout)
    programs = check_programs(programs)
    if system is None:
        system = documented_system() if profile == "documented" else cpython_system()
    s, t = system.vars(), system.vars("'")
    solver = _solver()
    stutter = z3.And([s[v] == t[v] for v in s])
    problems: list[str] = []
    start = ((0,) * len(programs), spec.initial(len(programs)))
    seen = {start}
    queue = [start]
    checked: set[Any] = set()
    while queue and len(problems) < 10:
        pcs, state = queue.pop()
        here = counters(spec, state)
        key = tuple(sorted(here.items()))
        if key not in checked:
            checked.add(key)
            if _check(solver, system.inv(s), *_pin(s, here)) is None:
                problems.append(f"state {spec.describe(state)} ({here}) breaks the invariants")
        for step, _, pcs2, nxt in moves(spec, programs, pcs, state, focus=ALL):
            there = counters(spec, nxt)
            pair = (key, tuple(sorted(there.items())))
            if pair not in checked and not step.text.endswith("wake up and leave"):
                checked.add(pair)
                facts = [*_pin(s, here), *_pin(t, there), z3.Or(stutter, system.trans(s, t))]
                if _check(solver, *facts) is None:
                    problems.append(f"step {step.text!r} ({here} -> {there}) is not encoded")
            if (pcs2, nxt) not in seen:
                seen.add((pcs2, nxt))
                queue.append((pcs2, nxt))
    return problems
