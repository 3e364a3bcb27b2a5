"""How the baseline reads CPython's suite: what counts as caught, missed and timed out."""

from __future__ import annotations

import pytest

from barrierlab.checker.bench import baseline
from barrierlab.checker.bench.cpython_suite import NO_SUITE, has_suite, parse_results, suite_size

VERBOSE = """test_abort (__main__.BarrierTests.test_abort)
Test that an abort will put the barrier in a broken state ... ok
test_repr (__main__.BarrierTests.test_repr) ... FAIL
test_reset (__main__.BarrierTests.test_reset)
Test that a 'reset' on a barrier frees the waiting threads ... """


def test_results_and_the_test_a_hang_stopped_in():
    results = parse_results(VERBOSE)
    assert results == {"test_abort": "ok", "test_repr": "FAIL"}
    assert baseline._running_test(VERBOSE, results) == "test_reset"


@pytest.mark.skipif(not has_suite(), reason=NO_SUITE)
def test_the_reference_passes_and_an_off_by_one_index_is_caught():
    ok = baseline.run_cpython_suite("barrierlab.impl.reference:Barrier", cap=30)
    # Every test of this Python's suite: 11 on 3.11 and 3.12, 12 since 3.13 (test_constructor).
    assert (ok.status, ok.passed, ok.failed) == ("missed", suite_size(), [])
    bug = baseline.run_cpython_suite("barrierlab.impl.bugs.index_off_by_one:Barrier", cap=30)
    assert bug.caught and "test_wait_return" in bug.failed


def test_without_the_suite_the_baseline_says_unavailable(monkeypatch):
    from barrierlab.checker.bench import cpython_suite

    monkeypatch.setattr(cpython_suite, "has_suite", lambda: False)
    assert cpython_suite.main(["barrierlab.impl.reference:Barrier"]) == cpython_suite.EXIT_NO_SUITE


def test_a_target_that_cannot_load_is_unavailable_not_missed():
    out = baseline.run_cpython_suite("barrierlab.impl.no_such_module:Barrier", cap=30)
    assert out.status == "unavailable"
