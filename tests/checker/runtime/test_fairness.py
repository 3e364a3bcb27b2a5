"""Fair schedules: polling is not a livelock; spinning without yielding still is."""

from __future__ import annotations

from pathlib import Path

import pytest

from barrierlab.checker import api
from barrierlab.checker.config import Config
from barrierlab.checker.scenario import Scenario
from barrierlab.model.events import Raise, Return

POLLERS = Path(__file__).parents[2] / "support" / "pollers.py"


def _check(name, scenarios, **kwargs):
    config = Config(budget=kwargs.pop("budget", 4), max_schedules=60, step_bound=2_000)
    return api.check(f"{POLLERS}:{name}", scenarios=scenarios, config=config, **kwargs)


@pytest.mark.parametrize("name", ["YieldPoller", "ConditionPoller"])
def test_pollers_are_not_livelocks(name):
    result = _check(name, ["two-generations", "three-parties", "late-arrival"])
    assert result.verdict == "pass", [(v.kind, v.rule, v.message) for v in result.violations]
    assert result.schedules > 10


def test_sleeping_poller_reaches_its_deadline_in_few_polls():
    result = api.check(
        "barrierlab.impl.shapes.polling:Barrier",
        scenarios=["timeout"],
        config=Config(budget=4, max_schedules=20),
    )
    assert result.verdict == "pass"
    assert result.steps / result.schedules < 500  # not a thousand 1 ms polls per second


def test_a_lone_poller_is_blocked_not_a_livelock():
    result = _check("YieldPoller", ["late-arrival"])
    assert result.verdict == "pass"
    assert result.scenarios[0].outcomes["stalled"] > 0


LONE = Scenario.build("lone", parties=2, threads=["wait"])


def test_spinning_without_yielding_is_still_a_livelock():
    result = _check("Spinner", [LONE], fail_fast=True)
    assert result.verdict == "fail"
    assert result.violations[0].kind == "livelock"


class _TimeoutsFirst:
    """A legal but hostile schedule: a timeout whenever one is offered (the first ``polls``
    times; None: always), else the lowest thread that can step. So a poller's polls end while
    another thread is part way through its own eventless steps."""

    name = "timeouts-first"
    exhaustive = False

    def __init__(self, polls=None):
        self.polls = polls

    def start(self):
        return True

    def choose(self, options):
        timeouts = [c for c in options if c.timeout]
        if timeouts and self.polls != 0:
            self.polls = None if self.polls is None else self.polls - 1
            return timeouts[0]
        steps = [c for c in options if not c.timeout]
        return steps[0] if steps else options[0]

    def finish(self, cut_short):
        pass


def _poll(scenario, scheduler):
    from barrierlab.checker.explore.search import judge
    from barrierlab.checker.runtime.launch import run_once
    from barrierlab.checker.runtime.target import load_target

    target = load_target("barrierlab.impl.shapes.polling:Barrier")
    result = run_once(target, scenario, scheduler, Config(step_bound=2_000))
    return result, judge(result, scenario, "documented", target.capabilities)


def test_polls_before_progress_do_not_make_a_later_stall():
    # t0 and t1 poll while t2 steps towards its arrival, one line per poll: many polls that
    # find nothing new (no event). Then t2 releases them, returns, and polls in the next
    # generation. t0 and t1 have not looked since, so the run must go on until they do: a
    # stale count of idle polls once ended it there as 'stalled', with t0 and t1 released but
    # still polling (a false R-RELEASE-ALL, found in a generated scenario).
    scenario = Scenario.build("poll", parties=3, threads=["wait", "wait", "wait wait"])
    result, judgement = _poll(scenario, _TimeoutsFirst(12))
    returned = {e.tid for e in result.trace if isinstance(e, Return)}
    assert returned == {0, 1, 2}, result.blocked
    assert result.outcome == "stalled"  # t2's second wait has no partner: it polls for good
    assert judgement.kind is None, judgement.message


def test_a_poller_whose_deadline_starts_late_is_not_stalled_before_it():
    # t1 calls wait(1) at 0, but t0's poll moves time on before t1 reads the clock: its own
    # deadline is 1.001, not 1. Its polls past 1 must not be taken for polls that wait for
    # nothing (a false R-TIMEOUT: 'stalled', its timeout expired and it still blocked).
    scenario = Scenario.build("late-deadline", parties=3, threads=["wait", "wait(1)"])
    result, judgement = _poll(scenario, _TimeoutsFirst())
    assert judgement.kind is None, judgement.message
    assert [e.error for e in result.trace if isinstance(e, Raise)] == ["BrokenBarrierError"] * 2


def test_a_spin_that_a_running_thread_ends_is_not_a_livelock():
    # Spinner's waiters spin (lock, look, unlock) without yielding. With two threads and
    # parties=2, the first schedule of a DFS runs t0's spin to the step bound while t1 has not
    # arrived: starved, not live-locked. Under the fair continuation t1 arrives and both return.
    scenario = Scenario.build("two", parties=2, threads=["wait", "wait"])
    result = _check("Spinner", [scenario], scheduler="dfs")
    assert result.verdict == "pass", [(v.kind, v.message) for v in result.violations]
    assert not result.exhaustive  # the fair steps were not the scheduler's choices
