"""Hypothesis over the space: scenario and schedule drawn together, a failure shrunk as one."""

from __future__ import annotations

import time

from barrierlab.checker.config import Config
from barrierlab.checker.explore.hypothesis_space import search_space
from barrierlab.checker.explore.synthesis import Bounds
from barrierlab.checker.runtime.target import load_target


def _search(spec: str, max_examples: int, ignore: frozenset[str] = frozenset()):
    return search_space(
        load_target(spec),
        Config(),
        profile="documented",
        bounds=Bounds(max_parties=2, max_threads=2, max_ops=2),
        seed=0,
        max_examples=max_examples,
        deadline=time.monotonic() + 120,
        ignore=ignore,
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


def test_the_catalogue_searches_end_by_their_share_of_the_budget():
    """Each catalogue scenario's Hypothesis search stops at its deadline (the budget once
    ignored these: 200 examples per scenario whatever --budget said)."""
    from barrierlab.checker.explore.check import _check_hypothesis
    from barrierlab.checker.explore.scenario_catalogue import select

    target = load_target("threading:Barrier")
    chosen = list(select(None, "documented"))[:3]
    config = Config(max_schedules=3)
    late = _check_hypothesis(target, chosen, config, "documented", False, end=0.0)
    assert [f.schedules for f in late] == [0, 0, 0]
    on_time = _check_hypothesis(
        target, chosen, config, "documented", False, end=time.monotonic() + 600
    )
    assert [f.schedules for f in on_time] == [3, 3, 3]


def test_the_space_search_ends_at_its_deadline_instead_of_drawing_every_example_left(
    monkeypatch,
):
    from barrierlab.checker.explore import hypothesis_space

    clock = []  # each reading of the clock by the search
    monkeypatch.setattr(
        hypothesis_space, "_real_monotonic", lambda: clock.append(1) or 1000.0 + len(clock)
    )
    found, _tried, schedules = search_space(
        load_target("threading:Barrier"),
        Config(),
        profile="documented",
        bounds=Bounds(),
        seed=0,
        max_examples=100_000,
        deadline=1005.0,  # four readings of the clock in time
    )
    assert found is None and schedules >= 1
    # one reading per example: the search stopped at the first example past the deadline
    # (letting the rest pass at once would read it 100,000 times)
    assert len(clock) < 50


def test_an_ignored_rule_is_looked_past_in_the_space_too():
    ignored = frozenset({"R-TIMEOUT", "R-TIMEOUT-DEFAULT"})
    found, tried, _ = _search("barrierlab.impl.bugs.zero_timeout_forever:Barrier", 300, ignored)
    assert tried
    assert found is None or found.violation.rule not in ignored
