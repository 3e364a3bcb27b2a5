"""The asyncio scenarios: task programs, where cancellation is a scheduling choice.

A program step ``wait(t)`` runs ``async with asyncio.timeout(t): await barrier.wait()``;
``reset`` and ``abort`` are awaited; reads read. Besides timeouts, the runtime may cancel a task
inside ``wait`` at any point (``Config.cancellations`` times per schedule, default 1), so every
scenario with a ``wait`` also explores a cancelled waiter. ``barrierlab check`` runs these for an
asyncio target (``--scenario NAME`` picks some).
"""

from __future__ import annotations

from barrierlab.checker.scenario import Scenario

__all__ = ["ASYNC_SCENARIOS"]

_S = Scenario.build

ASYNC_SCENARIOS: dict[str, Scenario] = {
    s.name: s
    for s in [
        _S(
            "aio-two-generations",
            parties=2,
            threads=["wait wait", "wait wait"],
            description="release, distinct indices and reuse over two generations; a waiter "
            "cancelled in either",
        ),
        _S(
            "aio-cancel-reuse",
            parties=3,
            threads=["wait", "wait", "wait", "wait"],
            description="a waiter cancelled while filling, then later arrivals: their indices "
            "stay distinct from those still waiting (gh-155233)",
        ),
        _S(
            "aio-timeout-reuse",
            parties=2,
            threads=["wait(1)", "wait", "wait"],
            description="asyncio.timeout expires on a waiter: it leaves, the others pair up",
        ),
        _S(
            "aio-timeout-late",
            parties=3,
            threads=["wait", "wait(1)", "wait", "wait"],
            description="a timed-out waiter and two later arrivals: distinct indices without "
            "any cancel() of our own",
        ),
        _S(
            "aio-cancel-drain",
            parties=2,
            threads=["wait", "wait", "wait"],
            description="a released task cancelled before it resumes, while a third one "
            "arrives during the drain",
        ),
        _S(
            "aio-reset",
            parties=2,
            threads=["wait", "reset", "wait"],
            description="reset fails the waiter with BrokenBarrierError and leaves the barrier "
            "empty and usable",
        ),
        _S(
            "aio-reset-drain",
            parties=2,
            threads=["wait", "wait", "reset broken"],
            description="reset racing with a release: who returns, who raises",
        ),
        _S(
            "aio-abort",
            parties=2,
            threads=["wait", "abort", "wait broken"],
            description="abort fails the current and future waits; broken reads True",
        ),
        _S(
            "aio-cancel-count",
            parties=2,
            threads=["wait", "wait", "n_waiting broken parties"],
            description="n_waiting counts waiters while filling and drops when one is cancelled",
        ),
    ]
}
