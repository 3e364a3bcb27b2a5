"""The command line: help, version and usage errors."""

from __future__ import annotations

import subprocess
import sys

import pytest

from barrierlab.checker.cli.main import main


def _run(*args):
    return subprocess.run(
        [sys.executable, "-m", "barrierlab.checker.cli.main", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_version_prints_the_version():
    result = _run("--version")
    assert result.returncode == 0
    assert result.stdout.startswith("barrierlab ")


def test_help_lists_the_commands():
    result = _run("--help")
    assert result.returncode == 0
    assert "selftest" in result.stdout
    assert "Exit status" in result.stdout


def test_no_command_is_a_usage_error(capsys):
    assert main([]) == 2
    assert "usage" in capsys.readouterr().err


def test_unknown_command_is_a_usage_error_without_traceback():
    result = _run("no-such-command")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "invalid choice" in result.stderr


def test_selftest_runs(capsys):
    assert main(["selftest", "--parties", "3", "--generations", "2"]) == 0
    assert "ok:" in capsys.readouterr().out


@pytest.mark.parametrize("bad", [["--parties", "0"], ["--generations", "-1"]])
def test_selftest_rejects_bad_numbers(bad, capsys):
    assert main(["selftest", *bad]) == 2
    assert "must be >= 1" in capsys.readouterr().err
