"""Bug: a wait that times out raises but does not break the barrier.

``_wait`` raises ``BrokenBarrierError`` on timeout without calling ``_break()``: the timed-out
thread leaves, the barrier stays FILLING and unbroken, and the other waiters carry on waiting
for a party that has given up.

Rule: R-BROKEN-FLAG (also: R-TIMEOUT, R-BROKEN-WAIT, R-TIMEOUT-DEFAULT)
Scenario: parties=2, threads=["wait(1) broken"]
  (the wait times out; ``broken`` then reads False.)
"""

from __future__ import annotations

import threading

__all__ = ["Barrier"]


class Barrier(threading.Barrier):
    """``threading.Barrier`` whose timeouts leave it unbroken."""

    def _wait(self, timeout):
        if not self._cond.wait_for(lambda: self._state != 0, timeout):
            raise threading.BrokenBarrierError  # BUG: must self._break() first
        if self._state < 0:
            raise threading.BrokenBarrierError
        assert self._state == 1
