"""Hypothesis over the space: scenario and schedule drawn together, a failure shrunk as one."""

from __future__ import annotations

import time

from barrierlab.checker.config import Config
from barrierlab.checker.explore.hypothesis_space import search_space
from barrierlab.checker.explore.synthesis import Bounds
from barrierlab.checker.runtime.target import load_target


def _search(spec: str, max_examples: int):
    return search_space(
        load_target(spec),
        Config(),
        profile="documented",
        bounds=Bounds(max_parties=2, max_threads=2, max_ops=2),
        seed=0,
        max_examples=max_examples,
        deadline=time.monotonic() + 120,
    )


def test_a_zero_timeout_slip_is_found_and_shrunk_to_a_one_step_scenario():
    found, tried, schedules = _search("barrierlab.impl.bugs.zero_timeout_forever:Barrier", 300)
    assert found is not None and found.violation is not None
    scenario = found.violation.scenario
    assert scenario.n_threads == 1 and len(scenario.programs[0]) == 1
    assert found.violation.rule in ("R-TIMEOUT", "R-TIMEOUT-DEFAULT")
    assert tried and schedules >= len(tried)


def test_a_correct_barrier_passes_and_many_scenarios_are_drawn():
    found, tried, schedules = _search("threading:Barrier", 40)
    assert found is None
    assert len(tried) > 10 and schedules == 40
