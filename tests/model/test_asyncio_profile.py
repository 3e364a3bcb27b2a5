"""The asyncio profile: cancellation leaves the barrier in the same state; each rule can fail."""

from __future__ import annotations

import pytest

from barrierlab.model.accept import accept
from barrierlab.model.events import Call, Raise, Return
from barrierlab.model.rules import RULES, rules_for


def _ok(trace, parties=2):
    return accept(trace, parties=parties, profile="asyncio")


def test_every_asyncio_rule_cites_asyncio_documentation():
    ids = rules_for("asyncio")
    assert {"A-CANCEL", "A-CANCEL-STATE", "A-CANCEL-FILLING", "A-INDEX", "A-TIMEOUT"} <= ids
    assert all(r.startswith("A-") for r in ids)
    assert all(
        "task" in RULES[r].source or "asyncio" in RULES[r].source
        for r in ids - {"A-REUSE", "A-BROKEN-FLAG", "A-ABORT"}
    )


def test_a_waiter_cancelled_while_filling_needs_a_replacement():
    t = [Call(0, "wait"), Raise(0, "wait", "CancelledError"), Call(1, "wait"), Return(1, "wait", 0)]
    v = _ok(t)
    assert not v.ok and v.rule == "A-CANCEL-FILLING"
    good = [
        Call(0, "wait"),
        Raise(0, "wait", "CancelledError"),
        Call(1, "wait"),
        Call(2, "wait"),
        Return(1, "wait", 0),
        Return(2, "wait", 1),
    ]
    assert _ok(good).ok


def test_a_cancellation_does_not_break_the_barrier():
    t = [
        Call(0, "wait"),
        Call(1, "wait"),
        Raise(0, "wait", "CancelledError"),
        Raise(1, "wait", "BrokenBarrierError"),
    ]
    v = _ok(t)
    assert not v.ok and v.rule == "A-CANCEL-STATE"


def test_a_released_task_may_be_cancelled_and_the_others_return():
    t = [Call(0, "wait"), Call(1, "wait"), Return(1, "wait", 1), Raise(0, "wait", "CancelledError")]
    assert _ok(t).ok


def test_timeout_error_only_after_the_deadline():
    early = [Call(0, "wait", 2.0, 0.0), Raise(0, "wait", "TimeoutError", 1.0)]
    late = [Call(0, "wait", 2.0, 0.0), Raise(0, "wait", "TimeoutError", 2.0)]
    assert not _ok(early).ok
    assert _ok(late).ok
    untimed = [Call(0, "wait"), Raise(0, "wait", "TimeoutError", 5.0)]
    assert not _ok(untimed).ok


def test_n_waiting_drops_when_a_waiter_is_cancelled():
    t = [
        Call(0, "wait"),
        Raise(0, "wait", "CancelledError"),
        Call(1, "n_waiting"),
        Return(1, "n_waiting", 1),
    ]
    v = _ok(t)
    assert not v.ok and v.rule == "A-N-WAITING"


@pytest.mark.parametrize("profile", ["documented", "cpython"])
def test_threading_profiles_still_reject_cancelled_error(profile):
    t = [Call(0, "wait"), Raise(0, "wait", "CancelledError")]
    assert not accept(t, parties=2, profile=profile).ok
