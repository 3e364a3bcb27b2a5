"""Constructor, attributes and single-thread behaviour of every correct alternative."""

from __future__ import annotations

import threading

import pytest

from barrierlab.impl import event_per_generation, generations, leader, sense_reversing, turnstile

ALTERNATIVES = [generations, event_per_generation, turnstile, sense_reversing, leader]


@pytest.fixture(params=ALTERNATIVES, ids=lambda m: m.__name__.rsplit(".", 1)[-1])
def module(request):
    return request.param


@pytest.mark.parametrize("parties", [0, -1, -100])
def test_parties_below_one_is_rejected(module, parties):
    with pytest.raises(ValueError, match=r"parties must be >= 1"):
        module.Barrier(parties)


def test_broken_barrier_error_is_threadings_own(module):
    assert module.BrokenBarrierError is threading.BrokenBarrierError


def test_attributes_of_a_new_barrier(module):
    barrier = module.Barrier(3)
    assert (barrier.parties, barrier.n_waiting, barrier.broken) == (3, 0, False)


def test_single_party_never_blocks_and_runs_the_action_each_time(module):
    calls = []
    barrier = module.Barrier(1, action=lambda: calls.append(barrier.n_waiting))
    assert [barrier.wait() for _ in range(5)] == [0] * 5
    assert calls == [1] * 5  # the action sees its own party counted, as in CPython
    assert (barrier.n_waiting, barrier.broken) == (0, False)


@pytest.mark.parametrize("where", ["argument", "default"])
def test_zero_timeout_breaks_at_once(module, where):
    barrier = module.Barrier(2, timeout=0 if where == "default" else None)
    with pytest.raises(threading.BrokenBarrierError):
        barrier.wait(timeout=0) if where == "argument" else barrier.wait()
    assert barrier.broken
    with pytest.raises(threading.BrokenBarrierError):
        barrier.wait(timeout=0)


def test_abort_sticks_until_reset(module):
    barrier = module.Barrier(1)
    barrier.abort()
    assert barrier.broken
    for _ in range(2):
        with pytest.raises(threading.BrokenBarrierError):
            barrier.wait()
    barrier.reset()
    assert not barrier.broken
    assert barrier.wait() == 0


def test_repr_shows_waiters_then_broken(module):
    barrier = module.Barrier(3)
    name = f"{module.__name__}.Barrier at 0x"
    assert name in repr(barrier)
    assert repr(barrier).endswith(": waiters=0/3>")
    barrier.abort()
    assert repr(barrier).endswith(": broken>")


def test_action_exception_reaches_the_caller_and_breaks(module):
    class Boom(Exception):
        pass

    def action():
        raise Boom

    barrier = module.Barrier(1, action=action)
    with pytest.raises(Boom):
        barrier.wait()
    assert barrier.broken
    with pytest.raises(threading.BrokenBarrierError):
        barrier.wait()
    barrier.reset()
    assert not barrier.broken


def test_n_waiting_counts_a_waiter_and_reset_releases_it(module):
    barrier = module.Barrier(2)
    outcome = []

    def waiter():
        try:
            outcome.append(barrier.wait(timeout=30))
        except threading.BrokenBarrierError:
            outcome.append("broken")

    thread = threading.Thread(target=waiter)
    thread.start()
    for _ in range(10_000):
        if barrier.n_waiting == 1:
            break
        threading.Event().wait(0.001)
    assert barrier.n_waiting == 1
    barrier.reset()
    thread.join(30)
    assert not thread.is_alive()
    assert outcome == ["broken"]
    assert (barrier.n_waiting, barrier.broken) == (0, False)
