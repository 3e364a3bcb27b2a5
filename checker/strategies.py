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

from typing import Any

from hypothesis import strategies as st

from barrierlab.checker.config import Config
from barrierlab.checker.explore.search import Judgement, judge
from barrierlab.checker.explore.synthesis import ALPHABET, SHORT, Bounds, canonical
from barrierlab.checker.runtime.launch import run_once
from barrierlab.checker.runtime.target import Target, load_target
from barrierlab.checker.scenario import Scenario, Step
from barrierlab.checker.schedulers.hypothesis_driven import HypothesisScheduler, ListSource

__all__ = ["run", "scenarios", "schedules"]


@st.composite
def _scenario(draw: Any, bounds: Bounds) -> Scenario:
    parties = draw(st.integers(1, bounds.max_parties))
    program = st.lists(st.sampled_from(ALPHABET), min_size=1, max_size=bounds.max_ops)
    programs = draw(st.lists(program, min_size=1, max_size=bounds.max_threads))
    action = draw(st.sampled_from(("none", "ok")) | st.integers(1, 3).map(lambda k: f"raise@{k}"))
    timeout = draw(st.sampled_from((None, 0.0, SHORT)))
    steps = [step for p in programs for step in p]
    if not any(step.op in ("wait", "reset", "abort") for step in steps):
        programs[0] = [Step("wait"), *programs[0][: bounds.max_ops - 1]]
        steps = [step for p in programs for step in p]
    programs = tuple(map(tuple, programs))
    for act, default in ((action, timeout), ("ok", timeout), ("none", timeout), ("none", None)):
        found = canonical(Scenario("drawn", parties, programs, default, act))
        if found is not None:
            return found
    raise AssertionError(f"no useful scenario from {programs}")  # pragma: no cover


def scenarios(max_parties: int = 3, max_threads: int = 4, max_ops: int = 3):
    """A strategy of scenarios within the bounds (see the module docstring).

    >>> scenarios(max_parties=0)
    Traceback (most recent call last):
    ...
    barrierlab.model.errors.InvalidArgument: --max-parties must be >= 1, got 0
    """
    bounds = Bounds(max_parties, max_threads, max_ops)
    return _scenario(bounds)


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
    schedule.finish(not result.finished)
    return judge(result, scenario, profile)
