"""The Dask executor, against a real LocalCluster: same results as a serial check, file targets
shipped, a dead worker's task retried (and one that kills every worker run supervised), clear
errors for a bad address or target."""

from __future__ import annotations

import sys
import time
import types

import pytest

from barrierlab.checker import api
from barrierlab.checker.cli.main import main
from barrierlab.checker.explore.cluster import check_on_dask, dask_executor
from barrierlab.checker.explore.portable import portable_target
from barrierlab.model.errors import InvalidArgument, TargetError

pytest.importorskip("distributed")

BUG = "barrierlab.impl.bugs.index_duplicated:Barrier"
THREE = ["two-generations", "single-party", "three-parties"]


def _same(j: dict) -> dict:
    """A check's JSON without the seconds (the only part allowed to differ)."""
    j = {k: v for k, v in j.items() if k != "seconds"}
    j["scenarios"] = [{k: v for k, v in s.items() if k != "seconds"} for s in j["scenarios"]]
    j["violations"] = [
        {k: v for k, v in s.items() if k != "seconds_to_find"} for s in j["violations"]
    ]
    return j


def test_a_local_cluster_gives_the_serial_result_under_max_schedules():
    said: list[str] = []
    options = {"max_schedules": 15, "budget": 300, "scenarios": THREE}
    spread = check_on_dask(BUG, workers=2, on_progress=said.append, **options)
    serial = api.check(BUG, **options)
    assert spread.verdict == "fail"
    assert _same(spread.to_json()) == _same(serial.to_json())
    assert len(said) == len(THREE) and all(s.startswith("[") for s in said)


BARRIER_FILE = """
import os
import threading

MARKER = {marker!r}


class Barrier(threading.Barrier):
    def wait(self, timeout=None):
        if MARKER and not os.path.exists(MARKER):
            open(MARKER, "w").close()
            os._exit(7)  # the first wait anywhere kills its worker process
        return super().wait(timeout)
"""


def test_a_file_target_is_shipped_and_keeps_the_users_spec(tmp_path):
    path = tmp_path / "mine.py"
    path.write_text(BARRIER_FILE.format(marker=""))
    spec = f"{path}:Barrier"
    assert portable_target(spec).source == path.read_text()
    result = check_on_dask(spec, workers=1, max_schedules=5, budget=300, scenarios=THREE[:1])
    assert result.target == spec and result.verdict == "pass"


def test_the_task_of_a_worker_that_died_is_retried(tmp_path):
    marker = tmp_path / "died-once"
    path = tmp_path / "dies.py"
    path.write_text(BARRIER_FILE.format(marker=str(marker)))
    result = check_on_dask(
        f"{path}:Barrier", workers=2, max_schedules=5, budget=300, scenarios=THREE
    )
    assert marker.exists()  # a worker did die
    assert [s.scenario.name for s in result.scenarios] == THREE  # and no result was lost
    assert result.verdict == "pass"


def test_a_task_that_kills_every_worker_runs_again_supervised_and_is_a_violation(capsys):
    """os.abort() cannot be caught in process: Dask gives up on the task (KilledWorker) after
    its retry, and the check runs it on this machine, supervised; the rest go on."""
    aborts = "barrierlab.impl.shapes.aborts:Barrier"
    scenarios = ["two-generations", "timeout"]
    found = check_on_dask(aborts, workers=2, max_schedules=10, budget=120, scenarios=scenarios)
    by_name = {s.scenario.name: s for s in found.scenarios}
    assert list(by_name) == scenarios
    crash = by_name["timeout"].violation
    assert crash is not None and crash.kind == "exit" and "signal SIGABRT" in crash.message
    assert by_name["two-generations"].violation is None
    assert by_name["two-generations"].schedules == 10
    assert "workers died" not in capsys.readouterr().err  # the check says it, not Dask's log


def test_a_bad_address_is_a_clear_error_in_bounded_time():
    started = time.monotonic()
    refused = pytest.raises(InvalidArgument, match="cannot reach a Dask scheduler at tcp://127")
    with refused, dask_executor(address="tcp://127.0.0.1:9", connect_timeout=1):
        pass
    assert time.monotonic() - started < 60
    malformed = pytest.raises(InvalidArgument, match="write it as tcp://HOST:PORT")
    with malformed, dask_executor(address="localhost:8786"):
        pass


def test_the_command_line_exits_2_on_a_bad_address(capsys):
    assert main(["check", "threading:Barrier", "--dask-address", "nonsense"]) == 2
    assert "bad Dask address" in capsys.readouterr().err
    assert (
        main(
            [
                "check",
                "threading:Barrier",
                "--executor",
                "processes",
                "--dask-address",
                "tcp://127.0.0.1:9",
            ]
        )
        == 2
    )


def test_a_target_the_workers_cannot_import_is_named(monkeypatch):
    module = types.ModuleType("only_here_barrierlab_test")
    module.Barrier = __import__("threading").Barrier
    monkeypatch.setitem(sys.modules, "only_here_barrierlab_test", module)
    with pytest.raises(TargetError, match="cannot be loaded on Dask worker"):
        check_on_dask("only_here_barrierlab_test:Barrier", workers=1, max_schedules=1)


def test_a_resplit_check_on_a_local_cluster_is_the_serial_split_check():
    from concurrent.futures import ThreadPoolExecutor

    from barrierlab.checker.explore.parallel import check_parallel

    options = {
        "scheduler": "dfs",
        "split_depth": 2,
        "resplit_after": 4,
        "max_schedules": 20,
        "budget": 300,
        "line_level": False,
        "scenarios": ["reset-one-waiter"],
    }
    said: list[str] = []
    spread = check_on_dask("threading:Barrier", workers=2, on_progress=said.append, **options)
    with ThreadPoolExecutor(1) as pool:
        serial = check_parallel("threading:Barrier", executor=pool, workers=1, **options)
    assert any(".1)" in line for line in said)  # subtrees were re-split on the cluster
    assert _same(spread.to_json()) == _same(serial.to_json())


def test_generated_scenarios_on_a_local_cluster_give_the_serial_json():
    from barrierlab.checker.explore.synthesis import Bounds

    options = {
        "max_schedules": 10,
        "budget": 300,
        "scenarios": ["single-party"],
        "synthesis": True,
        "bounds": Bounds(max_parties=2, max_threads=2, max_ops=1),
        "generated": 8,
    }
    bug = "barrierlab.impl.bugs.zero_timeout_forever:Barrier"
    spread = check_on_dask(bug, workers=2, **options)
    serial = api.check(bug, **options)
    assert spread.verdict == "fail" and serial.space is not None and serial.space.tried == 8
    assert _same(spread.to_json()) == _same(serial.to_json())
