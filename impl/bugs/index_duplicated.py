"""Bug: the index is read before the mutex is taken, so two parties can get the same one.

A copy of :mod:`barrierlab.impl.turnstile` whose ``wait`` reads ``self._round.arrived`` as the
index *before* acquiring the mutex (the count itself is still updated under it). Two threads
that read it before either registers both get index 0; the generation still trips correctly,
because the trip is decided by the count taken under the mutex.

Rule: R-INDEX
Scenario: parties=2, threads=["wait", "wait"]
"""

from __future__ import annotations

from barrierlab.impl import turnstile

__all__ = ["Barrier"]

BrokenBarrierError = turnstile.BrokenBarrierError


class Barrier(turnstile.Barrier):
    """The semaphore turnstile barrier, with a racy index."""

    def wait(self, timeout=None):
        if timeout is None:
            timeout = self._timeout
        index = self._round.arrived  # BUG: must be read under the mutex, after the door
        self._mutex.acquire()
        while self._door is not None:
            door = self._door
            self._mutex.release()
            door.acquire()
            door.release()
            self._mutex.acquire()
        rnd = self._round
        if rnd.outcome is not None:
            self._mutex.release()
            raise BrokenBarrierError
        rnd.arrived += 1
        self._publish()
        if rnd.arrived == self._parties:
            try:
                self._trip(rnd)
            finally:
                self._mutex.release()
            return index
        self._mutex.release()
        if rnd.turnstile.acquire(timeout=timeout):
            rnd.turnstile.release()
        self._mutex.acquire()
        try:
            if rnd.outcome is None:
                self._decide(rnd, "broken")
            if rnd.outcome == "broken":
                raise BrokenBarrierError
            self._got_through(rnd)
            return index
        finally:
            self._mutex.release()
