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


def _except(step, var, fresh):
    """``step`` with ``var`` keeping its value (what ``step`` would set goes to ``fresh``)."""
    return lambda s, t: z3.And(step(s, {**t, var: fresh}), t[var] == s[var])


def test_an_abort_that_leaves_its_waiters_refutes_the_broken_invariant():
    doc = documented_system()
    keeps_waiters = _except(doc.steps["abort"], "a", z3.Int("a after a real abort"))
    outcomes = {o.name: o for o in prove_invariants(_with_step(doc, "abort", keeps_waiters))}
    broken = outcomes["documented: D-BROKEN"]
    assert broken.verdict is ProofVerdict.REFUTED
    assert "after step 'abort' from" in broken.counterexample
    assert outcomes["documented: D-MAYFAIL"].ok and outcomes["documented: D-GROUP"].ok


def test_a_reset_that_keeps_the_broken_flag_is_caught_by_the_cross_check_not_an_invariant():
    """The invariants are properties of states, and a broken barrier is a valid state: a reset
    that leaves it broken (against R-RESET) keeps every invariant. What catches it is the
    cross-check: the explicit reset (broken -> not broken) is then not encoded."""
    doc = documented_system()
    keeps_broken = _except(doc.steps["reset"], "B", z3.Bool("B after a real reset"))
    bad = _with_step(doc, "reset", keeps_broken)
    assert all(o.ok for o in prove_invariants(bad))
    problems = cross_check(2, programs_of(["abort reset"]), "documented", system=bad)
    assert problems, "the cross-check missed a reset that keeps the barrier broken"
    assert all(p.startswith("forward: ") for p in problems), problems
    assert "reset takes effect" in problems[0] and "is not encoded" in problems[0]
    assert cross_check(2, programs_of(["abort reset"]), "documented") == []


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


#: The two larger configurations take about a minute of z3 between them: in the slow tier.
#: Their reverse direction is also checked in the fast tier (test_crosscheck.py runs it on
#: prove's CROSS_CHECKS, which hold them).
CONFIGS = [
    (2, ["wait wait", "wait wait"], True, None),
    pytest.param(
        2, ["wait(1) reset", "wait n_waiting", "abort wait"], False, None, marks=pytest.mark.slow
    ),
    pytest.param(3, ["wait", "wait(0.5) wait", "wait reset"], True, 1.0, marks=pytest.mark.slow),
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
