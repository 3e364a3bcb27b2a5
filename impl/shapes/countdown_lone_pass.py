"""Bug: a wait-only count-down that never zeroes its count, so after the first generation a
lone thread passes.

The last arrival of the first generation wakes the others but leaves the count at ``parties``:
every later arrival finds ``count >= parties`` and returns at once, alone.

Rule: R-REUSE (also: R-RELEASE)
"""

from __future__ import annotations

import threading

__all__ = ["Barrier"]


class Barrier:
    """A count-down barrier for ``parties`` threads that only works once."""

    def __init__(self, parties: int) -> None:
        self._parties = parties
        self._cond = threading.Condition(threading.Lock())
        self._count = 0
        self._generation = 0

    def wait(self) -> None:
        with self._cond:
            generation = self._generation
            self._count += 1
            if self._count >= self._parties:  # BUG: the count is never zeroed
                self._generation += 1
                self._cond.notify_all()
                return
            while generation == self._generation:
                self._cond.wait()
