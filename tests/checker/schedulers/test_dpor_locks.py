"""Pairs of steps that are never enabled at once do not race.

A step on a held lock never races with a blocking acquire of that lock, nor a pending step with
a step at whose state it is not offered when nothing comes between (a timeout while the step it
stands for can run).

A release or a failed try-acquire of a lock taken while it is held leaves it held for every
reordering of the steps that do not happen after it (each later step on the lock does), so a
blocking acquire cannot be moved before it: reversing the pair would only lead to a state whose
every option sleeps (a redundant run). The tests on threading.Barrier measure it there,
whose Condition.wait polls its lock with ``acquire(False)``: the reduced search runs exactly one
schedule per Mazurkiewicz class, and sees every outcome plain DFS sees.
"""

from __future__ import annotations

import pytest

from barrierlab.checker.scenario import Scenario
from barrierlab.checker.schedulers.base import Choice, Footprint
from barrierlab.checker.schedulers.dpor import races
from tests.support.reduction import classes, explore_all

LOCK = 7


def _races(steps: list[Choice], pending: Choice) -> set[int]:
    """The states where ``pending`` (the last step of its thread, never taken) races."""
    return {i for i, _ in races(steps, [(pending, len(steps))], len(steps), lambda k: None)}


def _acquire(tid: int) -> Choice:
    return Choice(tid, obj=LOCK, access="acquire", can_time_out=False)


def test_a_failed_try_acquire_and_a_release_of_a_held_lock_do_not_race_with_an_acquire():
    steps = [
        _acquire(0),  # the lock is free here: the other order is possible
        Choice(0, obj=LOCK, access="try-acquire"),  # held: fails, the lock stays held
        Choice(0, obj=LOCK, access="release"),
    ]
    assert _races(steps, _acquire(1)) == {0}


def test_a_release_of_an_unknown_lock_makes_the_lock_possibly_free():
    # A step of unknown footprint (no object) releasing some lock: the lock may be free at
    # the try-acquire after it, which then may succeed, and the acquire may come first.
    steps = [
        _acquire(0),
        Choice(0, access="release"),
        Choice(0, obj=LOCK, access="try-acquire"),
    ]
    assert 2 in _races(steps, _acquire(1))


def test_an_acquire_that_may_time_out_still_races_with_a_step_on_the_held_lock():
    steps = [_acquire(0), Choice(0, obj=LOCK, access="try-acquire")]
    timed = Choice(1, obj=LOCK, access="acquire", can_time_out=True)
    assert _races(steps, timed) == {0, 1}


def test_a_timeout_does_not_race_with_a_step_where_it_is_not_offered():
    # Thread 0 waits for the lock thread 1 holds, with a deadline: its timeout is offered at
    # states 0 and 1, not after thread 1's release (step 1) lets its acquire run. Reversing
    # the timeout with step 2 would take it at state 2, where it cannot be taken (and step 3,
    # just before the acquire, is taken for the step that enabled it).
    data = Footprint(writes=frozenset({("a", 1, "x")}))
    steps = [
        Choice(1, footprint=data),
        Choice(1, obj=LOCK, access="release"),
        Choice(1, footprint=data),
        Choice(1, footprint=data),
        Choice(0, obj=LOCK, access="acquire"),
    ]
    timeout = Choice(0, True, LOCK, "acquire")
    held, free = {(1, False), (0, True)}, {(1, False), (0, False)}
    offered = {0: held, 1: held, 2: free, 3: free}
    found = races(steps, [(timeout, 4)], len(steps), offered.get)
    assert {i for i, wanted in found if wanted == [(0, True)]} == {0, 1}


SMALL = [
    Scenario.build("three-waits", parties=2, threads=["wait", "wait", "wait"]),
    Scenario.build("two-generations", parties=2, threads=["wait wait", "wait wait"]),
    Scenario.build("reset", parties=2, threads=["wait", "wait", "reset"]),
]


@pytest.mark.parametrize("scenario", SMALL, ids=lambda s: s.name)
def test_threading_barrier_runs_one_schedule_per_class(scenario):
    reduced = explore_all("threading:Barrier", scenario, line_level=False, keep_runs=True)
    assert reduced.exhaustive
    assert reduced.redundant == 0  # 19, 9 and 17 of 55, 25 and 49 runs before
    assert reduced.schedules == classes(reduced.runs)


#: Small enough for plain DFS (at most 759 schedules), each with a waiter's try-acquire.
PLAIN = [
    Scenario.build("pair", parties=2, threads=["wait", "wait"]),
    Scenario.build("passes", parties=1, threads=["wait wait", "wait"]),
    Scenario.build("wait-reset", parties=2, threads=["wait", "reset"]),
    Scenario.build("wait-abort", parties=2, threads=["wait", "abort"]),
]


@pytest.mark.parametrize("scenario", PLAIN, ids=lambda s: s.name)
def test_threading_barrier_reduced_search_sees_every_outcome_of_plain_dfs(scenario):
    reduced = explore_all("threading:Barrier", scenario, line_level=False)
    plain = explore_all("threading:Barrier", scenario, line_level=False, reduction=False)
    assert plain.exhaustive and reduced.exhaustive
    assert reduced.verdicts == plain.verdicts
    assert reduced.traces == plain.traces
