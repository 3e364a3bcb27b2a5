"""Scenario files (TOML and JSON) and the custom-scenario options of check and report."""

from __future__ import annotations

import json

import pytest

from barrierlab.checker.cli.main import main
from barrierlab.checker.explore.scenario_file import load_scenarios
from barrierlab.model.errors import InvalidArgument

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


def test_toml_and_json_give_the_same_scenarios(tmp_path):
    toml = tmp_path / "s.toml"
    toml.write_text(TOML)
    from_toml = load_scenarios(toml)
    data = {"scenarios": [s.to_json() for s in from_toml]}
    (tmp_path / "s.json").write_text(json.dumps(data))
    assert load_scenarios(tmp_path / "s.json") == from_toml
    (tmp_path / "list.json").write_text(json.dumps(data["scenarios"]))
    assert load_scenarios(tmp_path / "list.json") == from_toml
    assert [s.name for s in from_toml] == ["zero", "scenario-2"]
    assert from_toml[1].to_args() == (
        '--parties 1 --threads "wait wait" "abort" --timeout 0.5 --action raise@2'
    )


@pytest.mark.parametrize(
    "text, suffix, message",
    [
        ("[[scenario]]\nparties = 2\n", ".toml", "missing 'threads'"),
        ("[[scenario]]\nparties = 2\nthreads = ['jump']\n", ".toml", "unknown step 'jump'"),
        ("[[scenario]]\nparties = 'two'\nthreads = ['wait']\n", ".toml", "must be an integer"),
        ("[[scenario]]\nparties = 2\nthreads = 'wait'\n", ".toml", "list of program strings"),
        ("[[scenario]]\nparties = 2\nthreads = ['wait']\nmood = 1\n", ".toml", "unknown key"),
        ("parties = 2\n", ".toml", "no [[scenario]] table"),
        ("[[scenario]\n", ".toml", "not valid toml"),
        ("{}", ".json", "expected a 'scenarios' list"),
        ("[]", ".json", "non-empty list"),
        ("[{,]", ".json", "not valid json"),
        ('[{"parties": 0, "threads": ["wait"]}]', ".json", "parties must be >= 1"),
        (
            '[{"name": "a", "parties": 2, "threads": ["wait"]}, '
            '{"name": "a", "parties": 2, "threads": ["wait"]}]',
            ".json",
            "used twice",
        ),
    ],
)
def test_bad_files_raise_invalid_argument_naming_the_problem(tmp_path, text, suffix, message):
    path = tmp_path / f"bad{suffix}"
    path.write_text(text)
    with pytest.raises(InvalidArgument, match=message.replace("[", r"\[")):
        load_scenarios(path)


def test_a_missing_file_is_invalid_argument(tmp_path):
    with pytest.raises(InvalidArgument, match="cannot read scenario file"):
        load_scenarios(tmp_path / "none.toml")


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
