"""Hypothesis strategies for barrier scenarios and schedules, for property tests of your own.

* :func:`scenarios` draws a scenario from the same bounded space ``barrierlab check``
  enumerates (:mod:`barrierlab.checker.explore.synthesis`): ``parties``, one program per thread
  over the whole alphabet, an action and a constructor timeout, skipping useless scenarios.
  It shrinks towards fewer threads, shorter programs, fewer parties, no action and no timeout.
  A useless draw is repaired rather than rejected (a ``wait`` added to a thread that only
  reads, an action that could never run dropped), so every draw is a scenario.
* :func:`schedules` draws a schedule: a :class:`HypothesisScheduler` playing back a list of
  integers, which shrinks towards few, early preemptions.
* :func:`run` runs one schedule of a scenario on a target and judges it against the spec.

A property test of your own barrier::

    from hypothesis import given
    from barrierlab.checker import strategies

    @given(strategies.scenarios(max_threads=3), strategies.schedules())
    def test_my_barrier_follows_the_spec(scenario, schedule):
        judgement = strategies.run("mypkg.sync:Barrier", scenario, schedule)
        assert judgement.kind is None, judgement.message

>>> from hypothesis import HealthCheck, given, settings
>>> @settings(max_examples=5, database=None, suppress_health_check=list(HealthCheck))
... @given(scenarios(max_parties=2, max_threads=2, max_ops=2), schedules())
... def test(scenario, schedule):
...     assert run("threading:Barrier", scenario, schedule).kind is None
>>> test()
"""

from __future__ import annotations

from hypothesis import strategies as st

from barrierlab.checker.config import Config
from barrierlab.checker.explore.search import Judgement, judge
from barrierlab.checker.explore.synthesis import Bounds, scenario_strategy
from barrierlab.checker.runtime.launch import run_once
from barrierlab.checker.runtime.target import Target, load_target
from barrierlab.checker.scenario import Scenario
from barrierlab.checker.schedulers.hypothesis_driven import HypothesisScheduler, ListSource

__all__ = ["run", "scenarios", "schedules"]


def scenarios(max_parties: int = 3, max_threads: int = 4, max_ops: int = 3):
    """A strategy of scenarios within the bounds (see the module docstring).

    >>> scenarios(max_parties=0)
    Traceback (most recent call last):
    ...
    barrierlab.model.errors.InvalidArgument: --max-parties must be >= 1, got 0
    """
    return scenario_strategy(Bounds(max_parties, max_threads, max_ops))


def schedules(max_choices: int = 400):
    """A strategy of schedules: a fresh :class:`HypothesisScheduler` each time."""
    return st.lists(st.integers(0, 255), max_size=max_choices).map(
        lambda values: HypothesisScheduler(ListSource(values))
    )


def run(
    target: str | Target,
    scenario: Scenario,
    schedule: HypothesisScheduler,
    *,
    profile: str = "documented",
    config: Config | None = None,
) -> Judgement:
    """Run ``scenario`` on ``target`` once, as ``schedule`` says, and judge the run
    (``kind`` is None when the spec accepts it)."""
    loaded = target if isinstance(target, Target) else load_target(target)
    config = config or Config.from_env()
    schedule.start()
    result = run_once(loaded, scenario, schedule, config)
    schedule.finish(result.cut_short)
    return judge(result, scenario, profile)
