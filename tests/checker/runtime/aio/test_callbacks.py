"""The target's own callbacks (``loop.call_soon(self._release)``...) are scheduling choices,
as lines of a threading target's own code are: a task step may run before a callback that was
scheduled earlier, as in a real loop where that task was already in the ready queue."""

from __future__ import annotations

import asyncio

from barrierlab.checker import api
from barrierlab.checker.config import Config
from barrierlab.checker.runtime.aio.run import AsyncRun
from barrierlab.checker.runtime.target import target_of
from barrierlab.checker.scenario import Scenario
from barrierlab.checker.schedulers import make_scheduler
from barrierlab.model.accept import accept
from barrierlab.model.events import Return


class LateRelease:
    """Releases a full generation from a callback: an arrival before it joins the generation
    (a third task of a 2-party barrier returns index 2)."""

    def __init__(self, parties):
        self._parties = parties
        self._waiters = []

    async def wait(self):
        fut = asyncio.get_running_loop().create_future()
        self._waiters.append(fut)
        if len(self._waiters) == self._parties:
            asyncio.get_running_loop().call_soon(self._release)  # the race
        return await fut

    def _release(self):
        waiters, self._waiters = self._waiters, []
        for i, f in enumerate(waiters):
            if not f.done():
                f.set_result(i)


THREE = Scenario.build("three", parties=2, threads=["wait", "wait", "wait"])


def _traces(config, traced):
    scheduler = make_scheduler("dfs")
    out = []
    while scheduler.start():
        run = AsyncRun(LateRelease, THREE, scheduler, config, traced_files=traced)
        result = run.execute()
        scheduler.finish(not result.finished)
        out.append(result)
        assert len(out) < 5000
    return out


def test_a_task_step_may_run_before_the_targets_callback():
    here = frozenset({__file__})
    runs = _traces(Config(cancellations=0), here)
    assert any(c.access == "callback" and c.tid >= 3 for r in runs for c in r.choices)
    values = {e.value for r in runs for e in r.trace if isinstance(e, Return)}
    assert 2 in values  # the third task joined the released generation
    assert any(not accept(r.trace, parties=2, profile="asyncio").ok for r in runs)


def test_without_line_level_the_callback_runs_at_once_and_the_race_is_missed():
    runs = _traces(Config(cancellations=0), frozenset())
    assert all(c.access != "callback" for r in runs for c in r.choices)
    assert all(accept(r.trace, parties=2, profile="asyncio").ok for r in runs)


def test_a_check_finds_the_race_and_the_token_replays_it(monkeypatch):
    monkeypatch.setenv("BARRIERLAB_CANCELLATIONS", "0")  # the barrier ignores cancellation
    result = api.check(target_of(LateRelease), scenarios=[THREE], max_schedules=300)
    violation = result.violations[0]
    assert violation.rule == "A-INDEX"
    replayed = api.replay(violation.token)
    assert replayed.status == "reproduced"
    assert replayed.run.trace == violation.trace


def test_the_callback_choices_are_the_same_in_every_run_of_the_same_schedule():
    here = frozenset({__file__})
    first = _traces(Config(cancellations=0), here)
    second = _traces(Config(cancellations=0), here)
    assert [r.choices for r in first] == [r.choices for r in second]
