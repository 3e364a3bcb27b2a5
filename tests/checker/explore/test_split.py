"""Splitting a scenario's search by schedule prefix loses no schedule and no outcome, and the
merged result does not depend on who ran the subtrees."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from reduction import canonical

from barrierlab.checker.cli.main import main
from barrierlab.checker.config import Config
from barrierlab.checker.explore.parallel import check_parallel
from barrierlab.checker.explore.scenario_catalogue import select
from barrierlab.checker.explore.split import merge, prefixes
from barrierlab.checker.runtime.launch import run_once
from barrierlab.checker.runtime.target import load_target
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


@pytest.mark.parametrize(
    ("spec", "scenario", "depth"),
    [
        ("threading:Barrier", "two-generations", 3),
        ("threading:Barrier", "two-generations", 6),
        ("barrierlab.impl.bugs.stale_generation:Barrier", "two-generations", 4),
        ("barrierlab.impl.sense_reversing:Barrier", "reset-one-waiter", 4),
    ],
)
def test_the_subtrees_together_reach_every_outcome_of_plain_dfs(spec, scenario, depth):
    target = load_target(spec)
    (chosen,) = select([scenario])
    every, ended = _traces(target, chosen, SYNC, DFSScheduler(reduction=False))
    assert ended
    found: set = set()
    cut = prefixes(target, chosen, SYNC, depth)
    assert len(cut) > 1
    for prefix in cut:
        part, part_ended = _traces(target, chosen, SYNC, PrefixedScheduler(prefix, DFSScheduler()))
        assert part_ended
        found |= part
    assert found == every


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
