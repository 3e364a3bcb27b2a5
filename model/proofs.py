"""Proofs with z3: the spec's invariants hold for every ``parties >= 1``, and cpython refines
documented.

The explicit spec (:mod:`barrierlab.model.documented`, :mod:`barrierlab.model.cpython`) names
threads; here each profile is abstracted to *counters* over any number of threads, with
``parties`` a free integer ``P >= 1``. A proof is a proof for every P and every number of
threads, not a check of small graphs:

* each invariant is shown **inductive**: it holds initially, and every transition from a state
  satisfying all the invariants leads to a state satisfying it (the invariants strengthen one
  another, so all of them together are inductive);
* **refinement**: under the abstraction map ``alpha`` from cpython counters to documented
  counters, every cpython transition is a documented transition or leaves ``alpha`` unchanged
  (a stutter), from any state satisfying cpython's invariants.

A z3 ``unknown`` raises :class:`~barrierlab.model.errors.ProofError`: it is never a pass.
The cross-check (:mod:`barrierlab.model.crosscheck`) ties the encoding to the explicit spec:
on the state graph of small configurations, every explicit state's counters satisfy the
invariants and every explicit edge is a transition of the encoding, and (the reverse) every
encoded transition out of an explicit state is an explicit step, up to stuttering.

The counters (both profiles): ``c`` waits called and not yet arrived, ``f`` threads due to
raise, ``q`` released parties due to return, ``k`` the action's stage (0 none, 1 due, 2
running, 3 ended, 4 raised), and one *tracked* released generation: ``gr`` of its parties still
pending, ``u`` indices it returned, ``x`` of its parties that raised, ``mft``/``mfo`` whether
the tracked/another generation's released parties may raise (after a reset or abort).
documented adds ``B`` (broken), ``a`` (arrived), ``dm`` (the running action's generation has
failed); cpython adds the phase ``ph`` (0 filling, 1 draining, 2 resetting, 3 broken), ``wf``
(waiting, not released), ``rin`` (released but still inside) and ``fr`` (released, left to
raise). ``A`` says whether the barrier has an action.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Any

import z3

from barrierlab.model.errors import ProofError

__all__ = [
    "Outcome",
    "ProofVerdict",
    "alpha",
    "cpython_system",
    "documented_system",
    "prove_all",
    "prove_invariants",
    "prove_refinement",
]

#: Milliseconds z3 may spend on one query before answering unknown.
TIMEOUT_MS = 20_000


class ProofVerdict(Enum):
    """The result of one proof obligation. There is no UNKNOWN: that raises ProofError."""

    PROVED = "proved"
    REFUTED = "refuted"


@dataclass(frozen=True)
class Outcome:
    """One named claim, its verdict, and (when refuted) the step and state that break it."""

    name: str
    statement: str
    verdict: ProofVerdict
    counterexample: str = ""

    @property
    def ok(self) -> bool:
        return self.verdict is ProofVerdict.PROVED


Vars = dict[str, Any]
Step = Callable[[Vars, Vars], Any]
#: A z3 term over the state variables.
Term = Callable[[Vars], Any]


@dataclass(frozen=True)
class System:
    """A transition system over named z3 variables: init, named steps, named invariants."""

    name: str
    sorts: dict[str, str]  # variable -> "int" | "bool"
    init: Callable[[Vars], Any]
    steps: dict[str, Step]
    invariants: dict[str, tuple[str, Callable[[Vars], Any]]]  # name -> (statement, formula)

    def vars(self, suffix: str = "") -> Vars:
        make = {"int": z3.Int, "bool": z3.Bool}
        return {v: make[s](v + suffix) for v, s in self.sorts.items()}

    def inv(self, s: Vars) -> Any:
        return z3.And([f(s) for _, f in self.invariants.values()])

    def trans(self, s: Vars, t: Vars) -> Any:
        return z3.Or([step(s, t) for step in self.steps.values()])


def _step(guard: Callable[[Vars], Any], **updates: Callable[[Vars], Any]) -> Step:
    """A step: ``guard`` holds before; the updated variables take their new values, the rest
    keep theirs (``P`` and ``A`` never change)."""

    def step(s: Vars, t: Vars) -> Any:
        return z3.And(guard(s), *[t[v] == (updates[v](s) if v in updates else s[v]) for v in s])

    return step


def _group_steps(q: str, pending: Callable[[Vars], Any]) -> dict[str, Step]:
    """Returns (and released raises) of the tracked generation and of the others."""
    others: Term = lambda s: pending(s) - s["gr"] >= 1  # noqa: E731

    return {
        "return (tracked)": _step(
            lambda s: z3.And(s[q] >= 1, s["gr"] >= 1),
            **{q: lambda s: s[q] - 1, "gr": lambda s: s["gr"] - 1, "u": lambda s: s["u"] + 1},
        ),
        "return (other)": _step(lambda s: z3.And(s[q] >= 1, others(s)), **{q: lambda s: s[q] - 1}),
    }


def _new_group(s: Vars) -> dict[str, Any]:
    return {"gr": s["P"], "u": 0, "x": 0, "mft": False, "mfo": z3.Or(s["mfo"], s["mft"])}


def _release(extra: dict[str, Callable[[Vars], Any]], keep: bool) -> dict[str, Any]:
    if keep:
        return extra
    fresh = {name: (lambda s, n=name: _new_group(s)[n]) for name in ("gr", "u", "x", "mft", "mfo")}
    return {**extra, **fresh}


_GROUP = ("gr", "u", "x", "mft", "mfo")
_COMMON = {"P": "int", "A": "bool", "k": "int", "c": "int", "f": "int", "q": "int"}
_COMMON |= {"gr": "int", "u": "int", "x": "int", "mft": "bool", "mfo": "bool"}


def documented_system() -> System:
    """The documented profile as counters (see the module docstring)."""
    P: Term = lambda s: s["P"]  # noqa: E731
    free: Term = lambda s: z3.And(z3.Not(s["B"]), s["k"] == 0, s["c"] >= 1)  # noqa: E731
    # Parties of the filling generation a timeout, reset or abort fails (not the one running
    # the action, whose generation is then doomed).
    fails: Term = lambda s: z3.If(z3.And(s["k"] >= 2, z3.Not(s["dm"])), s["a"] - 1, s["a"])  # noqa: E731
    mayfail: Callable[[Vars, str], Any] = lambda s, n: z3.Or(s[n], s["q"] > 0)  # noqa: E731

    def breaker(broken: Any) -> dict[str, Callable[[Vars], Any]]:
        return {
            "B": lambda s: broken,
            "f": lambda s: s["f"] + fails(s),
            "a": lambda s: 0,
            "k": lambda s: z3.If(s["k"] == 1, 0, s["k"]),
            "dm": lambda s: z3.Or(s["dm"], s["k"] >= 2),
        }

    steps: dict[str, Step] = {
        "call wait": _step(lambda s: True, c=lambda s: s["c"] + 1),
        "arrive": _step(
            lambda s: z3.And(free(s), s["a"] + 1 < P(s)),
            a=lambda s: s["a"] + 1,
            c=lambda s: s["c"] - 1,
        ),
        "arrive, the action is due": _step(
            lambda s: z3.And(free(s), s["a"] + 1 == P(s), s["A"]),
            a=P,
            k=lambda s: 1,
            c=lambda s: s["c"] - 1,
        ),
        "enter a broken barrier": _step(
            lambda s: z3.And(s["B"], s["c"] >= 1),
            c=lambda s: s["c"] - 1,
            f=lambda s: s["f"] + 1,
        ),
        "time out": _step(
            lambda s: z3.And(z3.Not(s["B"]), s["a"] >= z3.If(s["k"] >= 2, 2, 1)),
            **breaker(True),
        ),
        "reset": _step(
            lambda s: True,
            **breaker(False),
            mft=lambda s: mayfail(s, "mft"),
            mfo=lambda s: mayfail(s, "mfo"),
        ),
        "abort": _step(
            lambda s: True,
            **breaker(True),
            mft=lambda s: mayfail(s, "mft"),
            mfo=lambda s: mayfail(s, "mfo"),
        ),
        "action starts": _step(lambda s: z3.And(s["A"], s["k"] == 1), k=lambda s: 2),
        "action ends": _step(lambda s: s["k"] == 2, k=lambda s: 3),
        "action raises": _step(lambda s: s["k"] == 2, k=lambda s: 4),
        "failed action breaks": _step(
            lambda s: z3.And(s["k"] == 4, z3.Not(s["dm"])),
            k=lambda s: 0,
            B=lambda s: True,
            a=lambda s: 0,
            f=lambda s: s["f"] + P(s),
        ),
        "doomed action ends": _step(
            lambda s: z3.And(s["k"] >= 3, s["dm"]),
            k=lambda s: 0,
            dm=lambda s: False,
            f=lambda s: s["f"] + 1,
        ),
        "raise": _step(lambda s: s["f"] >= 1, f=lambda s: s["f"] - 1),
        "released raises (tracked)": _step(
            lambda s: z3.And(s["q"] >= 1, s["gr"] >= 1, s["mft"]),
            q=lambda s: s["q"] - 1,
            gr=lambda s: s["gr"] - 1,
            x=lambda s: s["x"] + 1,
        ),
        "released raises (other)": _step(
            lambda s: z3.And(s["q"] >= 1, s["q"] > s["gr"], z3.Or(s["mft"], s["mfo"])),
            q=lambda s: s["q"] - 1,
        ),
        **_group_steps("q", lambda s: s["q"]),
    }
    for keep in (False, True):
        which = "old" if keep else "new"
        release = {"a": lambda s: 0, "q": lambda s: s["q"] + s["P"]}
        steps[f"arrive and release (track {which})"] = _step(
            lambda s: z3.And(free(s), s["a"] + 1 == P(s), z3.Not(s["A"])),
            **_release({**release, "c": lambda s: s["c"] - 1}, keep),
        )
        steps[f"action ended: release (track {which})"] = _step(
            lambda s: z3.And(s["k"] == 3, z3.Not(s["dm"])),
            **_release({**release, "k": lambda s: 0}, keep),
        )

    def nw(s: Vars) -> tuple[Any, Any]:
        tripping = z3.And(s["k"] != 0, z3.Not(s["dm"]))
        lo = z3.If(s["B"], 0, z3.If(tripping, P(s) - 1, s["a"]))
        hi = z3.If(s["B"], 0, z3.If(tripping, P(s), s["a"]))
        return lo, hi

    invariants = {
        "D-PARTIES": ("parties >= 1", lambda s: P(s) >= 1),
        "D-FILL": (
            "a filling generation holds fewer than parties threads (R-RELEASE)",
            lambda s: z3.And(s["a"] >= 0, s["a"] <= P(s), z3.Implies(s["k"] == 0, s["a"] < P(s))),
        ),
        "D-TRIP": (
            "the action is due only for a full generation of a barrier with an action "
            "(R-ACTION-ONCE)",
            lambda s: z3.And(
                s["k"] >= 0,
                s["k"] <= 4,
                z3.Implies(s["k"] >= 1, s["A"]),
                z3.Implies(z3.And(s["k"] >= 1, z3.Not(s["dm"])), s["a"] == P(s)),
                z3.Implies(s["dm"], z3.And(s["k"] >= 2, s["a"] == 0)),
            ),
        ),
        "D-BROKEN": (
            "nobody waits in a broken barrier (R-BROKEN-WAIT)",
            lambda s: z3.Implies(s["B"], z3.And(s["a"] == 0, z3.Or(s["k"] == 0, s["dm"]))),
        ),
        "D-GROUP": (
            "every party of a released generation returns a distinct index or raises: "
            "indices never run out (R-INDEX, R-RELEASE-ALL)",
            lambda s: z3.And(
                s["gr"] >= 0,
                s["u"] >= 0,
                s["x"] >= 0,
                s["gr"] + s["u"] + s["x"] == P(s),
                s["gr"] <= s["q"],
            ),
        ),
        "D-MAYFAIL": (
            "released parties raise only after a reset or abort (R-RESET, R-ABORT)",
            lambda s: z3.Implies(z3.Not(s["mft"]), s["x"] == 0),
        ),
        "D-COUNTS": (
            "the counts of pending calls are never negative",
            lambda s: z3.And(s["f"] >= 0, s["c"] >= 0, s["q"] >= 0),
        ),
        "D-N-WAITING": (
            "n_waiting reads a value in 0..parties (R-N-WAITING)",
            lambda s: z3.And(nw(s)[0] >= 0, nw(s)[0] <= nw(s)[1], nw(s)[1] <= P(s)),
        ),
    }

    def init(s: Vars) -> Any:
        zero = [s[v] == 0 for v in ("a", "k", "f", "c", "q", "gr", "x")]
        flags = [z3.Not(s[v]) for v in ("B", "dm", "mft", "mfo")]
        return z3.And(P(s) >= 1, s["u"] == P(s), *zero, *flags)

    sorts = {**_COMMON, "B": "bool", "a": "int", "dm": "bool"}
    return System("documented", sorts, init, steps, invariants)


_F, _D, _R, _B = 0, 1, 2, 3


def _inside(s: Vars) -> Any:
    """cpython's count: threads inside wait past the gate."""
    return s["wf"] + s["rin"] + z3.If(s["k"] != 0, 1, 0)


def cpython_system() -> System:
    """The cpython profile as counters (see the module docstring)."""
    P: Term = lambda s: s["P"]  # noqa: E731
    lock: Term = lambda s: s["k"] == 0  # noqa: E731  (nobody runs the action under the lock)
    pending: Term = lambda s: s["q"] + s["rin"] + s["fr"]  # noqa: E731
    mayfail: Callable[[Vars, str], Any] = lambda s, n: z3.Or(s[n], pending(s) > 0)  # noqa: E731
    arriving: Term = lambda s: z3.And(s["ph"] == _F, lock(s), s["c"] >= 1)  # noqa: E731
    # The last arrival trips: the waiters are released, the runner leaves returning
    # parties - 1; draining unless it was alone.
    released = {
        "rin": lambda s: s["wf"],
        "wf": lambda s: 0,
        "q": lambda s: s["q"] + 1,
        "ph": lambda s: z3.If(s["wf"] == 0, _F, _D),
    }

    def leave(phase: int, who: str, to: str) -> Step:
        def reopen(s: Vars) -> Any:
            if phase == _B:
                return s["ph"]
            return z3.If(s["wf"] + s["rin"] - 1 == 0, _F, s["ph"])

        return _step(
            lambda s: z3.And(s["ph"] == phase, lock(s), s[who] >= 1),
            **{who: lambda s: s[who] - 1, to: lambda s: s[to] + 1, "ph": reopen},
        )

    steps: dict[str, Step] = {
        "call wait": _step(lambda s: True, c=lambda s: s["c"] + 1),
        "arrive": _step(
            lambda s: z3.And(arriving(s), s["wf"] + 1 < P(s)),
            wf=lambda s: s["wf"] + 1,
            c=lambda s: s["c"] - 1,
        ),
        "arrive last, run the action": _step(
            lambda s: z3.And(arriving(s), s["wf"] + 1 == P(s), s["A"]),
            k=lambda s: 1,
            c=lambda s: s["c"] - 1,
        ),
        "enter a broken barrier": _step(
            lambda s: z3.And(s["ph"] == _B, lock(s), s["c"] >= 1),
            c=lambda s: s["c"] - 1,
            f=lambda s: s["f"] + 1,
        ),
        "leave draining": leave(_D, "rin", "q"),
        "leave resetting (waiting)": leave(_R, "wf", "f"),
        "leave resetting (released)": leave(_R, "rin", "fr"),
        "leave broken (waiting)": leave(_B, "wf", "f"),
        "leave broken (released)": leave(_B, "rin", "fr"),
        "time out": _step(
            lambda s: z3.And(s["ph"] == _F, lock(s), s["wf"] >= 1),
            ph=lambda s: _B,
            wf=lambda s: s["wf"] - 1,
            f=lambda s: s["f"] + 1,
        ),
        "reset": _step(
            lock,
            ph=lambda s: z3.If(
                _inside(s) > 0, z3.If(z3.Or(s["ph"] == _F, s["ph"] == _B), _R, s["ph"]), _F
            ),
            mft=lambda s: mayfail(s, "mft"),
            mfo=lambda s: mayfail(s, "mfo"),
        ),
        "abort": _step(
            lock,
            ph=lambda s: _B,
            mft=lambda s: mayfail(s, "mft"),
            mfo=lambda s: mayfail(s, "mfo"),
        ),
        "action starts": _step(lambda s: s["k"] == 1, k=lambda s: 2),
        "action ends": _step(lambda s: s["k"] == 2, k=lambda s: 3),
        "action raises": _step(lambda s: s["k"] == 2, k=lambda s: 4),
        "failed action breaks": _step(
            lambda s: s["k"] == 4, k=lambda s: 0, ph=lambda s: _B, f=lambda s: s["f"] + 1
        ),
        "raise": _step(lambda s: s["f"] >= 1, f=lambda s: s["f"] - 1),
        "released raises (tracked)": _step(
            lambda s: z3.And(s["fr"] >= 1, s["gr"] >= 1, s["mft"]),
            fr=lambda s: s["fr"] - 1,
            gr=lambda s: s["gr"] - 1,
            x=lambda s: s["x"] + 1,
        ),
        "released raises (other)": _step(
            lambda s: z3.And(s["fr"] >= 1, pending(s) > s["gr"], z3.Or(s["mft"], s["mfo"])),
            fr=lambda s: s["fr"] - 1,
        ),
        **_group_steps("q", pending),
    }
    for keep in (False, True):
        which = "old" if keep else "new"
        steps[f"arrive last and release (track {which})"] = _step(
            lambda s: z3.And(arriving(s), s["wf"] + 1 == P(s), z3.Not(s["A"])),
            **_release({**released, "c": lambda s: s["c"] - 1}, keep),
        )
        steps[f"action ended: release (track {which})"] = _step(
            lambda s: s["k"] == 3, **_release({**released, "k": lambda s: 0}, keep)
        )

    invariants = {
        "C-PARTIES": ("parties >= 1", lambda s: P(s) >= 1),
        "C-COUNT": (
            "the count of threads inside wait stays in 0..parties",
            lambda s: z3.And(s["wf"] >= 0, s["rin"] >= 0, _inside(s) <= P(s)),
        ),
        "C-FILL": (
            "while filling, the next index (the count) is below parties (C-INDEX-ORDER, R-INDEX)",
            lambda s: z3.Implies(
                z3.And(s["ph"] == _F, s["k"] == 0), z3.And(s["rin"] == 0, s["wf"] < P(s))
            ),
        ),
        "C-TRIP": (
            "the action runs in the last arrival of a full generation (C-ACTION-LAST)",
            lambda s: z3.And(
                s["k"] >= 0,
                s["k"] <= 4,
                z3.Implies(
                    s["k"] >= 1,
                    z3.And(s["ph"] == _F, s["A"], s["wf"] == P(s) - 1, s["rin"] == 0),
                ),
            ),
        ),
        "C-DRAIN": (
            "while draining nobody new is inside, and the drain ends with its last party (C-DRAIN)",
            lambda s: z3.Implies(s["ph"] == _D, z3.And(s["wf"] == 0, s["rin"] >= 1)),
        ),
        "C-RESET": (
            "resetting lasts only while threads are inside (R-RESET)",
            lambda s: z3.Implies(s["ph"] == _R, s["wf"] + s["rin"] >= 1),
        ),
        "C-PHASE": ("the phase is one of four", lambda s: z3.And(s["ph"] >= 0, s["ph"] <= 3)),
        "C-GROUP": (
            "every party of a released generation returns a distinct index or raises "
            "(R-INDEX, R-RELEASE-ALL)",
            lambda s: z3.And(
                s["gr"] >= 0,
                s["u"] >= 0,
                s["x"] >= 0,
                s["gr"] + s["u"] + s["x"] == P(s),
                s["gr"] <= pending(s),
            ),
        ),
        "C-MAYFAIL": (
            "released parties raise only after an abort (R-ABORT)",
            lambda s: z3.And(
                z3.Implies(z3.Not(s["mft"]), s["x"] == 0),
                z3.Implies(s["fr"] >= 1, z3.Or(s["mft"], s["mfo"])),
                z3.Implies(
                    z3.And(s["rin"] >= 1, z3.Or(s["ph"] == _R, s["ph"] == _B)),
                    z3.Or(s["mft"], s["mfo"]),
                ),
            ),
        ),
        "C-COUNTS": (
            "the counts of pending calls are never negative",
            lambda s: z3.And(s["f"] >= 0, s["fr"] >= 0, s["c"] >= 0, s["q"] >= 0),
        ),
        "C-N-WAITING": (
            "n_waiting (the count while filling, else 0) reads 0..parties (C-N-WAITING)",
            lambda s: z3.And(z3.If(s["ph"] == _F, _inside(s), 0) <= P(s)),
        ),
    }

    def init(s: Vars) -> Any:
        zero = [s[v] == 0 for v in ("ph", "wf", "rin", "k", "f", "fr", "c", "q", "gr", "x")]
        return z3.And(P(s) >= 1, s["u"] == P(s), *zero, z3.Not(s["mft"]), z3.Not(s["mfo"]))

    sorts = {**_COMMON, "ph": "int", "wf": "int", "rin": "int", "fr": "int"}
    return System("cpython", sorts, init, steps, invariants)


def alpha(s: Vars) -> dict[str, Any]:
    """The abstraction map: cpython counters to the documented counters they stand for."""
    failing = z3.Or(s["ph"] == _R, s["ph"] == _B)
    return {
        "P": s["P"],
        "A": s["A"],
        "B": s["ph"] == _B,
        "a": z3.If(s["ph"] == _F, s["wf"] + z3.If(s["k"] != 0, 1, 0), 0),
        "k": s["k"],
        "dm": z3.BoolVal(False),
        "f": s["f"] + z3.If(failing, s["wf"], 0),
        "q": s["q"] + s["rin"] + s["fr"],
        "c": s["c"],
        **{g: s[g] for g in _GROUP},
    }


def _check(solver: z3.Solver, *facts: Any) -> z3.ModelRef | None:
    """A model of ``facts`` (a counterexample), or None when they are unsatisfiable."""
    solver.push()
    solver.add(*facts)
    try:
        answer = solver.check()
        if answer == z3.unknown:
            raise ProofError(f"z3 answered unknown ({solver.reason_unknown()}): no verdict")
        return solver.model() if answer == z3.sat else None
    finally:
        solver.pop()


def _solver() -> z3.Solver:
    solver = z3.Solver()
    solver.set("timeout", TIMEOUT_MS)
    return solver


def _show(model: z3.ModelRef, s: Vars) -> str:
    return ", ".join(f"{v}={model.eval(x, model_completion=True)}" for v, x in s.items())


def prove_invariants(system: System) -> list[Outcome]:
    """Prove each invariant of ``system`` inductive (relative to all of them)."""
    s, t = system.vars(), system.vars("'")
    solver = _solver()
    out = []
    for name, (statement, inv) in system.invariants.items():
        model = _check(solver, system.init(s), z3.Not(inv(s)))
        broken = "initially" if model is not None else ""
        if model is None:
            for step_name, step in system.steps.items():
                model = _check(solver, system.inv(s), step(s, t), z3.Not(inv(t)))
                if model is not None:
                    broken = f"after step {step_name!r} from {_show(model, s)}"
                    break
        verdict = ProofVerdict.PROVED if model is None else ProofVerdict.REFUTED
        out.append(Outcome(f"{system.name}: {name}", statement, verdict, broken))
    return out


def prove_refinement() -> Outcome:
    """Prove that every cpython step is a documented step (or a stutter) under ``alpha``."""
    cpy, doc = cpython_system(), documented_system()
    s, t = cpy.vars(), cpy.vars("'")
    a, b = alpha(s), alpha(t)
    solver = _solver()
    stutter = z3.And([a[v] == b[v] for v in a])
    for step_name, step in cpy.steps.items():
        model = _check(solver, cpy.inv(s), step(s, t), z3.Not(z3.Or(stutter, doc.trans(a, b))))
        if model is not None:
            where = f"cpython step {step_name!r} from {_show(model, s)}"
            return Outcome("refinement", _REFINES, ProofVerdict.REFUTED, where)
    init = _check(solver, cpy.init(s), z3.Not(doc.init(a)))
    if init is not None:
        return Outcome("refinement", _REFINES, ProofVerdict.REFUTED, "initial states differ")
    return Outcome("refinement", _REFINES, ProofVerdict.PROVED)


_REFINES = "every cpython step is a documented step or a stutter: cpython refines documented"


def prove_all() -> list[Outcome]:
    """Every proof: documented's invariants, cpython's invariants, the refinement, and the
    asyncio profile's invariants (:mod:`barrierlab.model.asyncio_proofs`)."""
    from barrierlab.model.asyncio_proofs import prove_asyncio

    return [
        *prove_invariants(documented_system()),
        *prove_invariants(cpython_system()),
        prove_refinement(),
        *prove_asyncio(),
    ]
