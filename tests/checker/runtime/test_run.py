"""The controlled runtime: control, virtual time, verdict outcomes, restoration, no leaks."""

from __future__ import annotations

import _thread
import sys
import threading
import time

import pytest
from scripted import Scripted, styles_spec

from barrierlab.checker.config import Config
from barrierlab.checker.runtime import thread_pool as workers
from barrierlab.checker.runtime.run import Run
from barrierlab.checker.runtime.target import load_target
from barrierlab.checker.scenario import Scenario
from barrierlab.model.events import ActionEnd, ActionStart, Raise, Return


def _patchable():
    """What a run replaces while it runs, as it is now."""
    return (
        threading.Lock,
        threading._allocate_lock,
        threading._CRLock,
        threading._time,
        _thread.allocate_lock,
        _thread.RLock,
        time.monotonic,
        time.time,
        time.sleep,
    )


ORIGINALS = _patchable()


def _run(spec, scenario, scheduler=None, **config):
    from barrierlab.checker.runtime.launch import run_once

    cfg = Config(**{"watchdog": 1.0, **config})
    return run_once(load_target(spec), scenario, scheduler or Scripted(), cfg)


def _returns(result):
    return sorted(e.value for e in result.trace if isinstance(e, Return) and e.op == "wait")


def _assert_restored():
    assert _patchable() == ORIGINALS


TWO = Scenario.build("two", parties=2, threads=["wait", "wait"])


@pytest.mark.parametrize("seed", range(5))
def test_threading_barrier_runs_unmodified_under_control(seed):
    result = _run("threading:Barrier", TWO, Scripted(seed))
    assert result.outcome == "complete"
    assert _returns(result) == [0, 1]
    assert any(c.access == "acquire" for c in result.choices), "lock ops must be choices"
    _assert_restored()


@pytest.mark.parametrize(
    "name",
    ["LockImportedByName", "WithRLock", "WithSemaphoreAndEvent", "WithBoundedSemaphore", "factory"],
)
def test_every_import_style_and_primitive_is_controlled(name):
    sched = Scripted(seed=1)
    result = _run(styles_spec(name), TWO, sched, line_level=False)
    assert result.outcome == "complete"
    assert _returns(result) == [0, 1]
    accesses = {c.access for c in result.choices}
    assert {"acquire", "release"} <= accesses, accesses
    _assert_restored()


def test_bound_names_in_the_target_module_are_restored():
    import importlib

    target = load_target(styles_spec("LockImportedByName"))
    module = target.modules[0]
    before = (module.PlainLock, module.now)
    _run(styles_spec("LockImportedByName"), TWO)
    # threading.Lock is _thread.allocate_lock before 3.13 and the class _thread.lock since:
    # compare with what it was before the run, on whatever Python this is.
    assert (module.PlainLock, module.now) == before == (ORIGINALS[0], time.monotonic)
    assert importlib.import_module("threading").Lock is ORIGINALS[0]
    assert _thread.allocate_lock is ORIGINALS[4]


def test_a_timeout_is_a_choice_and_moves_virtual_time_only():
    one = Scenario.build("one", parties=2, threads=["wait(7.5)"])
    result = _run("threading:Barrier", one)
    assert any(c.timeout for c in result.choices)
    raises = [e for e in result.trace if isinstance(e, Raise)]
    assert raises and raises[0].error == "BrokenBarrierError"
    assert raises[0].time == pytest.approx(7.5)


def test_the_race_between_arrival_and_expiry_goes_both_ways():
    race = Scenario.build("race", parties=2, threads=["wait(1)", "wait"])
    outcomes = set()
    for seed in range(40):
        result = _run("threading:Barrier", race, Scripted(seed))
        outcomes.add(tuple(type(e).__name__ for e in result.trace if e.tid == 0))
    assert ("Call", "Return") in outcomes
    assert ("Call", "Raise") in outcomes


def test_sleep_takes_virtual_time():
    result = _run(styles_spec("Sleeper"), TWO, line_level=False)
    assert result.outcome == "complete"
    # First-option scheduling: t0 sleeps 0 -> 100 before t1 starts its own sleep, 100 -> 200.
    assert max(e.time for e in result.trace) == pytest.approx(200.0)


def test_action_is_recorded_in_the_thread_that_ran_it():
    scenario = Scenario.build("act", parties=2, threads=["wait", "wait"], action="raise@1")
    result = _run("threading:Barrier", scenario)
    starts = [e for e in result.trace if isinstance(e, ActionStart)]
    ends = [e for e in result.trace if isinstance(e, ActionEnd)]
    assert len(starts) == len(ends) == 1 and ends[0].error == "ActionFailed"
    runner_raise = [e for e in result.trace if isinstance(e, Raise) and e.tid == starts[0].tid]
    assert runner_raise[0].error == "ActionFailed"


def test_deadlock_reports_who_waits():
    alone = Scenario.build("alone", parties=2, threads=["wait"])
    result = _run("threading:Barrier", alone)
    assert result.outcome == "deadlock"
    assert result.blocked and "t0" in result.blocked[0]
    _assert_restored()


def test_spin_is_a_livelock_in_bounded_steps():
    result = _run(styles_spec("Spinner"), TWO, step_bound=300)
    assert result.outcome == "livelock"
    # both threads spin: at the step bound one had been passed over, so the run goes on under
    # a fair schedule, and is a livelock after the bound of steps with no progress under it
    assert result.fair_from == 300
    assert 600 <= result.steps <= 600 + 5
    _assert_restored()


def test_blocking_on_a_real_lock_is_reported_by_the_watchdog():
    result = _run(styles_spec("BlocksOnRealLock"), TWO, line_level=False, watchdog=0.3)
    assert result.outcome == "uncontrolled"
    assert "outside barrierlab's control" in result.blocked[0]
    assert "styles.py" in result.blocked[0]
    _assert_restored()


def test_a_spinning_worker_that_swallows_the_first_unwind_is_asked_again():
    spec = styles_spec("SpinsPastOneUnwind")
    result = _run(spec, TWO, line_level=False)
    assert result.outcome == "deadlock"

    def spinning() -> int:
        code = load_target(spec).factory.wait.__code__
        frames = sys._current_frames().values()
        return sum(1 for frame in frames if _runs(frame, code))

    deadline = time.monotonic() + 10
    while spinning() and time.monotonic() < deadline:
        threading.Event().wait(0.05)
    assert spinning() == 0  # every spinner left: none was given up spinning on
    _assert_restored()


def _runs(frame, code) -> bool:
    while frame is not None:
        if frame.f_code is code:
            return True
        frame = frame.f_back
    return False


def test_an_abandoned_that_python_cannot_raise_is_not_printed():
    from types import SimpleNamespace

    from barrierlab.checker.runtime.patching import controlled
    from barrierlab.checker.runtime.run import Abandoned

    seen = []
    real = sys.unraisablehook
    sys.unraisablehook = seen.append
    try:
        with controlled():
            sys.unraisablehook(SimpleNamespace(exc_value=Abandoned()))
            sys.unraisablehook(SimpleNamespace(exc_value=ValueError("the target's")))
    finally:
        sys.unraisablehook = real
    assert [type(u.exc_value) for u in seen] == [ValueError]


def test_crash_keeps_the_traceback():
    result = _run(styles_spec("Crashes"), TWO, line_level=False)
    assert result.crash is not None and "ValueError: not a barrier error" in result.crash
    assert any(isinstance(e, Raise) and e.error == "ValueError" for e in result.trace)
    assert result.outcome == "complete", "a crashed thread must not stall the run"
    _assert_restored()


def test_no_thread_leaks_after_runs_deadlocks_and_crashes():
    alone = Scenario.build("alone", parties=3, threads=["wait", "wait"])
    for spec, scenario in [
        ("threading:Barrier", TWO),
        ("threading:Barrier", alone),
        (styles_spec("Crashes"), TWO),
        (styles_spec("Spinner"), TWO),
    ]:
        _run(spec, scenario, step_bound=200)
    # Every worker thread is back in the pool (or gone): none is left running a task.
    deadline = time.monotonic() + 2
    while workers.busy_count() and time.monotonic() < deadline:
        threading.Event().wait(0.01)
    assert workers.busy_count() == 0


def test_finished_runs_are_freed_also_with_line_level_unwinding():
    """Unwinding must not keep a Run alive (an exception raised into traced code would)."""
    import gc
    import weakref

    from barrierlab.checker.runtime.run import Run

    # Only the runs made here count: an earlier test (a failure's traceback, say) may keep
    # its own alive.
    gc.collect()
    earlier = weakref.WeakSet(o for o in gc.get_objects() if isinstance(o, Run))
    alone = Scenario.build("alone", parties=3, threads=["wait", "wait wait"])
    for seed in range(20):
        _run("barrierlab.impl.generations:Barrier", alone, Scripted(seed))
    gc.collect()
    mine = [o for o in gc.get_objects() if isinstance(o, Run) and o not in earlier]
    assert len(mine) <= 3  # the pool's last tasks


def test_same_choices_give_the_same_trace():
    scenario = Scenario.build("s", parties=2, threads=["wait wait", "wait(1) reset", "n_waiting"])
    first = _run("threading:Barrier", scenario, Scripted(seed=3))
    again = _run("threading:Barrier", scenario, Scripted(seed=3))
    assert first.trace == again.trace and first.choices == again.choices


def test_run_refuses_to_nest():
    class Nested(Scripted):
        def choose(self, options):
            with pytest.raises(RuntimeError, match="one barrierlab run at a time"):
                Run(threading.Barrier, TWO, Scripted(), Config()).execute()
            return options[0]

    assert _run("threading:Barrier", TWO, Nested()).outcome == "complete"
