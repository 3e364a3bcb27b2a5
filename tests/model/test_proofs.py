"""The z3 proofs: they pass, they can fail, and the encoding agrees with the explicit spec."""

from __future__ import annotations

from dataclasses import replace

import pytest
import z3

from barrierlab.model import proofs
from barrierlab.model.crosscheck import cross_check
from barrierlab.model.errors import ProofError
from barrierlab.model.moves import programs_of
from barrierlab.model.proofs import (
    ProofVerdict,
    cpython_system,
    documented_system,
    prove_all,
    prove_invariants,
    prove_refinement,
)


def test_every_proof_passes():
    outcomes = prove_all()
    assert outcomes, "no proof ran"
    failed = [(o.name, o.counterexample) for o in outcomes if not o.ok]
    assert not failed
    names = {o.name for o in outcomes}
    assert {"documented: D-GROUP", "cpython: C-DRAIN", "refinement"} <= names


def _with_step(system, name, step):
    return replace(system, steps={**system.steps, name: step})


def test_a_release_one_arrival_early_refutes_the_fill_invariant():
    doc = documented_system()
    early = proofs._step(
        lambda s: z3.And(z3.Not(s["B"]), s["k"] == 0, s["c"] >= 1, s["a"] + 1 <= s["P"]),
        a=lambda s: s["a"] + 1,
        c=lambda s: s["c"] - 1,
    )
    outcomes = {o.name: o for o in prove_invariants(_with_step(doc, "arrive", early))}
    assert outcomes["documented: D-FILL"].verdict is ProofVerdict.REFUTED
    assert "arrive" in outcomes["documented: D-FILL"].counterexample


def test_a_reset_that_keeps_the_broken_flag_refutes_a_broken_invariant():
    doc = documented_system()
    keeps = proofs._step(lambda s: True, a=lambda s: s["a"] + 1)  # a waiter appears from nowhere
    outcomes = {o.name: o for o in prove_invariants(_with_step(doc, "reset", keeps))}
    assert not outcomes["documented: D-BROKEN"].ok or not outcomes["documented: D-FILL"].ok


def test_an_arrival_during_the_drain_breaks_refinement_and_the_drain_invariant(monkeypatch):
    cpy = cpython_system()
    overtakes = proofs._step(
        lambda s: z3.And(s["ph"] == 1, s["k"] == 0, s["c"] >= 1),
        wf=lambda s: s["wf"] + 1,
        c=lambda s: s["c"] - 1,
    )
    bad = _with_step(cpy, "arrive while draining", overtakes)
    outcomes = {o.name: o for o in prove_invariants(bad)}
    assert outcomes["cpython: C-DRAIN"].verdict is ProofVerdict.REFUTED
    monkeypatch.setattr(proofs, "cpython_system", lambda: bad)
    refinement = prove_refinement()
    assert refinement.verdict is ProofVerdict.REFUTED
    assert "arrive while draining" in refinement.counterexample


def test_unknown_is_an_error_never_a_pass(monkeypatch):
    monkeypatch.setattr(z3.Solver, "check", lambda self, *a: z3.unknown)
    with pytest.raises(ProofError, match="unknown"):
        prove_refinement()


CONFIGS = [
    (2, ["wait wait", "wait wait"], True, None),
    (2, ["wait(1) reset", "wait n_waiting", "abort wait"], False, None),
    (3, ["wait", "wait(0.5) wait", "wait reset"], True, 1.0),
    (1, ["wait wait abort", "wait reset"], True, None),
]


@pytest.mark.parametrize("profile", ["documented", "cpython"])
@pytest.mark.parametrize(("parties", "threads", "has_action", "timeout"), CONFIGS)
def test_the_encoding_agrees_with_the_explicit_graph(
    profile, parties, threads, has_action, timeout
):
    problems = cross_check(
        parties, programs_of(threads), profile, has_action=has_action, default_timeout=timeout
    )
    assert problems == []


def test_the_cross_check_finds_a_missing_transition():
    doc = documented_system()
    steps = {k: v for k, v in doc.steps.items() if k != "arrive"}
    problems = cross_check(
        3, programs_of(["wait(1)"]), "documented", system=replace(doc, steps=steps)
    )
    assert any("arrives" in p for p in problems)
