"""Scenario files: TOML and JSON, and their errors."""

from __future__ import annotations

import json

import pytest

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
