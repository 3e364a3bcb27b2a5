"""The quality tier, part 2: no false alarm on any correct barrier, of any design.

Every correct target passes a check under the ``documented`` profile: the scenarios small
enough are explored exhaustively at the level of synchronization operations (with line-level
preemption the space of these targets is too large for exhaustive search: it is sampled by
the portfolio instead), and the whole catalogue is checked with line-level preemption on.
Under the ``cpython`` profile, CPython's barrier and the reference pass, and each alternative
fails exactly where its documentation says it differs from CPython (and passes where it says
traces cannot tell).
"""

from __future__ import annotations

import pytest

from barrierlab.checker import api
from barrierlab.checker.scenario import Scenario
from barrierlab.impl.targets import CORRECT

pytestmark = pytest.mark.quality

#: Scenarios whose whole schedule space DFS covers in a few seconds for most correct targets.
SMALL = [
    "action-fails",
    "timeout",
    "default-timeout",
    "reset-one-waiter",
    "reset-after-abort",
    "abort-before-wait",
    "single-party",
    "single-party-abort",
]


#: Correct targets whose sync-level space over SMALL takes minutes to exhaust (turnstile:
#: thousands of schedules in each of four scenarios, against a few hundred for the others):
#: exhaustive in the slow tier. The quality tier still checks them by the whole catalogue and
#: under the cpython profile below.
LARGE_SPACE = {"turnstile"}
EXHAUSTIVE = [
    pytest.param(info, marks=pytest.mark.slow) if info.name in LARGE_SPACE else info
    for info in CORRECT
]


@pytest.mark.parametrize("info", EXHAUSTIVE, ids=lambda i: i.name)
def test_correct_barrier_passes_the_small_scenarios_exhaustively(info):
    # The budget only guards against a hang: DFS stops as soon as the space is exhausted.
    result = api.check(info.spec, scenarios=SMALL, scheduler="dfs", budget=900, line_level=False)
    assert result.verdict == "pass", [v.message for v in result.violations]
    not_exhausted = [s.scenario.name for s in result.scenarios if not s.exhaustive]
    assert not not_exhausted, f"not explored exhaustively: {not_exhausted}"


@pytest.mark.parametrize("info", CORRECT, ids=lambda i: i.name)
def test_correct_barrier_passes_the_whole_catalogue(info):
    # Stopped by schedule counts, not seconds: every catalogue scenario gets its schedules
    # however loaded the machine is (the budget only guards against a hang).
    result = api.check(info.spec, budget=300, max_schedules=PER_SCENARIO)
    assert result.verdict == "pass", [(v.rule, v.message) for v in result.violations]
    unrun = [s.scenario.name for s in result.scenarios if s.schedules == 0]
    assert not unrun, f"never run: {unrun}"
    assert result.schedules > 100


#: Schedules per catalogue scenario in the whole-catalogue check.
PER_SCENARIO = 8


@pytest.mark.parametrize("info", CORRECT, ids=lambda i: i.name)
def test_cpython_profile_names_exactly_the_documented_differences(info):
    if not info.cpython_differs:
        result = api.check(info.spec, profile="cpython", budget=8)
        assert result.verdict == "pass", [(v.rule, v.message) for v in result.violations]
        return
    scenario = Scenario.build(info.name, **info.scenario)
    result = api.check(info.spec, profile="cpython", scenarios=[scenario], budget=20)
    assert result.verdict == "fail"
    assert result.violations[0].rule in info.cpython_differs
