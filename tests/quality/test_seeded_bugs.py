"""The quality tier, part 1: a default check finds every seeded bug, and its token replays it.

"Default" means what a user gets from ``barrierlab check TARGET``: the whole built-in scenario
catalogue, then generated scenarios (synthesis), the portfolio scheduler, line-level
preemption on, the default time budget. The only addition is ``fail_fast`` (stop at the first
violation), which changes when the check stops, not what it finds first. A bug that needs a
scenario outside the catalogue is shown in a generated scenario within the default bounds,
shrunk, and its token (which carries that scenario) replays it like any other.
"""

from __future__ import annotations

import pytest

from barrierlab.checker import api
from barrierlab.checker.explore.scenario_catalogue import SCENARIOS
from barrierlab.checker.explore.synthesis import Bounds
from barrierlab.checker.scenario import Scenario
from barrierlab.impl.targets import BUGS

pytestmark = pytest.mark.quality


def _accepted(info) -> set[str]:
    return {info.expected, *info.also}


@pytest.mark.parametrize("info", BUGS, ids=lambda i: i.name)
def test_default_check_finds_the_seeded_bug_and_replays_it(info):
    result = api.check(info.spec, fail_fast=True)
    assert result.verdict == "fail", f"{info.name}: no violation in {result.schedules} schedules"
    violation = result.violations[0]
    found = {violation.rule, violation.kind}
    assert found & _accepted(info), (
        f"{info.name}: found {violation.kind}/{violation.rule} ({violation.message}), "
        f"expected one of {sorted(_accepted(info))}"
    )
    if info.outside_catalogue:
        assert violation.scenario.name not in SCENARIOS and Bounds().admits(violation.scenario)
        assert result.space is not None and result.space.failed >= 1
    replayed = api.replay(violation.token)
    assert replayed.status == "reproduced"
    assert replayed.run.trace == violation.trace
    assert (replayed.judgement.kind, replayed.judgement.rule) == (violation.kind, violation.rule)


LINE_LEVEL_ONLY = [i for i in BUGS if i.needs_line_level]


@pytest.mark.parametrize("info", LINE_LEVEL_ONLY, ids=lambda i: i.name)
def test_line_level_bugs_are_invisible_at_sync_level(info):
    """The claim 'needs line-level preemption' is true: exhaustively, sync points alone miss it."""
    scenario = Scenario.build(info.name, **info.scenario)
    blind = api.check(info.spec, scenarios=[scenario], line_level=False, scheduler="dfs")
    assert blind.exhaustive and blind.verdict == "pass"
    seen = api.check(info.spec, scenarios=[scenario], line_level=True, fail_fast=True, budget=20)
    assert seen.verdict == "fail"
