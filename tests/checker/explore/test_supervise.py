"""Supervised checks: a target that crashes the process for real (``os.abort()``: SIGABRT, no
in-process patch can stop it) is a violation with a token, the check goes on with the other
scenarios, and the token's replay (in a worker process too) shows the same.

Measured here (2 shared cores, load about 10): a supervised check costs 0.7 to 1.3 s more
than the same check in process (a fresh interpreter and the target's import).
"""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from barrierlab.checker import api
from barrierlab.checker.explore.token import Token
from barrierlab.checker.report.checks import Settings, run
from barrierlab.model.errors import InvalidArgument

ABORTS = "barrierlab.impl.shapes.aborts:Barrier"
SCENARIOS = ["two-generations", "timeout", "three-parties"]


@pytest.fixture(scope="module")
def result():
    return api.check(ABORTS, scenarios=SCENARIOS, budget=8, supervised=True)


def test_a_crash_is_a_violation_and_the_other_scenarios_are_checked(result):
    exits = [v for v in result.violations if v.kind == "exit"]
    assert [v.scenario.name for v in exits] == ["timeout"]
    assert "the target ended the process (signal SIGABRT) in scenario timeout" in exits[0].message
    checked = {s.scenario.name: s for s in result.scenarios}
    assert set(checked) == set(SCENARIOS)
    assert checked["two-generations"].violation is None and checked["two-generations"].schedules


def test_the_token_says_the_schedule_ended_its_process_and_replays_the_same(result):
    violation = next(v for v in result.violations if v.kind == "exit")
    token = Token.decode(violation.token)
    assert token.ended_process and len(token.choices) == violation.result.steps > 0
    replayed = api.replay(violation.token)
    assert replayed.status == "reproduced" and replayed.judgement.kind == "exit"
    assert "signal SIGABRT" in replayed.judgement.message


def test_the_command_line_reports_it_and_goes_on():
    done = subprocess.run(
        [sys.executable, "-m", "barrierlab.checker.cli.main", "check", ABORTS, "--budget", "6"]
        + [arg for name in SCENARIOS for arg in ("--scenario", name)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 1, done.stderr
    assert "the target ended the process (signal SIGABRT) in scenario timeout" in done.stdout
    assert re.search(r"^ok +two-generations", done.stdout, re.M)


def test_a_supervised_check_needs_a_target_another_process_can_load():
    class Local:
        def __init__(self, parties):
            pass

        def wait(self):
            pass

    with pytest.raises(InvalidArgument, match="supervised"):
        api.check(Local, supervised=True)


def test_a_report_survives_the_target_ending_the_process_and_matches_in_process():
    settings = Settings(scenarios=("timeout", "single-party"), max_schedules=20)
    (report,) = run([ABORTS], settings)  # supervised by default
    (result,) = report["results"]
    assert result["verdict"] == "fail"
    assert [v["kind"] for v in result["violations"]] == ["exit"]
    assert "signal SIGABRT" in result["violations"][0]["message"]
    # a target that does not end the process gets the very record it gets in process
    same = "barrierlab.impl.bugs.index_off_by_one:Barrier"
    assert run([same], settings) == run([same], settings, supervised=False)


def test_a_parallel_check_survives_a_worker_that_the_target_ended():
    from barrierlab.checker.explore.parallel import check_parallel

    found = check_parallel(ABORTS, workers=2, scenarios=SCENARIOS, max_schedules=30, budget=60)
    by_name = {s.scenario.name: s for s in found.scenarios}
    assert list(by_name) == SCENARIOS  # in scenario order, every one judged
    crash = by_name["timeout"].violation
    assert crash is not None and crash.kind == "exit" and "signal SIGABRT" in crash.message
    assert by_name["two-generations"].violation is None
    assert by_name["two-generations"].schedules == 30
    assert api.replay(crash.token).judgement.kind == "exit"


def test_a_parallel_search_of_the_space_survives_a_worker_that_the_target_ended():
    from barrierlab.checker.explore.parallel import check_parallel
    from barrierlab.checker.explore.synthesis import Bounds

    found = check_parallel(
        ABORTS,
        workers=2,
        scheduler="hypothesis",
        scenarios=["single-party"],  # it never raises: the space's first broken wait aborts
        synthesis=True,
        bounds=Bounds(max_parties=2, max_threads=2, max_ops=2),
        budget=20,
    )
    assert found.scenarios[0].violation is None
    crash = found.scenarios[-1].violation
    assert crash is not None and crash.kind == "exit" and "signal SIGABRT" in crash.message
    assert found.space is not None and found.space.failed == 1 and found.space.tried >= 1


def test_a_supervised_search_of_the_space_does_not_run_a_scenario_that_crashed_again():
    from barrierlab.checker.explore.synthesis import Bounds, key

    found = api.check(
        ABORTS,
        scheduler="hypothesis",
        scenarios=["single-party"],
        synthesis=True,
        bounds=Bounds(max_parties=2, max_threads=2, max_ops=2),
        budget=10,
        supervised=True,
    )
    crashed = [s for s in found.scenarios if s.violation is not None]
    assert len(crashed) >= 2  # each restart's search finds a crash of its own
    assert len({key(s.scenario) for s in crashed}) == len(crashed)
