"""Cancellation inside reset and abort: a scheduling choice wherever the task is suspended in
the call, under the same bound as cancellations inside wait, judged by the asyncio profile."""

from __future__ import annotations

from barrierlab.checker import api
from barrierlab.checker.config import Config
from barrierlab.checker.runtime.aio.run import AsyncRun
from barrierlab.checker.scenario import Scenario
from barrierlab.checker.schedulers import make_scheduler
from barrierlab.impl import asyncio_reference
from barrierlab.impl.aio_bugs import reset_cancel_half
from barrierlab.model.accept import accept
from barrierlab.model.events import Raise

RESET = Scenario.build("r", parties=2, threads=["wait", "reset", "wait"])
ABORT = Scenario.build("a", parties=2, threads=["wait", "abort", "wait"])


def _runs(factory, scenario, config=None):
    scheduler = make_scheduler("dfs")
    out = []
    while scheduler.start():
        result = AsyncRun(factory, scenario, scheduler, config or Config()).execute()
        scheduler.finish(not result.finished)
        out.append(result)
        assert len(out) < 5000, "DFS did not end"
    return out


def _cancelled_in(runs, op):
    return [
        r
        for r in runs
        if any(isinstance(e, Raise) and e.op == op and e.error == "CancelledError" for e in r.trace)
    ]


def test_a_task_suspended_in_reset_may_be_cancelled_there():
    runs = _runs(reset_cancel_half.Barrier, RESET)
    hit = _cancelled_in(runs, "reset")
    assert hit, "no schedule cancelled the task inside reset"
    assert all(sum(c.access == "cancel" for c in r.choices) <= 1 for r in runs)  # the bound
    # ...and the half reset it leaves is what the profile rejects
    judged = [accept(r.trace, parties=2, profile="asyncio", complete=True) for r in hit]
    assert any(not v.ok for v in judged)


def test_no_cancellation_inside_reset_when_the_bound_is_zero():
    runs = _runs(reset_cancel_half.Barrier, RESET, Config(cancellations=0))
    assert not _cancelled_in(runs, "reset")
    assert all(accept(r.trace, parties=2, profile="asyncio").ok for r in runs)


def test_the_reference_passes_with_cancellations_inside_reset_and_abort():
    for scenario in (RESET, ABORT):
        for run in _runs(asyncio_reference.Barrier, scenario, Config(cancellations=2)):
            assert run.crash is None, run.crash
            v = accept(run.trace, parties=2, profile="asyncio", complete=True)
            assert v.ok, v.message


def test_the_half_done_reset_is_found_by_a_default_check_and_blamed_on_the_cancellation():
    result = api.check(
        "barrierlab.impl.aio_bugs.reset_cancel_half:Barrier",
        scenarios=["aio-reset"],
        max_schedules=500,
    )
    violation = result.violations[0]
    assert violation.rule == "A-CANCEL"
    assert "reset was cancelled" in violation.message
    assert api.replay(violation.token).status == "reproduced"
