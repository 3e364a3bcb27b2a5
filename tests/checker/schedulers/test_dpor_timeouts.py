"""A timeout commutes with the steps of other threads that read no time and leave its locks be.

A timed acquire that expires moves the virtual clock and ends the waiting thread's acquire; it
is offered while its lock is held and no earlier-due timed step is pending. So it is dependent
with a step that reads the clock (a recorded event, ``time.monotonic()``, a new deadline),
with a step on its lock, and with a step on the lock of a timed step due before it; with
nothing else, unless it is a poll (a timeout again with nothing recorded since), which yields
and sets a fairness gate, or the thread is gated. Whether a step read the clock is known only
once it ran: the runtime tells the scheduler (``quiet``).
"""

from __future__ import annotations

import pytest

from barrierlab.checker.config import Config
from barrierlab.checker.runtime.launch import run_once
from barrierlab.checker.runtime.target import load_target
from barrierlab.checker.scenario import Scenario
from barrierlab.checker.schedulers.base import Choice, Footprint, dependent, report_blocked
from barrierlab.checker.schedulers.dfs import DFSScheduler
from barrierlab.checker.schedulers.dpor import races
from barrierlab.model.events import Call, Raise
from tests.support.reduction import canonical, classes, explore_all

LOCK, OTHER, EARLIER = 7, 8, 9


def _timeout(reads: frozenset = frozenset()) -> Choice:
    return Choice(0, True, LOCK, "acquire", footprint=Footprint(reads))


def _racing(step: Choice, timeout: Choice) -> bool:
    """Does ``step`` (thread 1's, the only one) race with thread 0's pending ``timeout``?"""
    return bool(list(races([step], [(timeout, 1)], 1, lambda k: None)))


def test_a_described_timeout_races_only_with_steps_that_read_time_or_touch_its_locks():
    due_first = _timeout(frozenset({("l", EARLIER)}))
    quiet = Choice(1, obj=OTHER, access="acquire", quiet=True)
    assert not _racing(quiet, due_first)
    assert _racing(Choice(1, obj=OTHER, access="acquire"), due_first)  # may read the clock
    assert _racing(Choice(1, obj=LOCK, access="release", quiet=True), due_first)
    assert _racing(Choice(1, obj=EARLIER, access="acquire", quiet=True), due_first)
    data = Choice(1, footprint=Footprint(writes=frozenset({("a", 1, "x")})), quiet=True)
    assert not _racing(data, due_first)
    assert _racing(Choice(1, quiet=True), due_first)  # unknown footprint: anything
    # A timeout the runtime could not describe (a sleep, a poll): dependent with every step.
    assert _racing(quiet, Choice(0, True, LOCK, "acquire"))
    # Two timeouts never commute: each moves the clock.
    assert dependent(Choice(1, True, OTHER, "acquire", footprint=Footprint()), due_first)


class _Recording:
    """Runs one schedule: a timeout whenever one is offered, else the lowest thread; keeps
    every option list and which steps were reported quiet."""

    name = "recording"
    exhaustive = False

    def __init__(self) -> None:
        self.offered: list[list[Choice]] = []
        self.chosen: list[Choice] = []
        self.quiet_steps: set[int] = set()

    def start(self) -> bool:
        return True

    def choose(self, options):
        self.offered.append(list(options))
        timeouts = [c for c in options if c.timeout]
        choice = (timeouts or list(options))[0]
        self.chosen.append(choice)
        return choice

    def quiet(self) -> None:
        self.quiet_steps.add(len(self.chosen) - 1)

    def finish(self, cut_short=False):
        pass


def _run(spec: str, scenario: Scenario, *, line_level: bool = False):
    scheduler = _Recording()
    result = run_once(load_target(spec), scenario, scheduler, Config(line_level=line_level))
    return scheduler, result


def test_a_barriers_own_timeout_is_described_and_steps_that_record_are_never_quiet():
    scenario = Scenario.build("lone", parties=2, threads=["wait(1)", "wait"])
    scheduler, result = _run("threading:Barrier", scenario)
    chosen = scheduler.chosen
    timeouts = [c for c in chosen if c.timeout]
    assert len(timeouts) == 1 and timeouts[0].footprint is not None
    # a call and a return are recorded with the time: never quiet; a lock step may be
    recording = {k for k, c in enumerate(chosen) if c.access in ("wait", "return")}
    assert len(recording) == 4 and not recording & scheduler.quiet_steps
    assert any(chosen[k].access == "release" for k in scheduler.quiet_steps)
    # the step that takes a deadline (the waiter's timed acquire) read the clock
    timed = next(k for k, c in enumerate(chosen) if c.timeout)
    assert timed - 1 not in scheduler.quiet_steps
    assert [type(e) for e in result.trace] == [Call, Raise, Call, Raise]


POLLER = "tests/support/pollers.py:ConditionPoller"


def test_a_poll_is_not_described_and_gates_the_poller():
    # A lone ConditionPoller waiter times out again and again with nothing recorded: its first
    # timeout is its own (described), every later one a poll (a yield: not described).
    scenario = Scenario.build("lone", parties=2, threads=["wait"])
    scheduler, _ = _run(POLLER, scenario, line_level=True)
    timeouts = [c for c in scheduler.chosen if c.timeout]
    assert len(timeouts) >= 3
    assert timeouts[0].footprint is not None
    assert all(c.footprint is None for c in timeouts[1:])


def test_a_poller_is_held_back_after_a_poll_only():
    # t0 polls (ConditionPoller, parties 3) while t1 could step towards its arrival; every
    # timeout offered is taken. After t0's own timeout (described) its next one is offered
    # with t1 not having stepped; after a poll (not described) only once t1 has stepped.
    scenario = Scenario.build("two", parties=3, threads=["wait", "wait"])
    scheduler, _ = _run(POLLER, scenario, line_level=True)
    chosen, offered = scheduler.chosen, scheduler.offered

    def t1_steps_before_t0_times_out_again(k: int) -> bool:
        j = next(j for j in range(k + 1, len(offered)) if (0, True) in {c.key for c in offered[j]})
        return any(chosen[i].tid == 1 for i in range(k + 1, j))

    t0 = [k for k, c in enumerate(chosen) if c.timeout and c.tid == 0][:6]
    own = [k for k in t0 if chosen[k].footprint is not None]
    polls = [k for k in t0 if chosen[k].footprint is None]
    assert own and polls
    assert not t1_steps_before_t0_times_out_again(own[0])
    assert all(t1_steps_before_t0_times_out_again(k) for k in polls)


class _Untold:
    """A DFS search that is never told which steps read no time."""

    name = "dfs-untold"

    def __init__(self) -> None:
        self.dfs = DFSScheduler()
        self.start, self.choose, self.finish = self.dfs.start, self.dfs.choose, self.dfs.finish
        self.blocked = self.dfs.blocked

    @property
    def exhaustive(self) -> bool:
        return self.dfs.exhaustive


def _count(scheduler, spec: str, scenario: Scenario) -> tuple[int, set]:
    target, traces, n = load_target(spec), set(), 0
    while scheduler.start():
        result = run_once(target, scenario, scheduler, Config(line_level=False))
        report_blocked(scheduler, result.pending)
        scheduler.finish(not result.finished)
        traces.add(canonical(result.trace))
        n += 1
    assert scheduler.exhaustive
    return n, traces


TIMED = [
    Scenario.build("timeout", parties=2, threads=["wait(1)", "wait wait(1)"]),
    Scenario.build("timed-reset", parties=2, threads=["wait(1) reset", "abort"]),
    Scenario.build("two-timeouts", parties=2, threads=["wait(1) wait(1)", "wait(2)"]),
]


@pytest.mark.parametrize("scenario", TIMED, ids=lambda s: s.name)
def test_told_quiet_steps_the_search_runs_fewer_schedules_and_loses_nothing(scenario):
    told, seen = _count(DFSScheduler(), "threading:Barrier", scenario)
    untold, seen_untold = _count(_Untold(), "threading:Barrier", scenario)
    assert told < untold and seen == seen_untold
    plain = explore_all("threading:Barrier", scenario, line_level=False, reduction=False,
                        keep_runs=True)  # fmt: skip
    assert plain.exhaustive and plain.traces == seen
    assert told == classes(plain.runs)  # one schedule per class (steps as they ran)


def test_the_portfolio_and_a_prefix_pass_quiet_steps_on_to_the_search_choosing():
    from barrierlab.checker.schedulers.portfolio import Portfolio
    from barrierlab.checker.schedulers.prefixed import PrefixedScheduler

    scenario = Scenario.build("lone", parties=2, threads=["wait(1)", "wait"])
    direct, _ = _run("threading:Barrier", scenario)
    assert direct.quiet_steps
    inner = _Recording()
    prefix = [c.key for c in direct.chosen[:3]]
    config = Config(line_level=False)
    run_once(load_target("threading:Barrier"), scenario, PrefixedScheduler(prefix, inner), config)
    assert inner.quiet_steps == {k - 3 for k in direct.quiet_steps if k >= 3}
    portfolio = Portfolio(seed=1)
    assert portfolio.start()
    run_once(load_target("threading:Barrier"), scenario, portfolio, config)
    assert isinstance(portfolio.current, DFSScheduler)
    assert any(c.quiet for c in portfolio.current.last_run)
