"""Proofs with z3 for the ``asyncio`` profile: its invariants hold for every ``parties >= 1``,
cancellation included.

The asyncio profile (:mod:`barrierlab.model.asyncio_profile`) is documented's without an
action and without timeouts that break, plus cancellation. Its counters are documented's
(:mod:`barrierlab.model.proofs`; ``A`` is false, so ``k`` stays 0) and one more: ``y``, the
parties of the tracked released generation that were cancelled before returning. The
cancellation steps follow the documentation ("this task exits the barrier which stays in the
same state. If the state of the barrier is 'filling', the number of waiting task decreases by
1"):

* a called wait not yet arrived is cancelled: ``c - 1``, nothing else;
* a waiter of the filling generation is cancelled: ``a - 1`` (one more arrival is needed);
* a released party is cancelled before it returns: ``q - 1`` (tracked: ``gr - 1``, ``y + 1``),
  the others still return their indices;
* a party due to raise BrokenBarrierError raises CancelledError instead: ``f - 1``.

The invariants proved inductive: documented's, with ``D-GROUP`` widened to
``gr + u + x + y == P`` (a released generation's parties return distinct indices, raise, or
were cancelled: indices never run out nor repeat), and ``A-CANCEL-FILLING``: the filling
generation never counts more than ``parties - 1`` waiters, so a cancelled waiter's place is
always one that a later arrival must fill before a release.

>>> all(o.ok for o in prove_asyncio())
True
"""

from __future__ import annotations

from typing import Any

import z3

from barrierlab.model.proofs import (
    Outcome,
    Step,
    System,
    Term,
    Vars,
    _step,
    documented_system,
    prove_invariants,
)

__all__ = ["asyncio_system", "prove_asyncio"]

_KEPT = (
    "call wait",
    "arrive",
    "enter a broken barrier",
    "reset",
    "abort",
    "raise",
    "released raises (tracked)",
    "released raises (other)",
    "return (tracked)",
    "return (other)",
    "arrive and release (track old)",
)


def asyncio_system() -> System:
    """The asyncio profile as counters (see the module docstring)."""
    base = documented_system()
    steps: dict[str, Step] = {name: base.steps[name] for name in _KEPT}
    free: Term = lambda s: z3.And(z3.Not(s["B"]), s["k"] == 0, s["c"] >= 1)  # noqa: E731
    steps["arrive and release (track new)"] = _step(
        lambda s: z3.And(free(s), s["a"] + 1 == s["P"]),
        a=lambda s: 0,
        c=lambda s: s["c"] - 1,
        q=lambda s: s["q"] + s["P"],
        gr=lambda s: s["P"],
        u=lambda s: 0,
        x=lambda s: 0,
        y=lambda s: 0,
        mft=lambda s: False,
        mfo=lambda s: z3.Or(s["mfo"], s["mft"]),
    )
    steps["cancel a call"] = _step(lambda s: s["c"] >= 1, c=lambda s: s["c"] - 1)
    steps["cancel a waiter while filling"] = _step(
        lambda s: z3.And(z3.Not(s["B"]), s["a"] >= 1), a=lambda s: s["a"] - 1
    )
    steps["cancel a released party (tracked)"] = _step(
        lambda s: z3.And(s["q"] >= 1, s["gr"] >= 1),
        q=lambda s: s["q"] - 1,
        gr=lambda s: s["gr"] - 1,
        y=lambda s: s["y"] + 1,
    )
    steps["cancel a released party (other)"] = _step(
        lambda s: z3.And(s["q"] >= 1, s["q"] > s["gr"]), q=lambda s: s["q"] - 1
    )
    steps["cancel a failing party"] = _step(lambda s: s["f"] >= 1, f=lambda s: s["f"] - 1)

    invariants = dict(base.invariants)
    invariants["D-GROUP"] = (
        "every party of a released generation returns a distinct index, raises, or was "
        "cancelled: indices never run out nor repeat (A-INDEX, A-CANCEL, A-RELEASE-ALL)",
        lambda s: z3.And(
            s["gr"] >= 0,
            s["u"] >= 0,
            s["x"] >= 0,
            s["y"] >= 0,
            s["gr"] + s["u"] + s["x"] + s["y"] == s["P"],
            s["gr"] <= s["q"],
        ),
    )
    invariants["A-CANCEL-FILLING"] = (
        "cancellation leaves the filling generation with 0..parties-1 waiters and the barrier "
        "unbroken (A-CANCEL-STATE, A-CANCEL-FILLING)",
        lambda s: z3.And(s["a"] >= 0, s["a"] <= s["P"] - 1, s["k"] == 0, z3.Not(s["A"])),
    )

    def init(s: Vars) -> Any:
        return z3.And(base.init(s), z3.Not(s["A"]), s["y"] == 0)

    return System("asyncio", {**base.sorts, "y": "int"}, init, steps, invariants)


def prove_asyncio() -> list[Outcome]:
    """Every invariant of the asyncio profile, proved inductive (or refuted, with the step)."""
    return prove_invariants(asyncio_system())
