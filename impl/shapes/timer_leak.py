"""Bug: a barrier whose timeout timers leak and break a later generation.

As :mod:`.timer`, but a released waiter never cancels its timer, and the timer breaks the
barrier whatever generation it finds: a wait that returned long ago breaks the barrier for
threads that gave no timeout at all.

Rule: R-BROKEN-WAIT (also: R-RELEASE-ALL, R-REUSE, R-TIMEOUT, deadlock)
"""

from __future__ import annotations

import threading

__all__ = ["Barrier"]


class Barrier:
    """A barrier for ``parties`` threads whose timers outlive their waits."""

    def __init__(self, parties: int) -> None:
        self.parties = parties
        self._cond = threading.Condition(threading.Lock())
        self._count = 0
        self._generation = 0
        self._broken = False

    def _expire(self) -> None:
        with self._cond:
            self._broken = True  # BUG: whatever generation is filling now
            self._cond.notify_all()

    def wait(self, timeout: float | None = None) -> int:
        with self._cond:
            if self._broken:
                raise threading.BrokenBarrierError
            index, generation = self._count, self._generation
            self._count += 1
            if self._count == self.parties:
                self._count = 0
                self._generation += 1
                self._cond.notify_all()
                return index
            if timeout is not None:
                threading.Timer(timeout, self._expire).start()  # BUG: never cancelled
            while self._generation == generation and not self._broken:
                self._cond.wait()
            if self._generation != generation:
                return index
            raise threading.BrokenBarrierError
