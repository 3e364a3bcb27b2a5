"""Every correct alternative against threading.Barrier on real threads, for deterministic outcomes.

The scenarios are those of ``tests/support/differential.py``, as for the reference. What they
record does not depend on timing or on the order of indices, so every correct barrier must
record what ``threading.Barrier`` does.
"""

from __future__ import annotations

import functools
import threading

import pytest
from differential import SCENARIOS, run_threads, scenario_generations, until_waiting

from barrierlab.impl import event_per_generation, generations, leader, sense_reversing, turnstile

ALTERNATIVES = {
    "generations": generations.Barrier,
    "event_per_generation": event_per_generation.Barrier,
    "turnstile": turnstile.Barrier,
    "sense_reversing": sense_reversing.Barrier,
    "leader": leader.Barrier,
}


@functools.cache
def _expected(scenario):
    return scenario(threading.Barrier)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.__name__)
@pytest.mark.parametrize("name", ALTERNATIVES)
def test_alternative_matches_threading(name, scenario):
    assert scenario(ALTERNATIVES[name]) == _expected(scenario)


@pytest.mark.parametrize("name", ALTERNATIVES)
def test_generations_give_every_index_once(name):
    result = scenario_generations(ALTERNATIVES[name])
    assert all(s == [0, 1, 2, 3] for s in result["index_sets"])


def test_generations_count_indices_down():
    """The one observable difference from CPython: the first arrival gets parties - 1."""
    barrier = generations.Barrier(3, timeout=30)
    first = []
    thread = threading.Thread(target=lambda: first.append(barrier.wait()))
    thread.start()
    until_waiting(barrier, 1)
    rest = run_threads(2, lambda i: barrier.wait())
    thread.join(30)
    assert first == [2]
    assert sorted(rest) == [0, 1]


def test_leader_is_the_first_arrival_and_runs_the_action():
    """The one observable difference from CPython: index 0 (the first arrival) runs the action."""
    runners = []
    barrier = leader.Barrier(3, action=lambda: runners.append(threading.get_ident()), timeout=30)
    first = []
    thread = threading.Thread(target=lambda: first.append((barrier.wait(), threading.get_ident())))
    thread.start()
    until_waiting(barrier, 1)
    rest = run_threads(2, lambda i: barrier.wait())
    thread.join(30)
    assert first == [(0, runners[0])]
    assert len(runners) == 1
    assert sorted(rest) == [1, 2]
