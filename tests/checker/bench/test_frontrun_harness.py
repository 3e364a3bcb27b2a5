"""The invariants the frontrun harness checks hold on correct runs and catch broken ones.

These run without frontrun: the harness's invariant is a plain function of a finished run.
"""

from __future__ import annotations

import threading

from barrierlab.checker.bench.frontrun_harness import _State, _worker, problems
from barrierlab.checker.scenario import Scenario


def _run(scenario: Scenario, factory=threading.Barrier) -> _State:
    state = _State(factory, scenario)
    threads = [
        threading.Thread(target=_worker(t), args=(state,)) for t in range(scenario.n_threads)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    return state


def test_correct_runs_keep_every_promise():
    for scenario in [
        Scenario.build("a", parties=2, threads=["wait wait", "wait wait"], action="ok"),
        Scenario.build("b", parties=2, threads=["wait", "wait"], action="raise@1"),
        Scenario.build("c", parties=2, threads=["abort wait", "wait(1)"]),
        Scenario.build("d", parties=1, threads=["n_waiting parties broken wait"]),
    ]:
        assert problems(_run(scenario)) == [], scenario


def test_duplicated_indices_and_a_barrier_unbroken_by_abort_are_reported():
    state = _run(Scenario.build("a", parties=2, threads=["wait", "wait"]))
    state.log[1][-1] = ("wait", "ok", state.log[0][-1][2])  # both got the same index
    assert any("distinct" in p for p in problems(state))

    class NotSticky(threading.Barrier):
        def abort(self):
            pass

    state = _run(Scenario.build("b", parties=1, threads=["abort wait"]), NotSticky)
    found = problems(state)
    assert "not broken after abort" in found
    assert "a wait after abort did not raise BrokenBarrierError" in found
