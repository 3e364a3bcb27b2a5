"""The pytest plugin, run through pytest's own ``pytester``: items per scenario and rule,
failures with the replay command, JUnit XML, and no effect on suites that do not use it."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

# pytester's in-process runs forget the modules a run imported; import the checker's here, once,
# so that every run uses the same classes (as a real pytest process does).
import barrierlab.checker.api
import barrierlab.checker.explore.scenario_catalogue
import barrierlab.checker.report.counterexample
import barrierlab.checker.runtime.target
import barrierlab.checker.testing.plugin
import barrierlab.model.rules  # noqa: F401

BUG = "barrierlab.impl.bugs.index_duplicated:Barrier"  # R-INDEX, in two-generations
QUICK = ["--barrierlab-max-schedules", "40", "--barrierlab-budget", "20", "-p", "no:cacheprovider"]


def _outcomes(result: pytest.RunResult) -> dict[str, int]:
    """The inner run's outcomes, without its warnings count.

    pytester runs in this process: when the outer session has already imported ``model``,
    ``impl`` and ``checker`` as top-level modules (their doctests, under importlib import mode),
    the inner run warns that it cannot assert-rewrite them. That says nothing of the plugin.
    """
    return {k: v for k, v in result.parseoutcomes().items() if k != "warnings"}


def test_items_are_collected_per_scenario_and_per_rule(pytester: pytest.Pytester):
    result = pytester.runpytest(
        "--barrierlab",
        "threading:Barrier",
        "--barrierlab-scenario",
        "single-party",
        "--barrierlab-scenario",
        "two-generations",
        "--collect-only",
        "-q",
    )
    lines = result.stdout.lines
    assert "barrierlab::barrierlab[threading:Barrier][single-party]" in lines
    assert "barrierlab::barrierlab[threading:Barrier][two-generations]" in lines
    assert "barrierlab::barrierlab[threading:Barrier][rule R-INDEX]" in lines
    assert not any("cpython" in line.lower() and "rule C-" in line for line in lines)


def test_a_correct_barrier_passes(pytester: pytest.Pytester):
    result = pytester.runpytest(
        "--barrierlab", "threading:Barrier", "--barrierlab-scenario", "two-generations", *QUICK
    )
    outcomes = _outcomes(result)
    assert result.ret == 0
    assert outcomes.get("failed", 0) == 0 and outcomes["passed"] >= 2


def test_a_seeded_bug_fails_with_the_counterexample_and_the_replay_command(
    pytester: pytest.Pytester,
):
    result = pytester.runpytest(
        "--barrierlab", BUG, "--barrierlab-scenario", "two-generations", *QUICK
    )
    assert result.ret == 1
    result.stdout.fnmatch_lines(
        [
            f"*FAILED barrierlab::barrierlab[[]{BUG}[]][[]two-generations[]]*",
            f"*FAILED barrierlab::barrierlab[[]{BUG}[]][[]rule R-INDEX[]]*",
        ]
    )
    result.stdout.fnmatch_lines(["VIOLATION of R-INDEX*", "replay: barrierlab replay bl1-*"])


def test_rules_no_schedule_reached_are_skipped_with_the_reason(pytester: pytest.Pytester):
    result = pytester.runpytest(
        "--barrierlab",
        "threading:Barrier",
        "--barrierlab-scenario",
        "single-party",
        "-rs",
        *QUICK,
    )
    assert _outcomes(result)["skipped"] >= 1
    result.stdout.fnmatch_lines(["*SKIPPED*R-RESET not exercised: no accepted schedule*"])


def test_junit_xml_carries_the_results_and_the_replay_command(pytester: pytest.Pytester):
    junit = pytester.path / "junit.xml"
    pytester.runpytest(
        "--barrierlab",
        BUG,
        "--barrierlab-scenario",
        "two-generations",
        f"--junitxml={junit}",
        *QUICK,
    )
    cases = {c.get("name"): c for c in ET.parse(junit).getroot().iter("testcase")}
    failing = cases[f"barrierlab[{BUG}][two-generations]"]
    assert failing.get("classname") == "barrierlab"
    assert "R-INDEX" in failing.find("failure").get("message")
    props = {p.get("name"): p.get("value") for p in failing.iter("property")}
    assert props["replay"].startswith("barrierlab replay bl1-")
    assert cases[f"barrierlab[{BUG}][rule R-RESET]"].find("skipped") is not None


def test_a_bad_target_is_a_usage_error(pytester: pytest.Pytester):
    result = pytester.runpytest("--barrierlab", "no.such.module:Barrier")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*barrierlab: cannot import module 'no.such.module'*"])


def test_a_suite_that_does_not_use_it_is_unchanged(pytester: pytest.Pytester):
    pytester.makeconftest(
        """
        import sys
        def pytest_sessionfinish(session):
            loaded = sorted(m for m in sys.modules if m.startswith("barrierlab.checker"))
            print("LOADED", loaded)
        """
    )
    pytester.makepyfile("def test_one():\n    assert 1 + 1 == 2\n")
    result = pytester.runpytest_subprocess("-s", "-p", "no:cacheprovider")
    assert result.ret == 0
    assert _outcomes(result) == {"passed": 1}
    loaded = next(line for line in result.stdout.lines if "LOADED" in line)
    # the plugin's own two modules, nothing of the checker
    assert loaded.endswith(
        "LOADED ['barrierlab.checker', 'barrierlab.checker.testing', "
        "'barrierlab.checker.testing.plugin']"
    )


def test_barrier_factory_runs_a_test_once_per_marked_target(pytester: pytest.Pytester):
    pytester.makepyfile(
        """
        import threading
        import pytest

        class Mine(threading.Barrier):
            pass

        @pytest.mark.barrierlab_factories("threading:Barrier", Mine)
        def test_two_threads(barrier_factory):
            b = barrier_factory(2)
            got = []
            t = threading.Thread(target=lambda: got.append(b.wait()))
            t.start()
            got.append(b.wait())
            t.join()
            assert sorted(got) == [0, 1]
        """
    )
    # In the whole suite, doctests (--import-mode=importlib) have imported the source folders as
    # top-level modules before this in-process run marks them for assertion rewriting.
    result = pytester.runpytest(
        "-v", "-p", "no:cacheprovider", "-W", "ignore::pytest.PytestAssertRewriteWarning"
    )
    assert _outcomes(result) == {"passed": 2}
    result.stdout.fnmatch_lines(
        ["*test_two_threads[[]threading:Barrier[]] PASSED*", "*test_two_threads[[]*Mine[]] PASSED*"]
    )


def test_barrier_factory_defaults_to_the_targets_given_on_the_command_line(
    pytester: pytest.Pytester,
):
    pytester.makepyfile(
        "def test_parties(barrier_factory):\n    assert barrier_factory(3).parties == 3\n"
    )
    result = pytester.runpytest(
        "--barrierlab",
        "barrierlab.impl.reference:Barrier",
        "--barrierlab-scenario",
        "single-party",
        "-v",
        *QUICK,
    )
    result.stdout.fnmatch_lines(["*test_parties[[]barrierlab.impl.reference:Barrier[]] PASSED*"])


def test_rules_a_wait_only_barrier_cannot_be_judged_on_are_skipped_as_not_applicable(
    pytester: pytest.Pytester,
):
    pytester.makepyfile(
        mine="""
        import threading


        class Barrier:
            \"\"\"Only wait(): no reset, abort or attributes, and wait() returns None.\"\"\"

            def __init__(self, parties):
                self._inner = threading.Barrier(parties)

            def wait(self):
                self._inner.wait()
        """
    )
    result = pytester.runpytest(
        "--barrierlab", "mine:Barrier", "--barrierlab-scenario", "two-generations", "-rs", *QUICK
    )
    assert result.ret == 0
    result.stdout.fnmatch_lines(["*SKIPPED*R-RESET not applicable: *reset*"])
