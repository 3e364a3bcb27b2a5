"""The issue's command: `barrierlab check asyncio:Barrier` finds CPython's index reuse (on the
Pythons that have gh-155233), exits 1, and prints a counterexample and a replay command."""

from __future__ import annotations

import json
import sys

import pytest

from barrierlab.checker.cli.main import main


@pytest.mark.skipif(sys.version_info >= (3, 14), reason="gh-155233 may be fixed there")
def test_check_asyncio_barrier_finds_the_index_reuse(capsys):
    assert main(["check", "asyncio:Barrier", "--json", "--fail-fast", "--budget", "60"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["profile"] == "asyncio"
    violation = data["violations"][0]
    assert (violation["rule"], violation["kind"]) == ("A-INDEX", "spec")
    assert "CancelledError" in violation["message"]
    assert main(["replay", violation["token"]]) == 1
    text = capsys.readouterr().out
    assert "VIOLATION of A-INDEX" in text and "wait raises CancelledError" in text


def test_check_the_asyncio_reference_passes(capsys):
    args = ["check", "barrierlab.impl.asyncio_reference:Barrier", "--json", "--max-schedules", "40"]
    assert main(args) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["profile"] == "asyncio" and data["verdict"] == "pass"
    assert {s["name"] for s in data["scenarios"]} >= {"aio-cancel-reuse", "aio-reset"}


def test_accept_and_spec_take_the_asyncio_profile(tmp_path, capsys):
    events = [
        {"kind": "call", "tid": 0, "op": "wait", "timeout": None, "time": 0},
        {"kind": "call", "tid": 1, "op": "wait", "timeout": None, "time": 0},
        {"kind": "raise", "tid": 0, "op": "wait", "error": "CancelledError", "time": 0},
        {"kind": "call", "tid": 2, "op": "wait", "timeout": None, "time": 0},
        {"kind": "return", "tid": 2, "op": "wait", "value": 1, "time": 0},
        {"kind": "return", "tid": 1, "op": "wait", "value": 1, "time": 0},
    ]
    path = tmp_path / "run.json"
    path.write_text(json.dumps({"parties": 2, "trace": events}))
    assert main(["accept", str(path), "--profile", "asyncio"]) == 1
    assert "VIOLATION of A-INDEX" in capsys.readouterr().out
    events[-1]["value"] = 0
    path.write_text(json.dumps({"parties": 2, "trace": events}))
    assert main(["accept", str(path), "--profile", "asyncio"]) == 0
    capsys.readouterr()
    args = ["spec", "--parties", "2", "--threads", "wait", "wait", "--profile", "asyncio"]
    assert main([*args, "--format", "summary"]) == 0
    assert "asyncio spec" in capsys.readouterr().out
