"""Constructor and argument errors of the reference barrier."""

from __future__ import annotations

import threading

import pytest

from barrierlab.impl.reference import Barrier, BrokenBarrierError


@pytest.mark.parametrize("parties", [0, -1, -100])
def test_parties_below_one_is_rejected(parties):
    with pytest.raises(ValueError, match=r"parties must be >= 1"):
        Barrier(parties)


def test_broken_barrier_error_is_threadings_own():
    assert BrokenBarrierError is threading.BrokenBarrierError
    assert issubclass(BrokenBarrierError, RuntimeError)


def test_attributes_of_a_new_barrier():
    barrier = Barrier(3)
    assert (barrier.parties, barrier.n_waiting, barrier.broken) == (3, 0, False)


def test_single_party_never_blocks_and_runs_the_action_each_time():
    calls = []
    barrier = Barrier(1, action=lambda: calls.append(1))
    assert [barrier.wait() for _ in range(5)] == [0] * 5
    assert len(calls) == 5


def test_zero_timeout_breaks_at_once():
    barrier = Barrier(2)
    with pytest.raises(BrokenBarrierError):
        barrier.wait(timeout=0)
    assert barrier.broken


def test_repr_shows_waiters_then_broken():
    barrier = Barrier(3)
    assert repr(barrier).endswith(": waiters=0/3>")
    barrier.abort()
    assert repr(barrier).endswith(": broken>")
    assert "barrierlab.impl.reference.Barrier at 0x" in repr(barrier)


def test_action_exception_reaches_the_caller_and_breaks():
    class Boom(Exception):
        pass

    def action():
        raise Boom

    barrier = Barrier(1, action=action)
    with pytest.raises(Boom):
        barrier.wait()
    assert barrier.broken
    with pytest.raises(BrokenBarrierError):
        barrier.wait()
    barrier.reset()
    assert not barrier.broken
