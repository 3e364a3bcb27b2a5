"""Correct: a barrier that times its waits with a :class:`threading.Timer`.

``Barrier(parties)``, ``wait(timeout=None)``, no reset or abort. A waiter with a timeout starts
a timer that breaks the barrier if its generation has not been released when it fires; on the
way out (released or broken) the waiter cancels the timer and joins it. A checker has to run
the timer's thread under control, as one more thread of the run.
"""

from __future__ import annotations

import threading

__all__ = ["Barrier", "BrokenBarrierError"]

BrokenBarrierError = threading.BrokenBarrierError


class Barrier:
    """A barrier for ``parties`` threads whose timeouts are timer threads."""

    def __init__(self, parties: int) -> None:
        self.parties = parties
        self._cond = threading.Condition(threading.Lock())
        self._count = 0
        self._generation = 0
        self._broken = False

    def _expire(self, generation: int) -> None:
        with self._cond:
            if self._generation == generation:
                self._broken = True
                self._cond.notify_all()

    def wait(self, timeout: float | None = None) -> int:
        timer = None
        try:
            with self._cond:
                if self._broken:
                    raise BrokenBarrierError
                index, generation = self._count, self._generation
                self._count += 1
                if self._count == self.parties:
                    self._count = 0
                    self._generation += 1
                    self._cond.notify_all()
                    return index
                if timeout is not None:
                    timer = threading.Timer(timeout, self._expire, (generation,))
                    timer.start()
                while self._generation == generation and not self._broken:
                    self._cond.wait()
                if self._generation != generation:
                    return index
                raise BrokenBarrierError
        finally:
            if timer is not None:
                timer.cancel()
                timer.join()
