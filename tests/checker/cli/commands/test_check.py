"""The command-line contract of check and replay (exit statuses, JSON shape, replay identity)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace

import pytest
from scripted import styles_spec

from barrierlab.checker import api
from barrierlab.checker.cli.main import main

BUG = f"{styles_spec('LockImportedByName')}"  # reset/abort do nothing: R-RESET / R-ABORT


def _cli(*args, env=None):
    return subprocess.run(
        [sys.executable, "-m", "barrierlab.checker.cli.main", *args],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **(env or {})},
    )


def test_check_passes_threading_barrier_on_a_scenario(capsys):
    assert main(["check", "threading:Barrier", "--scenario", "two-generations"]) == 0
    text = capsys.readouterr().out
    assert "PASS" in text and "exhaustive" in text


def test_check_json_has_the_contract_fields(capsys):
    status = main(["check", BUG, "--scenario", "abort-with-waiters", "--json", "--no-line-level"])
    data = json.loads(capsys.readouterr().out)
    assert status == 1
    assert {"target", "profile", "verdict", "exhaustive", "schedules", "violations"} <= set(data)
    assert data["verdict"] == "fail" and data["profile"] == "documented"
    v = data["violations"][0]
    assert {"rule", "kind", "scenario", "token", "message", "trace"} <= set(v)
    assert v["kind"] in ("spec", "deadlock")
    assert v["scenario"] == "abort-with-waiters"


@pytest.mark.parametrize(
    "args, message",
    [
        (["check", "no_such_module_xyz:Barrier"], "cannot import module"),
        (["check", "threading:NoSuchName"], "has no attribute"),
        (["check", "threading"], "bad target"),
        (["check", "threading:Barrier", "--scenario", "nope"], "unknown scenario"),
        (["check", "threading:Barrier", "--budget", "0"], "budget must be > 0"),
        (["check", "/no/such/file.py:Barrier"], "no such file"),
        (["replay", "bl1-garbage"], "token"),
        (["replay", "not a token at all"], "token"),
    ],
)
def test_bad_input_is_exit_2_with_one_clear_line(args, message, capsys):
    assert main(args) == 2
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err


def test_a_target_that_is_not_barrier_like_is_exit_2(capsys):
    assert main(["check", styles_spec("NotBarrierLike")]) == 2
    assert "not barrier-like" in capsys.readouterr().err


def test_replay_reproduces_the_same_trace_in_another_process_and_hash_seed():
    result = api.check(BUG, scenarios=["abort-with-waiters"], line_level=False, budget=20)
    violation = result.violations[0]
    for seed in ("0", "12345"):
        run = _cli("replay", violation.token, "--json", env={"PYTHONHASHSEED": seed})
        assert run.returncode == 1, run.stderr
        data = json.loads(run.stdout)
        assert data["status"] == "reproduced"
        assert data["rule"] == violation.rule
        assert data["trace"] == violation.to_json()["trace"]


def test_replay_prints_the_counterexample_and_command(capsys):
    result = api.check(BUG, scenarios=["abort-with-waiters"], line_level=False, budget=20)
    token = result.violations[0].token
    assert main(["replay", token]) == 1
    text = capsys.readouterr().out
    assert "VIOLATION of" in text and f"barrierlab replay {token}" in text


def test_replay_of_a_fixed_target_says_it_did_not_reproduce(capsys):
    result = api.check(BUG, scenarios=["abort-with-waiters"], line_level=False, budget=20)
    from barrierlab.checker.explore.token import Token

    fixed = replace(Token.decode(result.violations[0].token), target="threading:Barrier")
    assert main(["replay", fixed.encode()]) == 0
    assert "did not reproduce" in capsys.readouterr().out


def test_a_spinning_target_is_a_livelock_verdict(capsys):
    spinner = styles_spec("Spinner")
    status = main(
        ["check", spinner, "--scenario", "two-generations", "--json", "--max-schedules", "3"]
    )
    data = json.loads(capsys.readouterr().out)
    assert status == 1
    assert data["violations"][0]["kind"] == "livelock"


def test_a_target_blocked_on_a_real_lock_is_an_uncontrolled_verdict(capsys):
    blocks = styles_spec("BlocksOnRealLock")
    options = ["--json", "--no-line-level", "--max-schedules", "1"]
    status = main(["check", blocks, "--scenario", "two-generations", *options])
    data = json.loads(capsys.readouterr().out)
    assert status == 1
    violation = data["violations"][0]
    assert violation["kind"] == "uncontrolled"
    assert "outside barrierlab's control" in violation["message"]


def test_a_crashing_target_is_a_crash_verdict_with_its_traceback(capsys):
    status = main(["check", styles_spec("Crashes"), "--scenario", "single-party", "--json"])
    data = json.loads(capsys.readouterr().out)
    assert status == 1
    violation = data["violations"][0]
    assert violation["kind"] == "crash"
    assert "ValueError: not a barrier error" in violation["crash"]


@pytest.mark.parametrize("profile", ["documented", "cpython"])
@pytest.mark.parametrize("spec", ["threading:Barrier", "barrierlab.impl.reference:Barrier"])
def test_cpython_and_the_reference_conform_on_small_scenarios(spec, profile):
    small = ["action-fails", "timeout", "reset-one-waiter", "abort-before-wait", "single-party"]
    result = api.check(
        spec, profile=profile, scenarios=small, scheduler="dfs", budget=60, line_level=False
    )
    assert result.verdict == "pass", [v.message for v in result.violations]
    assert result.exhaustive


def test_the_hypothesis_scheduler_finds_a_lost_wakeup_and_its_token_replays():
    result = api.check(
        "barrierlab.impl.bugs.notify_one_release:Barrier",
        scheduler="hypothesis",
        scenarios=["three-parties"],
        line_level=False,
    )
    violation = result.violations[0]
    assert violation.kind == "deadlock" and violation.rule == "R-RELEASE-ALL"
    replayed = api.replay(violation.token)
    assert replayed.status == "reproduced" and replayed.run.trace == violation.trace


def test_check_with_a_schedule_cap_is_deterministic_across_processes_and_hash_seeds():
    args = ["check", BUG, "--json", "--max-schedules", "40", "--seed", "7", "--budget", "600"]
    args += ["--scenario", "abort-with-waiters", "--scenario", "two-generations"]
    runs = [_cli(*args, env={"PYTHONHASHSEED": seed}) for seed in ("1", "999")]
    data = [json.loads(r.stdout) for r in runs]
    for d in data:
        d.pop("seconds")
        for s in d["scenarios"]:
            s.pop("seconds")
        for v in d["violations"]:
            v.pop("seconds_to_find")
    assert data[0] == data[1]
    assert data[0]["violations"], "the scenario set must show the bug"


def test_broken_error_is_carried_by_the_token_to_a_fresh_process():
    # Told that the error class is threading's, a barrier raising its own (a RuntimeError
    # subclass) crashes under R-ERROR-TYPE; replayed without being told, it would pass.
    spec = "barrierlab.impl.shapes.own_error:Barrier"
    result = api.check(
        spec, scenarios=["timeout"], budget=5, broken_error="threading:BrokenBarrierError"
    )
    assert result.violations[0].rule == "R-ERROR-TYPE"
    replayed = _cli("replay", result.violations[0].token)
    assert replayed.returncode == 1, replayed.stdout + replayed.stderr
    assert "R-ERROR-TYPE" in replayed.stdout


def test_a_scenario_the_budget_left_no_schedule_for_is_not_called_ok(capsys):
    from barrierlab.checker.cli.commands.check import _print_table
    from barrierlab.checker.explore.search import ScenarioResult

    result = api.check("threading:Barrier", scenarios=["single-party", "timeout"], budget=5)
    result.scenarios[1] = ScenarioResult(result.scenarios[1].scenario, schedules=0)
    capsys.readouterr()
    _print_table(result)
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("ok   single-party")
    assert lines[1].startswith("--   timeout") and "not run: the budget ran out" in lines[1]
    assert "1 scenario(s) not run" in lines[-1]
