"""The cross-check's reverse direction: every encoded transition is an explicit step."""

from __future__ import annotations

from dataclasses import replace

import pytest
import z3

from barrierlab.checker.cli.commands.prove import ASYNC_CROSS_CHECKS, CROSS_CHECKS
from barrierlab.model import proofs
from barrierlab.model.crosscheck import cross_check
from barrierlab.model.errors import ProofError
from barrierlab.model.moves import programs_of
from barrierlab.model.proofs import cpython_system, documented_system


@pytest.mark.parametrize("profile", ["documented", "cpython"])
@pytest.mark.parametrize(("parties", "threads", "has_action", "timeout"), CROSS_CHECKS)
def test_the_reverse_direction_agrees_on_the_prove_configurations(
    profile, parties, threads, has_action, timeout
):
    problems = cross_check(
        parties,
        programs_of(threads),
        profile,
        has_action=has_action,
        default_timeout=timeout,
        directions=("reverse",),
    )
    assert problems == []


def _with_step(system, name, step):
    return replace(system, steps={**system.steps, name: step})


def test_an_extra_encoded_transition_is_reported_with_state_and_successor():
    # Entering an unbroken barrier and failing: no explicit step does that.
    doc = documented_system()
    bogus = proofs._step(
        lambda s: z3.And(z3.Not(s["B"]), s["k"] == 0, s["c"] >= 1),
        c=lambda s: s["c"] - 1,
        f=lambda s: s["f"] + 1,
    )
    bad = _with_step(doc, "fail for nothing", bogus)
    problems = cross_check(2, programs_of(["wait", "wait"]), "documented", system=bad)
    assert problems and all(p.startswith("reverse: ") for p in problems)
    assert "'fail for nothing'" in problems[0]
    assert "from state" in problems[0] and "'f': 1" in problems[0]


def test_an_extra_cpython_transition_is_reported():
    # A reset that leaves a broken barrier broken while threads are inside.
    cpy = cpython_system()
    bogus = proofs._step(
        lambda s: z3.And(s["k"] == 0, s["ph"] == 0, s["wf"] >= 1),
        ph=lambda s: 3,
    )
    bad = _with_step(cpy, "reset", bogus)  # replaces cpython's reset
    problems = cross_check(
        2, programs_of(["wait", "reset"]), "cpython", system=bad, directions=("reverse",)
    )
    assert any("'reset'" in p and "'ph': 3" in p for p in problems)


def test_a_dropped_explicit_edge_is_reported(monkeypatch):
    # Without explicit arrivals, the encoded "arrive" has nothing to match.
    from barrierlab.model import crosscheck

    real = crosscheck.moves

    def no_arrival(*args, **kwargs):
        return [m for m in real(*args, **kwargs) if "arrive" not in m[0].text]

    monkeypatch.setattr(crosscheck, "moves", no_arrival)
    problems = cross_check(3, programs_of(["wait", "wait"]), "documented", directions=("reverse",))
    assert any("'arrive'" in p for p in problems)


def test_environment_steps_are_compared_only_where_the_configuration_offers_them():
    # No timeouts, no reset or abort in the programs: the encoding's "time out", "reset" and
    # "abort" are not asked for, and the directions still agree.
    assert cross_check(2, programs_of(["wait", "wait"]), "documented") == []
    # But with an abort in the programs, an abort that fails the waiters without breaking the
    # barrier is found.
    doc = documented_system()
    wrong = proofs._step(lambda s: True, a=lambda s: 0, f=lambda s: s["f"] + s["a"])
    bad = _with_step(doc, "abort", wrong)
    problems = cross_check(
        2, programs_of(["wait", "abort"]), "documented", system=bad, directions=("reverse",)
    )
    assert any("'abort'" in p for p in problems)


def test_unknown_in_the_reverse_direction_is_an_error(monkeypatch):
    monkeypatch.setattr(z3.Solver, "check", lambda self, *a: z3.unknown)
    with pytest.raises(ProofError, match="unknown"):
        cross_check(1, programs_of(["wait"]), "documented", directions=("reverse",))


def test_cpythons_split_of_failing_threads_is_compared():
    # Released threads failed by an abort counted as waiting ones (f) instead of released
    # ones (fr): f + fr is the same, the split is not.
    cpy = cpython_system()
    bogus = proofs._step(
        lambda s: z3.And(s["ph"] == 3, s["k"] == 0, s["rin"] >= 1),
        rin=lambda s: s["rin"] - 1,
        f=lambda s: s["f"] + 1,
    )
    bad = _with_step(cpy, "leave broken (released)", bogus)
    problems = cross_check(2, programs_of(["wait", "wait", "abort"]), "cpython", system=bad)
    assert any("wakes up to a broken barrier" in p and "'fr': 1" in p for p in problems)


def test_the_tracked_generations_counters_are_compared():
    # A tracked party's return that forgets to count its index (u).
    doc = documented_system()
    bogus = proofs._step(
        lambda s: z3.And(s["q"] >= 1, s["gr"] >= 1),
        q=lambda s: s["q"] - 1,
        gr=lambda s: s["gr"] - 1,
    )
    bad = _with_step(doc, "return (tracked)", bogus)
    problems = cross_check(2, programs_of(["wait", "wait"]), "documented", system=bad)
    assert any(p.startswith("forward: step 't0 returns 0") and "'u': 1" in p for p in problems)


def test_a_released_party_raising_without_reset_or_abort_is_caught():
    # An encoding whose tracked parties may raise at any time: the explicit spec never lets a
    # released party raise before a reset or abort, so the reverse direction objects.
    doc = documented_system()
    bogus = proofs._step(
        lambda s: z3.And(s["q"] >= 1, s["gr"] >= 1),
        q=lambda s: s["q"] - 1,
        gr=lambda s: s["gr"] - 1,
        x=lambda s: s["x"] + 1,
    )
    bad = _with_step(doc, "released raises (tracked)", bogus)
    problems = cross_check(
        2, programs_of(["wait", "wait"]), "documented", system=bad, directions=("reverse",)
    )
    assert any("'released raises (tracked)'" in p for p in problems)


# -- the asyncio profile -----------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize(("parties", "threads"), ASYNC_CROSS_CHECKS)
def test_the_asyncio_prove_configurations_agree(parties, threads):
    assert cross_check(parties, programs_of(threads), "asyncio") == []


def _asyncio_with(name, step):
    from barrierlab.model.asyncio_proofs import asyncio_system

    return _with_step(asyncio_system(), name, step)


def test_the_asyncio_encoding_agrees_with_its_graph_and_its_cancellation_edges():
    # parties=2, three waits: cancellations while filling, of a released party, and of a
    # later arrival; an abort and a read.
    assert cross_check(2, programs_of(["wait", "wait", "wait"]), "asyncio") == []
    assert cross_check(2, programs_of(["wait", "abort", "wait n_waiting"]), "asyncio") == []


def test_a_cancellation_that_keeps_the_waiters_count_is_caught_forward():
    # "this task exits the barrier ... the number of waiting task decreases by 1": an encoding
    # whose cancelled waiter keeps its place has no transition for the explicit edge.
    bad = _asyncio_with(
        "cancel a waiter while filling",
        proofs._step(lambda s: z3.And(z3.Not(s["B"]), s["a"] >= 1)),
    )
    problems = cross_check(2, programs_of(["wait", "wait"]), "asyncio", system=bad)
    assert any(
        p.startswith("forward: step 't0 is cancelled and exits the barrier") and "not encoded" in p
        for p in problems
    )


def test_a_cancelled_released_party_counted_as_raising_is_caught():
    # The tracked generation's cancelled party counted in x (raised) instead of y.
    bad = _asyncio_with(
        "cancel a released party (tracked)",
        proofs._step(
            lambda s: z3.And(s["q"] >= 1, s["gr"] >= 1),
            q=lambda s: s["q"] - 1,
            gr=lambda s: s["gr"] - 1,
            x=lambda s: s["x"] + 1,
        ),
    )
    problems = cross_check(2, programs_of(["wait", "wait"]), "asyncio", system=bad)
    assert any(p.startswith("forward: ") and "'y': 1" in p for p in problems)


def test_a_cancellation_that_breaks_the_barrier_is_caught_in_reverse():
    # The documentation: the barrier "stays in the same state". An encoded cancellation that
    # breaks it and fails the other waiters reaches counters no explicit step does.
    bad = _asyncio_with(
        "cancel and break",
        proofs._step(
            lambda s: z3.And(z3.Not(s["B"]), s["a"] >= 2),
            a=lambda s: 0,
            B=lambda s: True,
            f=lambda s: s["f"] + s["a"] - 1,
        ),
    )
    problems = cross_check(
        3, programs_of(["wait", "wait"]), "asyncio", system=bad, directions=("reverse",)
    )
    assert any("'cancel and break'" in p and "'B': True" in p for p in problems)


def test_a_missing_cancellation_step_is_caught():
    from dataclasses import replace as _replace

    from barrierlab.model.asyncio_proofs import asyncio_system

    system = asyncio_system()
    steps = {k: v for k, v in system.steps.items() if k != "cancel a call"}
    problems = cross_check(
        2, programs_of(["wait", "wait"]), "asyncio", system=_replace(system, steps=steps)
    )
    assert any("forward: step 't" in p and "not encoded" in p for p in problems)
