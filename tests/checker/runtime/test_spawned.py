"""Threads the target starts run under control, as further threads of the run."""

from __future__ import annotations

import threading

from barrierlab.checker import api
from barrierlab.checker.config import Config
from barrierlab.checker.scenario import Scenario


def _check(spec, scenarios, **kwargs):
    config = Config(budget=kwargs.pop("budget", 5), max_schedules=80)
    return api.check(spec, scenarios=scenarios, config=config, **kwargs)


def test_a_barrier_that_starts_and_joins_timers_passes(capfd):
    result = _check(
        "barrierlab.impl.shapes.timer:Barrier",
        ["timeout", "more-threads-than-parties", "two-generations"],
    )
    assert result.verdict == "pass", [(v.rule, v.message) for v in result.violations]
    assert "KeyError" not in capfd.readouterr().err  # threading's bookkeeping intact
    assert threading.Thread.start.__module__ == "threading"  # restored after the runs


def test_spawned_threads_are_scheduled():
    result = _check("barrierlab.impl.shapes.timer:Barrier", ["timeout"], scheduler="dfs")
    v = result.scenarios[0]
    assert v.schedules > 1
    # the timers are threads 2.. of the runs: their steps are scheduling choices
    assert result.verdict == "pass"


def test_a_leaking_timer_is_found():
    scenario = Scenario.build("leak", parties=2, threads=["wait(1)", "wait", "wait"])
    result = _check("barrierlab.impl.shapes.timer_leak:Barrier", [scenario], budget=10)
    assert result.verdict == "fail"
    assert result.violations[0].rule == "R-BROKEN-WAIT"
