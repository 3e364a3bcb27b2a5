"""Fair schedules: polling is not a livelock; spinning without yielding still is."""

from __future__ import annotations

from pathlib import Path

import pytest

from barrierlab.checker import api
from barrierlab.checker.config import Config

POLLERS = Path(__file__).parents[2] / "support" / "pollers.py"


def _check(name, scenarios, **kwargs):
    config = Config(budget=kwargs.pop("budget", 4), max_schedules=60, step_bound=2_000)
    return api.check(f"{POLLERS}:{name}", scenarios=scenarios, config=config, **kwargs)


@pytest.mark.parametrize("name", ["YieldPoller", "ConditionPoller"])
def test_pollers_are_not_livelocks(name):
    result = _check(name, ["two-generations", "three-parties", "late-arrival"])
    assert result.verdict == "pass", [(v.kind, v.rule, v.message) for v in result.violations]
    assert result.schedules > 10


def test_sleeping_poller_reaches_its_deadline_in_few_polls():
    result = api.check(
        "barrierlab.impl.shapes.polling:Barrier",
        scenarios=["timeout"],
        config=Config(budget=4, max_schedules=20),
    )
    assert result.verdict == "pass"
    assert result.steps / result.schedules < 500  # not a thousand 1 ms polls per second


def test_a_lone_poller_is_blocked_not_a_livelock():
    result = _check("YieldPoller", ["late-arrival"])
    assert result.verdict == "pass"
    assert result.scenarios[0].outcomes["stalled"] > 0


def test_spinning_without_yielding_is_still_a_livelock():
    result = _check("Spinner", ["late-arrival"], fail_fast=True)
    assert result.verdict == "fail"
    assert result.violations[0].kind == "livelock"
