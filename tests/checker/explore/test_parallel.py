"""check_parallel: the merged result of a check split over processes equals the serial one."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from barrierlab.checker import api
from barrierlab.checker.explore.generated import matched_count
from barrierlab.checker.explore.parallel import check_parallel
from barrierlab.checker.explore.search import ScenarioResult
from barrierlab.checker.explore.synthesis import Bounds
from barrierlab.model.errors import InvalidArgument

SCENARIOS = ["two-generations", "timeout", "reset-one-waiter", "abort-with-waiters"]


def _found(s: ScenarioResult) -> tuple:
    """Everything the search of one scenario decides, without the seconds."""
    return (
        s.scenario.name,
        s.schedules,
        s.steps,
        s.exhaustive,
        sorted(s.rules),
        sorted(map(repr, s.edges)),
        dict(s.outcomes),
        None if s.violation is None else (s.violation.rule, s.violation.token),
    )


def _shape(result: api.CheckResult) -> list[tuple]:
    """Everything a check decides, without the seconds."""
    return [_found(s) for s in result.scenarios]


@pytest.mark.parametrize(
    "spec",
    ["barrierlab.impl.reference:Barrier", "barrierlab.impl.bugs.reset_keeps_count:Barrier"],
)
def test_two_processes_give_the_serial_result_when_stopping_by_max_schedules(spec):
    kwargs = {"scenarios": SCENARIOS, "max_schedules": 25, "budget": 600, "seed": 3}
    serial = api.check(spec, **kwargs)
    parallel = check_parallel(spec, workers=2, **kwargs)
    assert _shape(parallel) == _shape(serial)
    assert (parallel.verdict, parallel.schedules, parallel.target) == (
        serial.verdict,
        serial.schedules,
        serial.target,
    )


def test_any_executor_and_any_scheduler_merge_in_scenario_order():
    kwargs = {"scenarios": SCENARIOS[::-1], "max_schedules": 10, "budget": 600}
    for scheduler in ("random", "dfs"):
        serial = api.check("threading:Barrier", scheduler=scheduler, **kwargs)
        # One thread: the runtime controls a whole process, so one check per process at a time.
        with ThreadPoolExecutor(1) as pool:
            merged = check_parallel(
                "threading:Barrier", executor=pool, workers=2, scheduler=scheduler, **kwargs
            )
        assert [s.scenario.name for s in merged.scenarios] == SCENARIOS[::-1]
        assert _shape(merged) == _shape(serial)


def test_fail_fast_keeps_the_scenarios_up_to_the_first_violation():
    with ThreadPoolExecutor(1) as pool:
        result = check_parallel(
            "barrierlab.impl.bugs.index_duplicated:Barrier",
            executor=pool,
            workers=1,
            scenarios=["single-party", "two-generations", "timeout"],
            fail_fast=True,
            max_schedules=50,
        )
    assert result.verdict == "fail"
    assert result.scenarios[-1].violation is not None
    assert [s.scenario.name for s in result.scenarios][:1] == ["single-party"]


class _Recording(ThreadPoolExecutor):
    """One thread; remembers the stop each task was given."""

    def __init__(self) -> None:
        super().__init__(1)
        self.stops: list = []

    def submit(self, fn, /, *args, **kwargs):
        self.stops.append(fn.keywords.get("stop"))
        return super().submit(fn, *args, **kwargs)


@pytest.mark.parametrize("fail_fast", [True, False])
def test_the_stop_signal_reaches_the_tasks_only_to_fail_fast(fail_fast):
    with _Recording() as pool:
        check_parallel(
            "threading:Barrier",
            executor=pool,
            workers=1,
            stop=threading.Event(),
            scenarios=["single-party", "two-generations"],
            fail_fast=fail_fast,
            max_schedules=5,
        )
    assert len(pool.stops) == 2
    # without fail_fast nothing sets it, and asking a cluster's costs a round trip per task
    assert all((stop is not None) == fail_fast for stop in pool.stops)


@pytest.mark.parametrize("workers", [0, -1, 1.5])
def test_bad_worker_counts_raise_invalid_argument(workers):
    with pytest.raises(InvalidArgument, match="workers"):
        check_parallel("threading:Barrier", workers=workers, scenarios=["single-party"])


def test_the_check_command_spreads_over_jobs(capsys):
    import json

    from barrierlab.checker.cli.main import main

    argv = ["check", "threading:Barrier", "--scenario", "single-party", "--scenario", "timeout"]
    assert main([*argv, "--jobs", "2", "--max-schedules", "20", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert [s["name"] for s in shown["scenarios"]] == ["single-party", "timeout"]
    assert main([*argv, "--jobs", "0"]) == 2
    assert "--jobs must be >= 1" in capsys.readouterr().err


def test_a_shipped_asyncio_file_target_runs_the_asyncio_scenarios_under_the_asyncio_profile(
    tmp_path,
):
    # A path/file.py:Name target is shipped to the workers as its source (what a check on a
    # Dask cluster does with a file target); it must still be routed like a module target:
    # the asyncio profile, the asyncio scenarios, the event-loop runtime.
    from pathlib import Path

    from barrierlab.checker.explore.portable import portable_target
    from barrierlab.checker.runtime.aio.scenarios import ASYNC_SCENARIOS
    from barrierlab.impl import asyncio_reference

    source = Path(asyncio_reference.__file__).read_text()
    (tmp_path / "myaio.py").write_text(source)
    target = portable_target(f"{tmp_path / 'myaio.py'}:Barrier")
    with ThreadPoolExecutor(1) as pool:
        result = check_parallel(target, executor=pool, workers=1, max_schedules=5, budget=600)
    assert result.profile == "asyncio"
    assert [s.scenario.name for s in result.scenarios] == list(ASYNC_SCENARIOS)
    assert result.verdict == "pass", [s.violation for s in result.scenarios if s.violation]


def test_a_shipped_asyncio_bug_is_found_with_its_asyncio_rule(tmp_path):
    from pathlib import Path

    from barrierlab.checker.explore.portable import portable_target
    from barrierlab.impl.aio_bugs import index_at_arrival

    (tmp_path / "mybug.py").write_text(Path(index_at_arrival.__file__).read_text())
    target = portable_target(f"{tmp_path / 'mybug.py'}:Barrier")
    with ThreadPoolExecutor(1) as pool:
        result = check_parallel(
            target, executor=pool, scenarios=["aio-cancel-reuse"], max_schedules=300, budget=600
        )
    found = result.scenarios[0].violation
    assert found is not None and found.rule == "A-INDEX"


def _same(j: dict) -> dict:
    """A check's JSON without the seconds (the only part allowed to differ)."""
    j = {k: v for k, v in j.items() if k != "seconds"}
    j["scenarios"] = [{k: v for k, v in s.items() if k != "seconds"} for s in j["scenarios"]]
    j["violations"] = [
        {k: v for k, v in s.items() if k != "seconds_to_find"} for s in j["violations"]
    ]
    return j


SMALL = Bounds(max_parties=2, max_threads=2, max_ops=2)


@pytest.mark.parametrize(
    ("spec", "fails"),
    [
        ("barrierlab.impl.bugs.zero_timeout_forever:Barrier", True),
        ("barrierlab.impl.reference:Barrier", False),
    ],
)
def test_generated_scenarios_spread_over_processes_give_the_serial_json(spec, fails):
    """Synthesis by count (max_schedules): the generated scenarios are tasks like the
    catalogue's, merged in index order, shrunk where they are gathered: the same JSON."""
    kwargs = {
        "scenarios": ["single-party"],
        "synthesis": True,
        "bounds": SMALL,
        "generated": 12,
        "max_schedules": 10,
        "budget": 600,
    }
    serial = api.check(spec, **kwargs)
    parallel = check_parallel(spec, workers=2, **kwargs)
    assert serial.space is not None and serial.space.tried == 12
    assert (serial.verdict == "fail") is fails
    if fails:  # a generated scenario failed, and it is shown shrunk
        assert serial.space.failed >= 1 and serial.scenarios[-1].violation is not None
    assert _same(parallel.to_json()) == _same(serial.to_json())


def test_generated_scenarios_by_time_spread_over_workers():
    with ThreadPoolExecutor(1) as pool:
        result = check_parallel(
            "barrierlab.impl.bugs.zero_timeout_forever:Barrier",
            executor=pool,
            workers=1,
            scenarios=["single-party"],
            synthesis=True,
            bounds=SMALL,
            budget=6,
        )
    space = result.space
    assert space is not None and space.limit is None and space.tried >= 2
    assert space.failed >= 1 and result.verdict == "fail"
    shown = [s for s in result.scenarios if s.scenario.name != "single-party"]
    assert shown and all(s.violation is not None for s in shown)


def test_synthesis_is_off_in_parallel_when_asked_or_when_scenarios_are_given():
    with ThreadPoolExecutor(1) as pool:
        off = check_parallel(
            "threading:Barrier", executor=pool, scenarios=["single-party"], max_schedules=5
        )
        assert off.space is None
        by_flag = check_parallel(
            "threading:Barrier", executor=pool, synthesis=False, max_schedules=2, budget=60
        )
        assert by_flag.space is None


def test_a_check_by_count_given_no_count_runs_as_many_generated_scenarios_as_schedules_pay_for():
    kwargs: dict = {
        "scenarios": ["single-party", "two-generations"],
        "synthesis": True,
        "bounds": SMALL,
        "max_schedules": 36,
    }
    expected = matched_count(2, 36)  # 2 x 36 schedules: 3 probes of 24
    serial = api.check("threading:Barrier", **kwargs)
    with ThreadPoolExecutor(1) as pool:
        parallel = check_parallel("threading:Barrier", executor=pool, workers=1, **kwargs)
    for result in (serial, parallel):
        assert result.space is not None
        assert result.space.limit == expected == 3
        assert result.space.tried == expected


def test_hypothesis_in_parallel_draws_from_the_generated_space_after_the_given_scenarios():
    def run(spec: str):
        with ThreadPoolExecutor(1) as pool:
            return check_parallel(
                spec,
                executor=pool,
                workers=1,
                scheduler="hypothesis",
                scenarios=["single-party"],
                synthesis=True,
                bounds=SMALL,
                budget=8,
            )

    bug = run("barrierlab.impl.bugs.zero_timeout_forever:Barrier")
    assert bug.verdict == "fail"  # the catalogue's single-party does not show it: the space does
    assert bug.space is not None and bug.space.tried >= 1 and bug.space.failed == 1
    assert bug.scenarios[0].scenario.name == "single-party" and bug.scenarios[0].violation is None
    shown = bug.scenarios[-1].violation
    assert shown is not None and shown.scenario.n_threads == 1  # shrunk, as serially
    correct = run("threading:Barrier")
    assert correct.verdict == "pass"
    assert correct.space is not None and correct.space.tried > 1 and correct.space.failed == 0
