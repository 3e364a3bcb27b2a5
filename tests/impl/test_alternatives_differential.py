"""Every correct alternative against threading.Barrier on real threads, for deterministic outcomes.

The scenarios are those of ``test_reference_differential.py`` beside this file (loaded by path:
tests run with ``--import-mode=importlib``). What they record does not depend on timing or on
the order of indices, so every correct barrier must record what ``threading.Barrier`` does.
"""

from __future__ import annotations

import functools
import importlib.util
import threading
from pathlib import Path

import pytest

from barrierlab.impl import event_per_generation, generations, leader, sense_reversing, turnstile


def _load_sibling(name):
    path = Path(__file__).with_name(f"{name}.py")
    spec = importlib.util.spec_from_file_location(f"_barrierlab_tests_{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


differential = _load_sibling("test_reference_differential")
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


@pytest.mark.parametrize("scenario", differential.SCENARIOS, ids=lambda s: s.__name__)
@pytest.mark.parametrize("name", ALTERNATIVES)
def test_alternative_matches_threading(name, scenario):
    assert scenario(ALTERNATIVES[name]) == _expected(scenario)


@pytest.mark.parametrize("name", ALTERNATIVES)
def test_generations_give_every_index_once(name):
    result = differential.scenario_generations(ALTERNATIVES[name])
    assert all(s == [0, 1, 2, 3] for s in result["index_sets"])


def test_generations_count_indices_down():
    """The one observable difference from CPython: the first arrival gets parties - 1."""
    barrier = generations.Barrier(3, timeout=30)
    first = []
    thread = threading.Thread(target=lambda: first.append(barrier.wait()))
    thread.start()
    for _ in range(10_000):
        if barrier.n_waiting == 1:
            break
        threading.Event().wait(0.001)
    rest = differential._run(2, lambda i: barrier.wait())
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
    for _ in range(10_000):
        if barrier.n_waiting == 1:
            break
        threading.Event().wait(0.001)
    rest = differential._run(2, lambda i: barrier.wait())
    thread.join(30)
    assert first == [(0, runners[0])]
    assert len(runners) == 1
    assert sorted(rest) == [1, 2]
