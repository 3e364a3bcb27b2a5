"""Quality claims about the search itself, and the slow tier (``python -m pytest -m slow``).

* Partial-order reduction never loses an outcome on real barrier code: on each small scenario,
  exhaustive DFS with reduction and without it see the same set of outcomes (fast: in CI).
* Slow tier: every correct barrier passes a full default check (the whole catalogue, the
  default budget, line-level preemption) under the ``documented`` profile.
"""

from __future__ import annotations

import pytest

from barrierlab.checker import api
from barrierlab.checker.config import Config
from barrierlab.checker.explore.scenario_catalogue import SCENARIOS
from barrierlab.checker.runtime.launch import run_once
from barrierlab.checker.runtime.target import load_target
from barrierlab.checker.schedulers.base import report_blocked
from barrierlab.checker.schedulers.dfs import DFSScheduler
from barrierlab.impl.targets import CORRECT
from barrierlab.model.events import Raise, Return

pytestmark = pytest.mark.quality


@pytest.mark.slow
@pytest.mark.parametrize("info", CORRECT, ids=lambda i: i.name)
def test_correct_barrier_passes_a_full_default_check(info):
    result = api.check(info.spec)
    assert result.verdict == "pass", [(v.rule, v.message) for v in result.violations]


SLOW = pytest.mark.slow


def _outcomes(spec: str, scenario_name: str, reduction: bool) -> set:
    target, scenario = load_target(spec), SCENARIOS[scenario_name]
    sched, config = DFSScheduler(reduction=reduction), Config(line_level=False)
    seen = set()
    while sched.start():
        result = run_once(target, scenario, sched, config)
        report_blocked(sched, result.pending)
        sched.finish(not result.finished)
        seen.add(
            tuple(
                sorted(
                    repr((e.tid, e.op, getattr(e, "value", None), getattr(e, "error", None)))
                    for e in result.trace
                    if isinstance(e, Return | Raise)
                )
            )
        )
    assert sched.exhaustive
    return seen


@pytest.mark.parametrize(
    "scenario",
    # plain DFS of two-generations runs about two minutes a barrier: the slow tier
    ["action-fails", "timeout", "reset-one-waiter", pytest.param("two-generations", marks=SLOW)],
)
@pytest.mark.parametrize("spec", ["threading:Barrier", "barrierlab.impl.reference:Barrier"])
def test_reduction_loses_no_outcome_on_real_barriers(spec, scenario):
    assert _outcomes(spec, scenario, True) == _outcomes(spec, scenario, False)
