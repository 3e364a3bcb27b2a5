"""The Hypothesis-driven scheduler: failing schedules shrink to minimal ones."""

from __future__ import annotations

import pytest
from toy import ToyState, enumerate_runs, explore, preemptions

from barrierlab.checker.schedulers.base import Choice
from barrierlab.checker.schedulers.hypothesis_driven import (
    HypothesisScheduler,
    ListSource,
    find_schedule,
)
from barrierlab.checker.schedulers.replay import ReplayScheduler
from barrierlab.model.errors import InvalidArgument

# Thread 1 must read x after thread 0 wrote it, y before, and z after: two preemptions at least.
PROGRAM = (
    (("write", "a"), ("write", "x"), ("write", "c"), ("write", "y"), ("write", "z")),
    (("write", "d"), ("read", "x"), ("read", "y"), ("write", "e"), ("read", "z")),
)


def _run(program):
    def run(scheduler):
        state = ToyState(program)
        steps = []
        while options := state.options():
            choice = scheduler.choose(options)
            steps.append((choice, options))
            state.execute(choice)
        return state, preemptions(steps)

    return run


def _bug(result):
    state, _ = result
    x, y, z = state.reads[1]
    return x is not None and y is None and z is not None


def test_a_failing_schedule_shrinks_to_one_with_the_fewest_preemptions():
    fewest = min(r.preemptions for r in enumerate_runs(PROGRAM) if _bug((_state(r), 0)))
    found = find_schedule(_run(PROGRAM), _bug, seed=5)
    assert found is not None
    assert _bug(found.result)
    assert found.result[1] == fewest == 2
    # The shrunk choices replay to the same failure.
    replay = ReplayScheduler(found.choices)
    replay.start()
    assert _bug(_run(PROGRAM)(replay)) and not replay.diverged


def _state(run):
    from barrierlab.checker.schedulers.base import decode_choice

    state = ToyState(PROGRAM)
    for code in run.choices:
        key = decode_choice(code)
        state.execute(next(o for o in state.options() if o.key == key))
    return state


def test_find_schedule_is_deterministic_for_a_seed():
    first = find_schedule(_run(PROGRAM), _bug, seed=5)
    second = find_schedule(_run(PROGRAM), _bug, seed=5)
    assert first.choices == second.choices


def test_find_schedule_returns_none_when_no_schedule_satisfies_the_predicate():
    assert find_schedule(_run(PROGRAM), lambda result: False, max_examples=20) is None


def test_draw_zero_means_keep_running_the_same_thread():
    scheduler = HypothesisScheduler(ListSource([]))
    runs = explore(PROGRAM, scheduler, traces=False)
    assert len(runs) == 1 and runs[0].preemptions == 0


def test_the_draws_pick_the_options_in_order_after_the_running_thread():
    scheduler = HypothesisScheduler(ListSource([0, 1, 1]))
    scheduler.start()
    options = [Choice(0), Choice(1), Choice(2, timeout=True)]
    assert scheduler.choose(options).tid == 0  # nobody ran yet: plain order
    assert scheduler.choose(options).tid == 1  # 0 is "thread 0 again", 1 the next
    assert scheduler.choose(options).tid == 0  # thread 1 ran: order is 1, 0, 2
    assert not scheduler.start()


def test_a_source_without_draw_is_refused():
    with pytest.raises(InvalidArgument):
        HypothesisScheduler(object())


def test_no_example_runs_after_the_deadline():
    runs = []

    def run(scheduler):
        runs.append(1)
        return _run(PROGRAM)(scheduler)

    assert find_schedule(run, _bug, seed=5, deadline=0.0) is None
    assert runs == []


def test_a_failure_found_before_the_deadline_is_still_shrunk_after_it(monkeypatch):
    from barrierlab.checker.schedulers import hypothesis_driven

    seen = []

    def bug(result):
        if _bug(result):
            seen.append(True)  # from now on the clock reads far past the deadline
            return True
        return False

    monkeypatch.setattr(hypothesis_driven, "_real_monotonic", lambda: 1e9 if seen else 0.0)
    found = find_schedule(_run(PROGRAM), bug, seed=5, deadline=1.0)
    assert found is not None and found.result[1] == 2
