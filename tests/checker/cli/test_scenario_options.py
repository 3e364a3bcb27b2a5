"""The scenario options of check and report: custom scenarios, files, synthesis bounds."""

from __future__ import annotations

import json

import pytest

from barrierlab.checker.cli.main import main
from barrierlab.checker.explore.scenario_catalogue import SCENARIOS

TOML = """
[[scenario]]
name = "zero"
parties = 2
threads = ["wait(0)"]

[[scenario]]
parties = 1
threads = ["wait wait", "abort"]
timeout = 0.5
action = "raise@2"
"""


@pytest.mark.parametrize(
    "args, message",
    [
        (["--parties", "0", "--threads", "wait"], "parties must be >= 1"),
        (["--threads", "wait(x)"], "bad timeout"),
        (["--threads", "fly"], "unknown step"),
        (["--threads", "wait", "--action", "boom"], "bad action"),
        (["--threads", "wait", "--timeout", "-1"], "timeout must be finite"),
        (["--action", "ok"], "give its programs with --threads"),
        (["--threads", " "], "a program is empty"),
        (["--scenario-file", "/no/such.toml"], "cannot read scenario file"),
        (["--max-ops", "0"], "--max-ops must be >= 1"),
    ],
)
def test_check_rejects_bad_custom_scenarios_with_exit_2(capsys, args, message):
    assert main(["check", "threading:Barrier", *args]) == 2
    assert message in capsys.readouterr().err


def test_check_runs_a_custom_scenario_and_says_how_to_rerun_it(capsys):
    bug = "barrierlab.impl.bugs.zero_timeout_forever:Barrier"
    assert main(["check", bug, "--threads", "wait(0)", "--budget", "10"]) == 1
    text = capsys.readouterr().out
    assert "VIOLATION" in text
    assert f'rerun this scenario: barrierlab check {bug} --parties 2 --threads "wait(0)"' in text
    assert "generated scenarios" not in text  # given scenarios: no synthesis


def test_check_runs_a_scenario_file_beside_a_named_scenario(tmp_path, capsys):
    path = tmp_path / "s.toml"
    path.write_text(TOML)
    args = ["check", "threading:Barrier", "--scenario", "timeout", "--scenario-file", str(path)]
    assert main([*args, "--budget", "10", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [s["name"] for s in data["scenarios"]] == ["timeout", "zero", "scenario-2"]
    assert data["synthesis"] is None


def test_report_takes_a_custom_scenario(tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    args = ["report", "threading:Barrier", "--out", str(out), "--max-schedules", "5"]
    assert main([*args, "--parties", "2", "--threads", "wait(0)", "wait"]) == 0
    data = json.loads((out / "threading-Barrier.json").read_text())
    assert "custom" in json.dumps(data)


def test_a_default_check_says_how_much_of_the_space_it_covered(capsys):
    args = ["check", "threading:Barrier", "--budget", "4", "--max-parties", "2", "--json"]
    assert main([*args, "--max-threads", "2", "--max-ops", "1"]) == 0
    data = json.loads(capsys.readouterr().out)
    space = data["synthesis"]
    assert space["bounds"] == {"max_parties": 2, "max_threads": 2, "max_ops": 1}
    assert space["tried"] >= 1 and space["failed"] == 0
    assert space["tried"] == space["exhausted"] + space["sampled"]
    assert len(data["scenarios"]) == len(SCENARIOS)  # the catalogue; passing generated: counted


def test_no_synthesis_runs_the_catalogue_only(capsys):
    args = ["check", "threading:Barrier", "--budget", "2", "--no-synthesis", "--json"]
    assert main(args) == 0
    assert json.loads(capsys.readouterr().out)["synthesis"] is None
