"""Random and PCT schedulers: determinism across processes, and PCT finding a depth-2 bug."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import schedule_runs
from schedule_runs import sequences
from toy import explore

from barrierlab.checker.schedulers.pct import PCTScheduler
from barrierlab.checker.schedulers.random import RandomScheduler
from barrierlab.model.errors import InvalidArgument


def _filler(t, n):
    return tuple(("write", f"own{t}.{i}") for i in range(n))


# The bug: thread 1 sees x written but y not yet, so it must run exactly between thread 0's
# last two steps; two ordering constraints (depth 2). Random search almost never gets there.
DEPTH_2 = (
    (*_filler(0, 20), ("write", "x"), ("write", "y")),
    (("read", "x"), ("read", "y")),
)


def _has_bug(run):
    x, y = run.outcome[1][1]
    return x is not None and y is None


@pytest.mark.parametrize("name", ["random", "pct"])
def test_same_seed_same_schedules_other_seed_other_schedules(name):
    assert sequences(name, 5) == sequences(name, 5)
    assert sequences(name, 5) != sequences(name, 6)
    assert len({tuple(s) for s in sequences(name, 5)}) > 5


@pytest.mark.parametrize("name", ["random", "pct"])
def test_schedules_do_not_depend_on_the_process_or_hash_seed(name):
    script = (
        "import json, sys\n"
        "from schedule_runs import sequences\n"
        "print(json.dumps(sequences(sys.argv[1], 5)))\n"
    )
    support = str(Path(schedule_runs.__file__).parent)
    for hash_seed in ("0", "12345"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed, "PYTHONPATH": support}
        out = subprocess.run(
            [sys.executable, "-c", script, name],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        assert json.loads(out.stdout) == sequences(name, 5)


def test_pct_finds_a_depth_2_ordering_bug_within_200_schedules_where_random_does_not():
    found = []
    for seed in range(10):
        runs = explore(DEPTH_2, PCTScheduler(seed=seed, depth=2, max_schedules=200), traces=False)
        found.append(sum(map(_has_bug, runs)))
    # One schedule finds it with probability >= 1/(2 threads * 24 steps): ~4 per 200.
    assert min(found) >= 1 and sum(found) >= 20, found
    runs = explore(DEPTH_2, RandomScheduler(seed=0, max_schedules=200), traces=False)
    assert not any(map(_has_bug, runs))


def test_pct_with_depth_1_never_finds_the_depth_2_bug():
    runs = explore(DEPTH_2, PCTScheduler(seed=1, depth=1, max_schedules=100), traces=False)
    assert not any(map(_has_bug, runs))


def test_pct_learns_the_number_of_steps():
    pct = PCTScheduler(seed=0, max_schedules=3, steps_guess=1000)
    explore(DEPTH_2, pct, traces=False)
    assert pct.expected_steps == 24


def test_pct_times_out_the_highest_priority_thread_only_when_it_cannot_step():
    program = ((("lock", "L"), ("write", "x"), ("unlock", "L")), (("lock?", "L"), ("read", "x")))
    runs = explore(program, PCTScheduler(seed=3, depth=2, max_schedules=60), traces=False)
    timed_out = [r for r in runs if 3 in r.choices]  # 3 encodes (tid 1, timeout)
    acquired = [r for r in runs if 3 not in r.choices]
    assert timed_out and acquired


@pytest.mark.parametrize(
    ("cls", "params"),
    [
        (PCTScheduler, {"depth": 0}),
        (PCTScheduler, {"steps_guess": 0}),
        (PCTScheduler, {"seed": "a"}),
        (RandomScheduler, {"max_schedules": 0}),
        (RandomScheduler, {"seed": 1.5}),
    ],
)
def test_bad_parameters_are_refused(cls, params):
    with pytest.raises(InvalidArgument):
        cls(**params)
