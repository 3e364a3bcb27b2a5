"""``assert_conforms``: a check inside an ordinary test, on a class defined in the test file."""

from __future__ import annotations

import subprocess
import sys
import threading

import pytest

import barrierlab.checker.api
import barrierlab.checker.testing  # noqa: F401  (see test_plugin.py: one import per process)
from barrierlab.checker.testing import assert_conforms
from barrierlab.model.errors import InvalidArgument, TargetError

TEST_FILE = '''
import threading
from barrierlab.checker.testing import assert_conforms


class Good(threading.Barrier):
    """CPython's barrier, as a class of this test file."""


class LateIndex(threading.Barrier):
    """Every thread gets index 0: two of one generation share it (R-INDEX)."""

    def wait(self, timeout=None):
        super().wait(timeout)
        return 0


def test_good():
    assert_conforms(Good, scenarios=["two-generations"], max_schedules=30, budget=20)


def test_late_index():
    assert_conforms(LateIndex, scenarios=["two-generations"], max_schedules=30, budget=20)
'''


def test_a_class_of_the_test_file_passes_or_fails_like_an_assert(pytester: pytest.Pytester):
    pytester.makepyfile(test_mine=TEST_FILE)
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, failed=1)  # not warnings: see test_plugin._outcomes
    result.stdout.fnmatch_lines(
        [
            "*AssertionError: test_mine:LateIndex does not conform to the documented profile*",
            "*VIOLATION of R-INDEX*",
            "*replay: barrierlab replay bl1-*",
        ]
    )
    # The token names the class where another process finds it again: it replays there.
    token = next(
        line.split("barrierlab replay ")[1].strip()
        for line in result.stdout.lines
        if "replay: barrierlab replay" in line
    )
    replayed = subprocess.run(
        [sys.executable, "-m", "barrierlab.checker.cli.main", "replay", token],
        cwd=pytester.path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert replayed.returncode == 1, replayed.stderr
    assert "R-INDEX" in replayed.stdout


def test_it_returns_the_result_of_a_passing_check():
    result = assert_conforms(threading.Barrier, scenarios=["single-party"], budget=5)
    assert result.verdict == "pass" and result.exhaustive


def test_it_takes_a_target_string_too():
    with pytest.raises(AssertionError, match="R-INDEX"):
        assert_conforms(
            "barrierlab.impl.bugs.index_duplicated:Barrier",
            scenarios=["two-generations"],
            max_schedules=50,
        )


def test_a_test_set_up_wrong_errors_instead_of_failing():
    with pytest.raises(InvalidArgument, match="unknown profile"):
        assert_conforms(threading.Barrier, profile="nope")
    with pytest.raises(TargetError, match="not a class or factory"):
        assert_conforms(42)
