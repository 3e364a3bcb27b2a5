"""Bug: ``wait()`` without a timeout ignores the constructor's default timeout.

A copy of :mod:`barrierlab.impl.generations` whose ``wait`` lost the line
``if timeout is None: timeout = self._timeout``. A barrier built with ``timeout=1`` then waits
forever for a missing party when ``wait()`` is called without an argument (an explicit
``wait(timeout)`` still works).

Rule: R-TIMEOUT-DEFAULT (also: R-TIMEOUT, deadlock)
Scenario: parties=2, timeout=1, threads=["wait"]
"""

from __future__ import annotations

import time

from barrierlab.impl import generations

__all__ = ["Barrier"]

BrokenBarrierError = generations.BrokenBarrierError


class Barrier(generations.Barrier):
    """The generation-object barrier, without the default timeout."""

    def wait(self, timeout=None):
        # BUG: missing `if timeout is None: timeout = self._timeout`
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._cond:
            generation = self._generation
            if generation.broken:
                raise BrokenBarrierError
            self._count -= 1
            index = self._count
            self._publish()
            if index == 0:
                self._trip()
                return 0
            while True:
                if generation.broken:
                    raise BrokenBarrierError
                if generation is not self._generation:
                    return index
                if deadline is None:
                    self._cond.wait()
                    continue
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    self._break_generation()
                    raise BrokenBarrierError
                self._cond.wait(remaining)
