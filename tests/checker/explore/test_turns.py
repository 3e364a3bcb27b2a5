"""Turns: a scenario's search paused at the end of its turn and resumed (pickled, in another
process or thread) is the search run whole, and a parallel check in turns gives the serial
result."""

from __future__ import annotations

import pickle
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor

import pytest

from barrierlab.checker import api
from barrierlab.checker.config import Config
from barrierlab.checker.explore.check import scheduler_for
from barrierlab.checker.explore.parallel import check_parallel
from barrierlab.checker.explore.scenario_catalogue import SCENARIOS
from barrierlab.checker.explore.search import ScenarioResult, explore
from barrierlab.checker.explore.turns import Paused, explore_turn, resumed_deadline
from barrierlab.checker.runtime.target import load_target
from barrierlab.model.errors import InvalidArgument

from .test_parallel import _found, _shape


@pytest.mark.parametrize(
    ("spec", "scenario", "scheduler"),
    [
        ("threading:Barrier", "observer", "portfolio"),
        ("threading:Barrier", "reset-with-waiters", "portfolio"),
        ("threading:Barrier", "reset-after-break", "dfs"),
        ("threading:Barrier", "action-vs-abort", "pct"),
        ("barrierlab.impl.bugs.reset_keeps_count:Barrier", "reset-during-generations", "random"),
    ],
)
def test_a_search_in_pickled_turns_is_the_search_run_whole(spec, scenario, scheduler):
    target = load_target(spec)
    config = Config(max_schedules=400, budget=600)
    far = time.monotonic() + 600
    whole = explore(target, SCENARIOS[scenario], scheduler_for(scheduler, config, 5, far), config)
    sched = scheduler_for(scheduler, config, 5, far)
    found: ScenarioResult | None = None
    turns = 0
    while True:
        outcome = explore_turn(
            target,
            SCENARIOS[scenario],
            sched,
            config,
            deadline=far,
            turn=0.01,
            resume=found,
        )
        turns += 1
        if not isinstance(outcome, Paused):
            break
        # as a worker gets it: pickled, state and all
        paused = pickle.loads(pickle.dumps(outcome))
        sched, found = paused.scheduler, paused.result
        resumed_deadline(paused)
    assert turns > 2  # it did pause
    assert _found(outcome) == _found(whole)


def test_a_search_the_scheduler_ends_within_its_turn_is_not_paused():
    target = load_target("threading:Barrier")
    config = Config(max_schedules=None, budget=600)
    sched = scheduler_for("dfs", config, 0, time.monotonic() + 600)
    found = explore_turn(
        target, SCENARIOS["single-party"], sched, config, deadline=time.monotonic() + 600, turn=60
    )
    assert isinstance(found, ScenarioResult) and found.exhaustive


def test_a_resumed_search_keeps_its_time_left_and_never_passes_the_checks_end():
    config = Config(max_schedules=10, budget=600)
    sched = scheduler_for("portfolio", config, 0, None)
    kept = Paused(ScenarioResult(SCENARIOS["timeout"]), sched, left=30.0, end=time.time() + 600)
    deadline = resumed_deadline(kept)
    assert 29 < deadline - time.monotonic() <= 30
    assert sched.deadline == deadline  # the scheduler's own deadline is set anew
    late = Paused(ScenarioResult(SCENARIOS["timeout"]), sched, left=30.0, end=time.time() - 1)
    assert resumed_deadline(late) <= time.monotonic()


class _Counting(ThreadPoolExecutor):
    """A one-thread pool that counts the tasks given to it."""

    def __init__(self) -> None:
        super().__init__(1)
        self.submitted = 0

    def submit(self, fn, /, *args, **kwargs) -> Future:  # type: ignore[override]
        self.submitted += 1
        return super().submit(fn, *args, **kwargs)


@pytest.mark.parametrize(
    "spec", ["threading:Barrier", "barrierlab.impl.bugs.reset_keeps_count:Barrier"]
)
def test_a_parallel_check_in_turns_gives_the_serial_result(spec):
    kwargs = {
        "scenarios": ["observer", "reset-during-generations", "timeout", "reset-with-waiters"],
        "max_schedules": 300,
        "budget": 600,
        "seed": 2,
    }
    serial = api.check(spec, **kwargs)
    with _Counting() as pool:
        merged = check_parallel(spec, executor=pool, turn_seconds=0.01, **kwargs)
    assert pool.submitted > len(kwargs["scenarios"])  # tasks paused and were resumed
    assert _shape(merged) == _shape(serial)
    assert (merged.verdict, merged.schedules) == (serial.verdict, serial.schedules)
    with _Counting() as pool:  # no turns: one task per scenario
        check_parallel(spec, executor=pool, turn_seconds=None, **kwargs)
    assert pool.submitted == len(kwargs["scenarios"])


def test_by_time_no_task_pauses():
    with _Counting() as pool:
        check_parallel(
            "threading:Barrier", executor=pool, scenarios=["observer"], budget=1, turn_seconds=0.01
        )
    assert pool.submitted == 1


@pytest.mark.parametrize("bad", [0, -1.0])
def test_a_turn_must_be_positive(bad):
    with pytest.raises(InvalidArgument, match="turn_seconds"):
        check_parallel("threading:Barrier", workers=1, turn_seconds=bad, max_schedules=1)


def test_a_task_run_again_supervised_runs_to_its_end_and_a_resumed_one_keeps_its_options():
    from functools import partial

    from barrierlab.checker.explore.parallel import _again, _resumed, check_scenario

    call = partial(check_scenario, "threading:Barrier", SCENARIOS["timeout"], 0, turn=0.25, end=0)
    assert _again(call, share=1.0, local=True).keywords["turn"] is None
    paused = Paused(ScenarioResult(SCENARIOS["timeout"]), None, left=1.0, end=0.0)  # type: ignore[arg-type]
    again = _resumed(call, paused)
    assert again.keywords["resumed"] is paused
    assert again.keywords["turn"] == 0.25 and again.args == call.args


class _HoldsResumed(ThreadPoolExecutor):
    """A one-thread pool that holds the resumed turns of one scenario back, so a check that
    stops cancels them before they start (if it has not stopped after 20 s, the held turn
    fails the check instead of hanging it)."""

    def __init__(self, scenario: str) -> None:
        super().__init__(1)
        self.scenario = scenario
        self.held: list[Future] = []
        self.timers: list[threading.Timer] = []

    def submit(self, fn, /, *args, **kwargs) -> Future:  # type: ignore[override]
        keywords = getattr(fn, "keywords", {})
        if keywords.get("resumed") is None or fn.args[1].name != self.scenario:
            return super().submit(fn, *args, **kwargs)
        held: Future = Future()
        self.held.append(held)
        # as a pool does for a task cancelled before it ran: tell those waiting on it
        held.add_done_callback(lambda f: f.cancelled() and f.set_running_or_notify_cancel())

        def late() -> None:
            if not held.done() and held.set_running_or_notify_cancel():
                held.set_exception(AssertionError("the check did not stop"))

        timer = threading.Timer(20, late)
        timer.daemon = True
        timer.start()
        self.timers.append(timer)
        return held

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        for timer in self.timers:
            timer.cancel()
        super().shutdown(wait, cancel_futures=cancel_futures)


def test_failing_fast_a_paused_scenario_keeps_what_it_found():
    """A violation stops the check while a scenario before it is paused: that scenario is in
    the result with its schedules so far, not exhaustive, as a stopped task's would be."""
    kwargs = {
        "scenarios": ["observer", "reset-during-generations"],
        "max_schedules": 2_000,
        "budget": 600,
        "fail_fast": True,
    }
    with _HoldsResumed("observer") as pool:
        result = check_parallel(
            "barrierlab.impl.bugs.reset_keeps_count:Barrier",
            executor=pool,
            turn_seconds=0.01,
            **kwargs,
        )
    assert pool.held and all(f.cancelled() for f in pool.held)  # the resumed turn never ran
    names = [s.scenario.name for s in result.scenarios]
    assert names == ["observer", "reset-during-generations"]
    observer, failing = result.scenarios
    assert failing.violation is not None
    assert observer.violation is None and observer.schedules > 0 and not observer.exhaustive
