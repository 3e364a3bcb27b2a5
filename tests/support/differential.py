"""Scenarios whose outcome on real threads does not depend on timing, for differential tests.

Each ``scenario_*`` takes a barrier class, runs it on real threads and records only what
timing cannot change (index sets, broken flags, exception types), so every correct barrier
records what ``threading.Barrier`` does. Used by ``tests/impl/test_*_differential.py``.
"""

from __future__ import annotations

import threading

__all__ = ["JOIN", "SCENARIOS", "run_threads", "scenario_generations", "until_waiting"]

JOIN = 30.0  # a generous real-time guard: a hung scenario fails instead of hanging CI


def run_threads(n_threads, body):
    """Run body(i) on n_threads real threads; return their results in thread order."""
    results = [None] * n_threads

    def runner(i):
        try:
            results[i] = body(i)
        except BaseException as e:  # recorded: the caller compares it
            results[i] = type(e).__name__

    threads = [threading.Thread(target=runner, args=(i,)) for i in range(n_threads)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(JOIN)
        assert not t.is_alive(), "scenario hung"
    return results


def until_waiting(barrier, n):
    """Block (briefly, for real) until n threads wait in the barrier."""
    for _ in range(10_000):
        if barrier.n_waiting == n:
            return
        threading.Event().wait(0.001)
    raise AssertionError(f"never saw {n} waiters")


def scenario_generations(cls):
    parties, generations = 4, 25
    barrier = cls(parties, timeout=JOIN)
    per_thread = run_threads(parties, lambda i: [barrier.wait() for _ in range(generations)])
    return {
        "index_sets": [sorted(r[g] for r in per_thread) for g in range(generations)],
        "broken": barrier.broken,
    }


def scenario_abort_with_waiters(cls):
    barrier = cls(3)

    def body(i):
        if i == 2:
            until_waiting(barrier, 2)
            barrier.abort()
            return "aborted"
        return barrier.wait()

    results = run_threads(3, body)
    late = run_threads(1, lambda i: barrier.wait())
    return {"results": results, "late": late, "broken": barrier.broken}


def scenario_abort_before_any_wait(cls):
    barrier = cls(2)
    barrier.abort()
    return {"results": run_threads(2, lambda i: barrier.wait()), "broken": barrier.broken}


def scenario_timeout(cls):
    barrier = cls(3)
    results = run_threads(1, lambda i: barrier.wait(timeout=0.01))
    after = run_threads(1, lambda i: barrier.wait())
    return {"results": results, "after": after, "broken": barrier.broken}


def scenario_default_timeout(cls):
    barrier = cls(2, timeout=0.01)
    return {"results": run_threads(1, lambda i: barrier.wait()), "broken": barrier.broken}


def scenario_action_failure(cls):
    class ActionFailed(Exception):
        pass

    def action():
        raise ActionFailed

    barrier = cls(3, action=action)
    results = sorted(map(str, run_threads(3, lambda i: barrier.wait())))
    return {"results": results, "broken": barrier.broken}


def scenario_reset_with_waiters(cls):
    barrier = cls(3)

    def body(i):
        if i == 2:
            until_waiting(barrier, 2)
            barrier.reset()
            return "reset"
        return barrier.wait()

    results = run_threads(3, body)
    state = (barrier.broken, barrier.n_waiting)
    reuse = sorted(run_threads(3, lambda i: barrier.wait(timeout=JOIN)))
    return {"results": results, "state": state, "reuse": reuse}


def scenario_reset_without_waiters(cls):
    barrier = cls(2)
    barrier.abort()
    before = barrier.broken
    barrier.reset()
    reuse = sorted(run_threads(2, lambda i: barrier.wait(timeout=JOIN)))
    return {"before": before, "after": barrier.broken, "reuse": reuse}


SCENARIOS = [
    scenario_generations,
    scenario_abort_with_waiters,
    scenario_abort_before_any_wait,
    scenario_timeout,
    scenario_default_timeout,
    scenario_action_failure,
    scenario_reset_with_waiters,
    scenario_reset_without_waiters,
]
