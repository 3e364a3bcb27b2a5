"""Shrinking a failing scenario: never to one that passes, and to a local minimum."""

from __future__ import annotations

import time

from hypothesis import given, settings
from hypothesis import strategies as st

from barrierlab.checker import strategies
from barrierlab.checker.config import Config
from barrierlab.checker.explore.generated import probe_scheduler as _probe_scheduler
from barrierlab.checker.explore.search import explore
from barrierlab.checker.explore.shrink import candidates, shrink
from barrierlab.checker.runtime.target import load_target
from barrierlab.checker.scenario import Scenario


def _far() -> float:
    return time.monotonic() + 60


def _oracle(needle: str, parties: int):
    """A made-up failure: the scenario has a step ``needle`` and at least ``parties``."""

    def fails(s: Scenario):
        hit = s.parties >= parties and any(needle in map(str, p) for p in s.programs)
        return s.to_args() if hit else None

    return fails


@settings(max_examples=60)
@given(strategies.scenarios(), st.sampled_from(["wait", "wait(0)", "reset", "n_waiting"]))
def test_shrinking_never_returns_a_passing_scenario_and_ends_at_a_local_minimum(s, needle):
    fails = _oracle(needle, 2)
    if fails(s) is None:
        return
    smallest, failure = shrink(s, fails(s), fails, deadline=_far())
    assert fails(smallest) == failure is not None
    assert not any(fails(c) for c in candidates(smallest))
    assert smallest.n_threads == 1 and smallest.parties == 2
    assert [list(map(str, p)) for p in smallest.programs] == [[needle]]


def test_shrinking_keeps_the_original_when_time_is_up():
    s = Scenario.build("s", parties=3, threads=["wait wait", "wait(0)"])
    assert shrink(s, "x", _oracle("wait", 1), deadline=time.monotonic() - 1) == (s, "x")


def test_a_real_violation_shrinks_to_the_lone_zero_timeout():
    target = load_target("barrierlab.impl.bugs.zero_timeout_forever:Barrier")
    config = Config(budget=30)

    def fails(candidate):
        sched = _probe_scheduler("portfolio", config, 0, time.monotonic() + 2)
        return explore(target, candidate, sched, config, deadline=time.monotonic() + 2).violation

    big = Scenario.build("big", parties=3, threads=["wait wait(0)", "reset wait", "n_waiting"])
    first = fails(big)
    assert first is not None
    smallest, violation = shrink(big, first, fails, deadline=_far())
    assert smallest.to_args() == '--parties 2 --threads "wait(0)"'
    assert violation.scenario == smallest
