"""Thread pools the target makes (``concurrent.futures.ThreadPoolExecutor``) run under control:
their workers are further threads of the run, and nothing is printed at exit. A pool made at
import is lent to each run afresh and given back as it was."""

from __future__ import annotations

import concurrent.futures.thread as pool_module
import subprocess
import sys
from pathlib import Path

import pytest

from barrierlab.checker import api
from barrierlab.checker.config import Config
from barrierlab.checker.runtime.target import load_target

POOLS = Path(__file__).parents[2] / "support" / "pools.py"
SCENARIOS = ["two-generations", "three-parties"]


def _check(name):
    config = Config(budget=20, max_schedules=40)
    return api.check(f"{POOLS}:{name}", scenarios=SCENARIOS, config=config)


@pytest.mark.parametrize("name", ["PoolReleases", "KeptPool", "ImportedPool"])
def test_a_correct_barrier_using_a_pool_passes(name):
    result = _check(name)
    assert result.verdict == "pass", [(v.kind, v.message) for v in result.violations]
    assert result.schedules > 40  # runs ended by themselves, not by the watchdog
    assert not any(s.outcomes.get("uncontrolled") for s in result.scenarios)


@pytest.mark.parametrize("name", ["PoolForgets", "ImportedPoolForgets"])
def test_a_bug_in_the_pools_job_is_found_under_its_rule(name):
    result = _check(name)
    assert {v.rule for v in result.violations} == {"R-RELEASE-ALL"}


def test_a_pool_made_at_import_is_given_back_as_it_was_and_its_tokens_replay():
    spec = f"{POOLS}:ImportedPoolForgets"
    pool = sys.modules[load_target(spec).factory.__module__]._MODULE_POOL
    before = {name: pool.__dict__[name] for name in ("_work_queue", "_threads", "_shutdown_lock")}
    result = _check("ImportedPoolForgets")
    assert {name: pool.__dict__[name] for name in before} == before  # the very objects
    assert not pool._threads  # no worker of a run was left in it
    token = result.violations[0].token
    first, again = api.replay(token), api.replay(token)
    assert first.status == again.status == "reproduced"
    assert first.run.choices == again.run.choices
    assert pool.submit(int, "7").result(timeout=10) == 7  # and it works outside a run


def test_no_pool_worker_of_a_run_is_left_for_the_exit_hook():
    _check("KeptPool")
    assert not [t for t in pool_module._threads_queues if "_barrierlab_worker" in t.__dict__]


def test_nothing_is_printed_at_interpreter_exit():
    code = (
        "from barrierlab.checker import api\n"
        f"r = api.check({str(POOLS) + ':KeptPool'!r}, scenarios=['two-generations'], "
        "max_schedules=10)\n"
        "assert r.verdict == 'pass', r.violations\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
