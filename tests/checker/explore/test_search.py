"""Judging one run (checker/explore/search.py): here, an asyncio run that hung before a
cancellation moved it on."""

from __future__ import annotations

import asyncio
from dataclasses import replace

from barrierlab.checker.config import Config
from barrierlab.checker.explore.search import judge, shown
from barrierlab.checker.outcomes import RunOutcome, ViolationKind
from barrierlab.checker.runtime.aio.run import AsyncRun
from barrierlab.checker.runtime.aio.scenarios import ASYNC_SCENARIOS
from barrierlab.checker.scenario import Scenario
from barrierlab.checker.schedulers import make_scheduler
from barrierlab.impl import asyncio_reference
from barrierlab.impl.aio_bugs import exit_no_notify
from barrierlab.model.events import Call


class RescuedByCancel(exit_no_notify.Barrier):
    """The lost wake-up of ``exit_no_notify``, and a cancelled waiter that wakes everyone on
    its way out (what ``asyncio.Condition.wait`` does since 3.13, for one waiter): the
    cancellation ends the hang, so the end of every run looks fine."""

    async def wait(self) -> int:
        try:
            return await super().wait()
        except asyncio.CancelledError:
            async with self._cond:
                self._cond.notify_all()
            raise


def _all_runs(factory, scenario):
    scheduler = make_scheduler("dfs")
    runs = []
    while scheduler.start():
        result = AsyncRun(factory, scenario, scheduler, Config()).execute()
        scheduler.finish(not result.finished)
        runs.append(result)
    return runs


def test_a_hang_that_a_cancellation_ends_is_a_deadlock_shown_up_to_the_hang():
    scenario = ASYNC_SCENARIOS["aio-two-generations"]
    runs = _all_runs(RescuedByCancel, scenario)
    # Judged by their ends alone (no hang points), all runs pass: the bug would be missed.
    assert all(judge(replace(r, hangs=()), scenario, "asyncio").kind is None for r in runs)
    failing = [(r, judge(r, scenario, "asyncio")) for r in runs]
    failing = [(r, j) for r, j in failing if j.kind is not None]
    assert failing
    for run, j in failing:
        assert (j.kind, j.rule) == (ViolationKind.DEADLOCK, "A-RELEASE-ALL")
        assert j.hung_at in run.hangs and j.hung_at < len(run.trace)
        seen = shown(run, j)
        assert seen.trace == run.trace[: j.hung_at] and seen.outcome == RunOutcome.DEADLOCK
        assert j.verdict.index == len(seen.trace)  # rejected at the end of what is shown
        last = {e.tid: e for e in seen.trace}
        inside = sorted(tid for tid, e in last.items() if isinstance(e, Call))
        assert inside, "a hang with nobody blocked"
        assert [b.split()[0] for b in seen.blocked] == [f"t{t}" for t in inside]


def test_a_task_left_alone_waiting_is_no_hang_to_report():
    scenario = Scenario.build("alone", parties=2, threads=["wait", "wait wait"])
    runs = _all_runs(asyncio_reference.Barrier, scenario)
    assert any(r.hangs and r.hangs[0] < len(r.trace) for r in runs)  # hangs were judged
    assert all(judge(r, scenario, "asyncio").kind is None for r in runs)
    assert shown(runs[0], judge(runs[0], scenario, "asyncio")) is runs[0]
