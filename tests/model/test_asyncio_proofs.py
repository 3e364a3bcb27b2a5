"""The asyncio profile's z3 proofs hold, and they can fail: a cancellation step that loses a
released party's index is refuted."""

from __future__ import annotations

from dataclasses import replace

from barrierlab.model.asyncio_proofs import asyncio_system, prove_asyncio
from barrierlab.model.proofs import _step, prove_all, prove_invariants


def test_every_asyncio_invariant_is_proved():
    outcomes = prove_asyncio()
    assert outcomes and all(o.ok for o in outcomes), [o for o in outcomes if not o.ok]
    assert any(o.name == "asyncio: A-CANCEL-FILLING" for o in outcomes)


def test_prove_all_includes_the_asyncio_proofs():
    assert any(o.name.startswith("asyncio: ") for o in prove_all())


def test_a_cancellation_that_loses_track_of_a_released_party_is_refuted():
    system = asyncio_system()
    steps = dict(system.steps)
    steps["cancel a released party (tracked)"] = _step(
        lambda s: s["q"] >= 1, q=lambda s: s["q"] - 1, gr=lambda s: s["gr"] - 1
    )
    outcomes = {o.name: o for o in prove_invariants(replace(system, steps=steps))}
    assert not outcomes["asyncio: D-GROUP"].ok
    assert "cancel a released party (tracked)" in outcomes["asyncio: D-GROUP"].counterexample


def test_a_cancellation_that_does_not_leave_the_count_is_refuted():
    system = asyncio_system()
    steps = dict(system.steps)
    # CPython-like: the count is not what the generation needs; here a cancelled waiter
    # "arrives" instead of leaving, so a generation can hold parties waiters unreleased.
    steps["cancel a waiter while filling"] = _step(lambda s: s["a"] >= 1, a=lambda s: s["a"] + 1)
    outcomes = {o.name: o for o in prove_invariants(replace(system, steps=steps))}
    assert not outcomes["asyncio: A-CANCEL-FILLING"].ok
