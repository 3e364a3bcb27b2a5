"""Bug: a waiter asks the barrier's *current* generation whether it is broken, not its own.

A copy of :mod:`barrierlab.impl.generations` whose wait loop reads
``self._generation.broken`` instead of ``generation.broken``. ``reset()`` breaks the waiters'
generation and installs a new, unbroken one; a woken waiter then sees an unbroken current
generation that is not its own, concludes that its generation tripped, and returns an index
instead of raising ``BrokenBarrierError``. (``abort()`` leaves the broken generation current,
so it is not affected.) With more threads than parties it also shows without a reset: a
released waiter that wakes after the next generation broke (say, by a timeout) raises
``BrokenBarrierError`` instead of returning its index (R-RELEASE-ALL; when the late waiter
had a timeout that expired after its generation was released, the spec names it R-TIMEOUT, or
R-TIMEOUT-DEFAULT for the barrier's default timeout: the ``timeout`` scenarios show it so).

Rule: R-RESET (also: R-RELEASE, R-RELEASE-ALL, R-TIMEOUT, R-TIMEOUT-DEFAULT, R-BROKEN-WAIT)
Scenario: parties=2, threads=["wait", "reset"]
"""

from __future__ import annotations

import time

from barrierlab.impl import generations

__all__ = ["Barrier"]

BrokenBarrierError = generations.BrokenBarrierError


class Barrier(generations.Barrier):
    """The generation-object barrier, checking a stale generation's flag."""

    def wait(self, timeout=None):
        if timeout is None:
            timeout = self._timeout
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
                if self._generation.broken:  # BUG: must be `generation.broken`
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
