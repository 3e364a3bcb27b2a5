"""Correct: a polling barrier. Arrivals re-check the state under a lock and sleep 1 ms between
checks, until their generation is released, the barrier is broken, or their timeout expires.

``Barrier(parties, timeout=None)``; ``wait(timeout=None)`` returns the arrival index; a timeout
breaks the barrier for good (there is no reset). A fair scheduler lets the other threads run
while a poller sleeps: this barrier is not a livelock.
"""

from __future__ import annotations

import threading
import time

__all__ = ["Barrier", "BrokenBarrierError"]

BrokenBarrierError = threading.BrokenBarrierError


class Barrier:
    """A barrier for ``parties`` threads whose waiters poll."""

    def __init__(self, parties: int, timeout: float | None = None) -> None:
        self.parties = parties
        self._timeout = timeout
        self._lock = threading.Lock()
        self._count = 0
        self._generation = 0
        self._broken = False

    def wait(self, timeout: float | None = None) -> int:
        if timeout is None:
            timeout = self._timeout
        with self._lock:
            if self._broken:
                raise BrokenBarrierError
            index = self._count
            generation = self._generation
            self._count += 1
            if self._count == self.parties:
                self._count = 0
                self._generation += 1
                return index
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            with self._lock:
                if self._generation != generation:
                    return index
                if self._broken:
                    raise BrokenBarrierError
                if deadline is not None and time.monotonic() >= deadline:
                    self._broken = True
                    raise BrokenBarrierError
            time.sleep(0.001)
