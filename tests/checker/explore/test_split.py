"""Splitting a scenario's search by schedule prefix loses no schedule and no outcome, and the
merged result does not depend on who ran the subtrees."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from reduction import canonical

from barrierlab.checker import api
from barrierlab.checker.cli.main import main
from barrierlab.checker.config import Config
from barrierlab.checker.explore.parallel import check_parallel
from barrierlab.checker.explore.scenario_catalogue import select
from barrierlab.checker.explore.split import Piece, merge, pieces, prefixes
from barrierlab.checker.runtime.launch import run_once
from barrierlab.checker.runtime.target import load_target
from barrierlab.checker.scenario import Scenario
from barrierlab.checker.schedulers.base import report_blocked
from barrierlab.checker.schedulers.dfs import DFSScheduler
from barrierlab.checker.schedulers.prefixed import PrefixedScheduler
from barrierlab.model.errors import InvalidArgument, TargetError

SYNC = Config(line_level=False, budget=600)


def _traces(target, scenario, config, scheduler):
    """Every distinct (trace, outcome) the scheduler's schedules give, and whether it ended."""
    seen = set()
    while scheduler.start():
        run = run_once(target, scenario, scheduler, config)
        report_blocked(scheduler, run.pending)
        scheduler.finish(not run.finished)
        # Up to the order of adjacent calls (or returns), which partial-order reduction with
        # footprints does not keep (linearizability cannot see it): see Footprint.records.
        seen.add((canonical(run.trace), run.outcome))
    return seen, scheduler.exhaustive


def _subtrees_reach_every_outcome(spec, scenario, depth, sleep):
    """Every subtree of the cut (by :func:`pieces` with ``sleep``, else every prefix) searched
    on its own: together they reach every (trace, outcome) of plain DFS."""
    target = load_target(spec)
    (chosen,) = select([scenario])
    every, ended = _traces(target, chosen, SYNC, DFSScheduler(reduction=False))
    assert ended
    every_prefix = prefixes(target, chosen, SYNC, depth)
    cut = pieces(target, chosen, SYNC, depth) if sleep else [Piece(p) for p in every_prefix]
    assert len(cut) > 1 and (len(cut) < len(every_prefix) or not sleep)
    found: set = set()
    for piece in cut:
        dfs = DFSScheduler(sleep=piece.sleep)
        part, part_ended = _traces(target, chosen, SYNC, PrefixedScheduler(piece.prefix, dfs))
        assert part_ended
        found |= part
    assert found == every


@pytest.mark.parametrize(
    ("spec", "scenario", "depth"),
    [
        # plain DFS of threading.Barrier's two-generations takes two minutes: the slow tier
        pytest.param("threading:Barrier", "two-generations", 3, marks=pytest.mark.slow),
        pytest.param("threading:Barrier", "two-generations", 6, marks=pytest.mark.slow),
        ("barrierlab.impl.bugs.stale_generation:Barrier", "two-generations", 4),
        ("barrierlab.impl.sense_reversing:Barrier", "reset-one-waiter", 4),
    ],
)
def test_the_subtrees_together_reach_every_outcome_of_plain_dfs(spec, scenario, depth):
    _subtrees_reach_every_outcome(spec, scenario, depth, sleep=False)


@pytest.mark.parametrize(
    ("spec", "scenario", "depth"),
    [
        # plain DFS of these takes minutes: the slow tier
        pytest.param(
            "barrierlab.impl.bugs.stale_generation:Barrier",
            "two-generations",
            4,
            marks=pytest.mark.slow,
        ),
        pytest.param(
            "barrierlab.impl.bugs.abort_unlocked:Barrier",
            "abort-with-waiters",
            3,
            marks=pytest.mark.slow,
        ),
        ("barrierlab.impl.sense_reversing:Barrier", "reset-one-waiter", 4),
    ],
)
def test_the_subtrees_left_by_sleep_sets_still_reach_every_outcome(spec, scenario, depth):
    _subtrees_reach_every_outcome(spec, scenario, depth, sleep=True)


def test_sleep_sets_at_the_cut_keep_the_split_search_near_the_unsplit_one():
    # Four threads whose calls commute: without sleep sets every order of the first steps is
    # a subtree of its own, each searched without the others' reduction (6.6x the schedules).
    target = load_target("threading:Barrier")
    chosen = Scenario.build("s", parties=1, threads=["wait", "wait", "wait"])
    whole = DFSScheduler()
    _traces(target, chosen, SYNC, whole)
    split = 0
    for piece in pieces(target, chosen, SYNC, 3):
        dfs = DFSScheduler(sleep=piece.sleep)
        _traces(target, chosen, SYNC, PrefixedScheduler(piece.prefix, dfs))
        split += dfs.schedules
    assert whole.exhaustive and split <= whole.schedules * 1.2
    # Under a preemption bound nothing is left to a sibling: every prefix is a piece.
    bounded = Config(line_level=False, budget=600, preemption_bound=1)
    assert [p.prefix for p in pieces(target, chosen, bounded, 3)] == prefixes(
        target, chosen, SYNC, 3
    )


def test_prefixes_are_distinct_and_end_early_only_with_the_run():
    target = load_target("threading:Barrier")
    (chosen,) = select(["single-party"])
    cut = prefixes(target, chosen, SYNC, 50)
    assert len(cut) == len(set(cut)) >= 1
    assert all(len(p) < 50 for p in cut)  # single-party's runs are short: whole schedules
    assert prefixes(target, chosen, SYNC, 0) == [()]


def test_merge_adds_up_and_keeps_the_first_violation_in_prefix_order():
    target = "barrierlab.impl.bugs.index_duplicated:Barrier"
    with ThreadPoolExecutor(1) as pool:
        split = check_parallel(
            target,
            executor=pool,
            workers=1,
            scheduler="dfs",
            split_depth=3,
            scenarios=["two-generations"],
            line_level=False,
            budget=600,
        )
    (found,) = split.scenarios
    assert found.violation is not None and found.violation.rule == "R-INDEX"
    assert not found.exhaustive
    assert merge(found.scenario, []).schedules == 0


def test_the_merged_result_does_not_depend_on_the_workers():
    options = {
        "scheduler": "dfs",
        "split_depth": 3,
        "scenarios": ["two-generations", "reset-one-waiter"],
        "line_level": False,
        "budget": 600,
        "max_schedules": 40,
    }
    with ThreadPoolExecutor(1) as pool:
        one = check_parallel("threading:Barrier", executor=pool, workers=1, **options)
    two = check_parallel("threading:Barrier", workers=2, **options)
    assert _without_seconds(one) == _without_seconds(two)


def _without_seconds(result):
    return [{k: v for k, v in s.items() if k != "seconds"} for s in result.to_json()["scenarios"]]


def test_bad_split_settings_are_clear_errors(capsys):
    with pytest.raises(InvalidArgument, match="use the dfs scheduler"):
        check_parallel("threading:Barrier", split_depth=2, scenarios=["single-party"])
    with pytest.raises(InvalidArgument, match="split depth must be an integer >= 1"):
        check_parallel("threading:Barrier", scheduler="dfs", split_depth=0)
    assert main(["check", "threading:Barrier", "--split-depth", "2"]) == 2
    assert "use the dfs scheduler" in capsys.readouterr().err


def test_a_run_that_leaves_its_prefix_says_the_target_is_not_deterministic():
    target = load_target("threading:Barrier")
    (chosen,) = select(["two-generations"])
    scheduler = PrefixedScheduler([(5, False)], DFSScheduler())  # there is no thread 5
    scheduler.start()
    with pytest.raises(TargetError, match="is the target deterministic"):
        run_once(target, chosen, scheduler, SYNC)


def _resplit_runs(target, scenario, config, quantum, reduction=True):
    """Every run of a search that gives its shallowest untried branches away every
    ``quantum`` schedules (the pieces run one after another here, in the order a worker pool
    would start them), and how many times it gave work away."""
    runs = []
    queue = [((), DFSScheduler(reduction=reduction))]
    splits = 0
    while queue:
        prefix, dfs = queue.pop(0)
        scheduler = PrefixedScheduler(prefix, dfs)
        ran = 0
        while scheduler.start():
            run = run_once(target, scenario, scheduler, config)
            report_blocked(scheduler, run.pending)
            scheduler.finish(not run.finished)
            runs.append(run)
            ran += 1
            if ran % quantum == 0 and (given := dfs.split_off()):
                splits += 1
                queue.append((prefix, dfs))
                for path, sleep in given:
                    queue.append(((*prefix, *path), DFSScheduler(reduction=reduction, sleep=sleep)))
                break
        else:
            assert dfs.exhaustive
    return runs, splits


@pytest.mark.parametrize(
    ("spec", "scenario", "quantum"),
    [
        ("threading:Barrier", "reset-one-waiter", 3),
        ("barrierlab.impl.bugs.stale_generation:Barrier", "reset-one-waiter", 4),
        ("barrierlab.impl.sense_reversing:Barrier", "reset-one-waiter", 7),
    ],
)
def test_giving_branches_away_loses_no_outcome_of_plain_dfs(spec, scenario, quantum):
    target = load_target(spec)
    (chosen,) = select([scenario])
    every, ended = _traces(target, chosen, SYNC, DFSScheduler(reduction=False))
    assert ended
    runs, splits = _resplit_runs(target, chosen, SYNC, quantum)
    assert splits >= 2
    assert {(canonical(r.trace), r.outcome) for r in runs} == every


def test_without_reduction_the_pieces_run_every_schedule_exactly_once():
    target = load_target("threading:Barrier")
    (chosen,) = select(["reset-one-waiter"])
    serial, _ = _resplit_runs(target, chosen, SYNC, quantum=10**9, reduction=False)
    runs, splits = _resplit_runs(target, chosen, SYNC, quantum=3, reduction=False)
    assert splits >= 5
    schedules = sorted(tuple(c.key for c in r.choices) for r in runs)
    assert schedules == sorted(tuple(c.key for c in r.choices) for r in serial)
    assert len(set(schedules)) == len(schedules)


def test_nothing_is_given_away_by_a_finished_or_bounded_search():
    target = load_target("threading:Barrier")
    (chosen,) = select(["single-party"])
    done = DFSScheduler()
    _traces(target, chosen, SYNC, done)
    assert done.split_off() == []
    bounded = DFSScheduler(preemption_bound=1)
    bounded.start()
    run = run_once(target, chosen, bounded, SYNC)
    bounded.finish(not run.finished)
    assert bounded.split_off() == []


RESPLIT = {
    "scheduler": "dfs",
    "split_depth": 2,
    "scenarios": ["reset-one-waiter", "timeout"],
    "line_level": False,
    "budget": 600,
}


def test_a_resplit_check_reaches_what_the_serial_search_does():
    serial = api.check(
        "threading:Barrier", **{k: v for k, v in RESPLIT.items() if k != "split_depth"}
    )
    seen = []
    with ThreadPoolExecutor(1) as pool:
        split = check_parallel(
            "threading:Barrier", executor=pool, resplit_after=6, on_progress=seen.append, **RESPLIT
        )
    assert any(".1 " in line or ".1)" in line for line in seen)  # continuations ran
    for one, other in zip(serial.scenarios, split.scenarios, strict=True):
        assert other.exhaustive and one.exhaustive
        assert set(other.outcomes) == set(one.outcomes)
        # (not the spec edges: which of two adjacent calls comes first is one representative
        # each search picks, and it labels the edge; see _traces)
        assert other.rules == one.rules
        assert other.schedules >= one.schedules


def test_a_resplit_check_under_max_schedules_is_the_same_on_any_executor():
    options = {**RESPLIT, "max_schedules": 20, "resplit_after": 4}
    seen: list[str] = []
    with ThreadPoolExecutor(1) as pool:
        one = check_parallel(
            "threading:Barrier", executor=pool, workers=1, on_progress=seen.append, **options
        )
    assert any(".1)" in line for line in seen)  # work was given away
    two = check_parallel("threading:Barrier", workers=2, **options)
    assert _without_seconds(one) == _without_seconds(two)
    # the cap is shared out, not multiplied: a subtree runs at most max_schedules in all
    (first,) = select(["reset-one-waiter"])
    subtrees = len(prefixes(load_target("threading:Barrier"), first, SYNC, 2))
    assert one.scenarios[0].schedules <= 20 * subtrees
    assert not one.scenarios[0].exhaustive


def test_bad_resplit_settings_are_clear_errors():
    with pytest.raises(InvalidArgument, match="resplit_after must be an integer >= 0"):
        check_parallel("threading:Barrier", resplit_after=-1, **RESPLIT)
    with pytest.raises(InvalidArgument, match="resplit_seconds must be > 0"):
        check_parallel("threading:Barrier", resplit_seconds=0, **RESPLIT)


def test_a_negative_resplit_quantum_on_the_command_line_exits_2(capsys):
    argv = ["check", "threading:Barrier", "--scheduler", "dfs", "--split-depth", "1"]
    assert main([*argv, "--resplit-after", "-1", "--scenario", "single-party"]) == 2
    assert "--resplit-after must be >= 0" in capsys.readouterr().err
