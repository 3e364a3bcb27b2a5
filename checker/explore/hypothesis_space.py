"""Hypothesis over the scenario space: a scenario and a schedule drawn together, shrunk together.

With ``--scheduler hypothesis`` and synthesis on, after the catalogue's own Hypothesis searches,
:func:`search_space` lets Hypothesis draw a scenario from the bounded space
(:func:`~barrierlab.checker.explore.synthesis.scenario_strategy`) and a schedule for it (a list
of choices played back by a :class:`HypothesisScheduler`) in one example. A failing example is
shrunk as one: fewer threads, shorter programs, fewer parties, a simpler action, and few,
early preemptions. The search is seeded (``seed``), writes no database, and stops at
``max_examples`` examples or at ``deadline``.
"""

from __future__ import annotations

import time
from typing import Any

from barrierlab.checker.config import Config
from barrierlab.checker.explore.search import ScenarioResult, _violation, judge
from barrierlab.checker.explore.synthesis import Bounds, key, scenario_strategy
from barrierlab.checker.runtime.launch import run_once
from barrierlab.checker.runtime.target import Target
from barrierlab.checker.schedulers.hypothesis_driven import (
    HypothesisScheduler,
    ListSource,
    _OutOfTime,
)

__all__ = ["search_space"]

_real_monotonic = time.monotonic


class _Found(Exception):
    """Internal: the example failed (Hypothesis shrinks it and raises it once more at the end)."""


def search_space(
    target: Target,
    config: Config,
    *,
    profile: str,
    bounds: Bounds,
    seed: int,
    max_examples: int,
    deadline: float,
    ignore: frozenset[str] = frozenset(),
    skip: frozenset = frozenset(),
) -> tuple[ScenarioResult | None, set, int]:
    """Search the space; return (the shrunk failure's result or None, the scenario keys
    tried, the schedules run). A run that breaks only a rule in ``ignore`` is fine; a scenario
    whose key is in ``skip`` is not run (judged already: one a supervised worker died in)."""
    from hypothesis import HealthCheck, Phase, Verbosity, given, settings
    from hypothesis import seed as hypothesis_seed
    from hypothesis import strategies as st

    tried: set = set()
    schedules = [0]
    last: dict[str, Any] = {}
    started = _real_monotonic()

    @settings(
        database=None,
        deadline=None,
        max_examples=max_examples,
        phases=(Phase.generate, Phase.shrink),
        suppress_health_check=list(HealthCheck),
        verbosity=Verbosity.quiet,
        report_multiple_bugs=False,
        print_blob=False,
    )
    @hypothesis_seed(seed)
    @given(scenario_strategy(bounds), st.lists(st.integers(0, 255), max_size=400))
    def search(scenario, values: list[int]) -> None:
        if _real_monotonic() >= deadline and "hit" not in last:
            # out of time: end the search now (letting the examples left pass at once would
            # still cost a draw each, minutes for max_examples=100_000)
            raise _OutOfTime
        if target.capabilities.missing_for(scenario):
            return  # a scenario the target cannot take (see runtime.capabilities)
        if key(scenario) in skip:
            return
        tried.add(key(scenario))
        scheduler = HypothesisScheduler(ListSource(values))
        scheduler.start()
        result = run_once(target, scenario, scheduler, config)
        scheduler.finish(result.cut_short)
        schedules[0] += 1
        judgement = judge(result, scenario, profile, target.capabilities)
        if judgement.kind is not None and judgement.rule not in ignore:
            last["hit"] = (scenario, result, judgement)
            raise _Found

    try:
        search()
    except _OutOfTime:
        pass
    except _Found:
        scenario, result, judgement = last["hit"]
        found = ScenarioResult(scenario, schedules=1, steps=result.steps)
        found.violation = _violation(
            target, scenario, config, profile, result, judgement, started, schedules[0]
        )
        found.seconds = _real_monotonic() - started
        return found, tried, schedules[0]
    return None, tried, schedules[0]
