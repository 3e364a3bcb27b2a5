"""The asyncio runtime: the event loop is deterministic, cancellation and timeouts are choices,
a token replays the same trace in another process and hash seed, blocking is uncontrolled."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time

import pytest

from barrierlab.checker import api
from barrierlab.checker.config import Config
from barrierlab.checker.runtime.aio.detect import is_async_factory
from barrierlab.checker.runtime.aio.run import AsyncRun
from barrierlab.checker.scenario import Scenario
from barrierlab.checker.schedulers import make_scheduler
from barrierlab.checker.schedulers.replay import ReplayScheduler
from barrierlab.impl import asyncio_reference
from barrierlab.model.events import Raise, Return


def _runs(factory, scenario, scheduler, n, config=None):
    out = []
    for _ in range(n):
        if not scheduler.start():
            break
        result = AsyncRun(factory, scenario, scheduler, config or Config()).execute()
        scheduler.finish(not result.finished)
        out.append(result)
    return out


def test_async_targets_are_detected_by_their_coroutine_wait():
    import threading

    assert is_async_factory(asyncio.Barrier)
    assert is_async_factory(asyncio_reference.Barrier)
    assert not is_async_factory(threading.Barrier)


def test_dfs_explores_cancellation_and_every_outcome_of_a_pair():
    scenario = Scenario.build("pair", parties=2, threads=["wait", "wait"])
    runs = _runs(asyncio.Barrier, scenario, make_scheduler("dfs"), 10_000)
    outcomes = {
        tuple(type(e).__name__ + str(getattr(e, "error", "")) for e in r.trace[2:]) for r in runs
    }
    cancelled = [
        r
        for r in runs
        if any(isinstance(e, Raise) and e.error == "CancelledError" for e in r.trace)
    ]
    assert cancelled, "no schedule cancelled a task"
    assert all(sum(c.access == "cancel" for c in r.choices) <= 1 for r in runs)  # the bound
    assert len(outcomes) > 2
    assert len(runs) < 10_000  # DFS ended: the space is finite


def test_no_cancellation_when_the_bound_is_zero():
    scenario = Scenario.build("pair", parties=2, threads=["wait", "wait"])
    runs = _runs(asyncio.Barrier, scenario, make_scheduler("dfs"), 1000, Config(cancellations=0))
    assert all(not c.timeout for r in runs for c in r.choices)
    assert all(sorted(e.value for e in r.trace if isinstance(e, Return)) == [0, 1] for r in runs)


def test_a_timeout_expires_only_by_choice_and_at_its_deadline():
    scenario = Scenario.build("t", parties=2, threads=["wait(2.5)"])
    [run] = _runs(asyncio.Barrier, scenario, make_scheduler("dfs"), 1)
    raised = [e for e in run.trace if isinstance(e, Raise)]
    assert [(e.error, e.time) for e in raised] == [("TimeoutError", 2.5)]


def test_the_same_choices_give_the_same_trace():
    scenario = Scenario.build("s", parties=3, threads=["wait", "wait(1)", "wait", "wait"])
    [first] = _runs(asyncio.Barrier, scenario, make_scheduler("random", seed=7), 1)
    codes = [2 * c.tid + int(c.timeout) for c in first.choices]
    for _ in range(3):
        again = ReplayScheduler(tuple(codes))
        again.start()
        result = AsyncRun(asyncio.Barrier, scenario, again, Config()).execute()
        assert result.trace == first.trace


def test_check_finds_cpythons_index_reuse_and_a_fresh_process_replays_it():
    result = api.check("asyncio:Barrier", scenarios=["aio-cancel-reuse"], budget=30)
    violation = result.violations[0]
    assert violation.rule == "A-INDEX"
    for seed in ("0", "4242"):
        run = subprocess.run(
            [
                sys.executable,
                "-m",
                "barrierlab.checker.cli.main",
                "replay",
                violation.token,
                "--json",
            ],
            capture_output=True,
            text=True,
            timeout=300,
            env={**os.environ, "PYTHONHASHSEED": seed},
        )
        assert run.returncode == 1, run.stderr
        data = json.loads(run.stdout)
        assert data["status"] == "reproduced"
        assert data["rule"] == "A-INDEX"
        assert data["trace"] == violation.to_json()["trace"]


def test_the_reference_passes_the_scenario_that_catches_cpython():
    result = api.check(
        "barrierlab.impl.asyncio_reference:Barrier",
        scenarios=["aio-cancel-reuse"],
        max_schedules=300,
    )
    assert result.verdict == "pass"
    assert result.schedules == 300


class _Sleeper(asyncio_reference.Barrier):
    async def wait(self) -> int:
        time.sleep(2)  # blocks the event loop (past the 0.5 s watchdog)
        return await super().wait()


def test_blocking_the_event_loop_is_uncontrolled_within_the_watchdog():
    scenario = Scenario.build("s", parties=2, threads=["wait", "wait"])
    scheduler = make_scheduler("dfs")
    scheduler.start()
    started = time.monotonic()
    result = AsyncRun(_Sleeper, scenario, scheduler, Config(watchdog=0.5)).execute()
    assert result.outcome == "uncontrolled"
    assert time.monotonic() - started < 5
    assert "blocked the event loop" in result.blocked[0]


@pytest.mark.parametrize("name", ["aio-reset", "aio-abort", "aio-cancel-drain"])
def test_reference_scenarios_are_exhaustive_and_pass(name):
    result = api.check(
        "barrierlab.impl.asyncio_reference:Barrier", scenarios=[name], scheduler="dfs", budget=120
    )
    assert result.verdict == "pass" and result.exhaustive


def test_a_run_given_up_cleans_up_when_its_thread_comes_back(recwarn):
    import gc

    scenario = Scenario.build("s", parties=2, threads=["wait", "wait"])
    scheduler = make_scheduler("dfs")
    scheduler.start()
    run = AsyncRun(_Sleeper, scenario, scheduler, Config(watchdog=0.5))
    assert run.execute().outcome == "uncontrolled"
    deadline = time.monotonic() + 10
    while not run.loop.is_closed() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert run.loop.is_closed()
    del run
    gc.collect()
    assert not [
        w for w in recwarn if "never awaited" in str(w.message) or "unclosed" in str(w.message)
    ]


def test_a_run_records_where_only_a_cancellation_could_move_it_on():
    # One task, two parties: it waits for good. The run still explores cancelling it, and
    # records the point before, where nothing else could happen (RunResult.hangs).
    scenario = Scenario.build("alone", parties=2, threads=["broken wait"])
    runs = _runs(asyncio_reference.Barrier, scenario, make_scheduler("dfs"), 100)
    cancelled = [r for r in runs if any(c.timeout for c in r.choices)]
    assert cancelled
    for run in cancelled:
        assert run.hangs == (3,), run.trace  # the read (call, return), the call of wait
        assert isinstance(run.trace[-1], Raise) and run.trace[-1].error == "CancelledError"
    # A run with a task ready at every point records no hang.
    paired = Scenario.build("pair", parties=2, threads=["wait", "wait"])
    [first] = _runs(asyncio_reference.Barrier, paired, make_scheduler("dfs"), 1)
    assert first.hangs == ()
