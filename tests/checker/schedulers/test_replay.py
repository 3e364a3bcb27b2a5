"""Replay: a recorded schedule reproduces exactly; a changed program is reported as diverged."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from toy import explore

from barrierlab.checker.schedulers import SCHEDULERS, make_scheduler
from barrierlab.checker.schedulers.base import Choice, Scheduler
from barrierlab.checker.schedulers.random import RandomScheduler
from barrierlab.checker.schedulers.replay import ReplayScheduler
from barrierlab.model.errors import InvalidArgument

PROGRAM = (
    (("write", "x"), ("lock", "L"), ("write", "y"), ("unlock", "L"), ("read", "z")),
    (("read", "y"), ("lock", "L"), ("write", "z"), ("unlock", "L")),
    (("lock?", "L"), ("write", "x"), ("flip", "z")),
)


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 2**32))
def test_a_recorded_schedule_replays_identically(seed):
    (recorded,) = explore(PROGRAM, RandomScheduler(seed=seed, max_schedules=1))
    replay = ReplayScheduler(recorded.choices)
    (replayed,) = explore(PROGRAM, replay)
    assert replayed == recorded
    assert not replay.diverged and replay.exhaustive


def _recorded():
    (run,) = explore(PROGRAM, RandomScheduler(seed=11, max_schedules=1))
    return run


def test_a_changed_program_diverges_and_still_completes():
    recorded = _recorded()
    changed = (PROGRAM[0][1:], *PROGRAM[1:])  # thread 0 lost its first step
    replay = ReplayScheduler(recorded.choices)
    (run,) = explore(changed, replay)
    assert replay.diverged
    d = replay.divergence
    assert 0 <= d.position < len(recorded.choices)
    assert d.expected[0] == 0 and all(key[0] != 0 for key in d.offered)
    assert "diverged" in d.message and "t0 steps" in d.message
    assert len(run.choices) > d.position + 1  # the run went on to its end


def test_a_record_that_ends_too_early_diverges():
    recorded = _recorded()
    replay = ReplayScheduler(recorded.choices[:3])
    explore(PROGRAM, replay)
    assert replay.divergence.position == 3 and replay.divergence.expected is None
    assert "ends there" in replay.divergence.message


def test_a_run_that_ends_before_the_record_diverges():
    recorded = _recorded()
    replay = ReplayScheduler((*recorded.choices, 0))
    explore(PROGRAM, replay)
    assert replay.divergence.position == len(recorded.choices)
    assert replay.divergence.offered == ()
    assert "ended after" in replay.divergence.message


def test_replay_runs_one_schedule():
    replay = ReplayScheduler([])
    assert replay.start() and replay.choose([Choice(0)]) == Choice(0)
    replay.finish()
    assert not replay.start()


@pytest.mark.parametrize("choices", [[-1], ["a"], "01", [True]])
def test_bad_records_are_refused(choices):
    with pytest.raises(InvalidArgument):
        ReplayScheduler(choices)


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("dfs", {}),
        ("random", {"seed": 1}),
        ("pct", {"depth": 2}),
        ("replay", {"choices": [0]}),
        ("hypothesis", {"source": type("S", (), {"draw": lambda self, n: 0})()}),
    ],
)
def test_make_scheduler_builds_each_scheduler(name, params):
    scheduler = make_scheduler(name, **params)
    assert isinstance(scheduler, SCHEDULERS[name]) and isinstance(scheduler, Scheduler)
    assert scheduler.name == name


@pytest.mark.parametrize(
    ("name", "params", "message"),
    [
        ("bfs", {}, "dfs, hypothesis, pct, random, replay"),
        ("dfs", {"seed": 1}, "takes no parameter 'seed'"),
        ("replay", {}, "choices"),
        ("pct", {"depth": 0}, "depth"),
    ],
)
def test_make_scheduler_refuses_bad_names_and_parameters(name, params, message):
    with pytest.raises(InvalidArgument, match=message):
        make_scheduler(name, **params)
