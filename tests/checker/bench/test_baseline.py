"""How the baseline reads CPython's suite: what counts as caught, missed and timed out."""

from __future__ import annotations

from barrierlab.checker.bench import baseline
from barrierlab.checker.bench.cpython_suite import parse_results

VERBOSE = """test_abort (__main__.BarrierTests.test_abort)
Test that an abort will put the barrier in a broken state ... ok
test_repr (__main__.BarrierTests.test_repr) ... FAIL
test_reset (__main__.BarrierTests.test_reset)
Test that a 'reset' on a barrier frees the waiting threads ... """


def test_results_and_the_test_a_hang_stopped_in():
    results = parse_results(VERBOSE)
    assert results == {"test_abort": "ok", "test_repr": "FAIL"}
    assert baseline._running_test(VERBOSE, results) == "test_reset"


def test_the_reference_passes_and_an_off_by_one_index_is_caught():
    ok = baseline.run_cpython_suite("barrierlab.impl.reference:Barrier", cap=30)
    assert (ok.status, ok.passed, ok.failed) == ("missed", 11, [])
    bug = baseline.run_cpython_suite("barrierlab.impl.bugs.index_off_by_one:Barrier", cap=30)
    assert bug.caught and "test_wait_return" in bug.failed


def test_a_target_that_cannot_load_is_unavailable_not_missed():
    out = baseline.run_cpython_suite("barrierlab.impl.no_such_module:Barrier", cap=30)
    assert out.status == "unavailable"
