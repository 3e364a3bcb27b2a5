"""Bug: ``reset()`` of a broken barrier with nobody inside leaves it broken.

The ``else`` branch of ``threading.Barrier.reset`` (nobody inside: go straight back to
FILLING) was dropped as "nothing to do when nobody waits", so a barrier that was aborted, or
broken by a timeout or a failed action, stays broken after a reset once its threads have left.

Rule: R-RESET (also: R-BROKEN-WAIT, R-BROKEN-FLAG)
Scenario: parties=2, threads=["abort reset wait"]
  (the wait after the reset raises BrokenBarrierError at once, where it should wait for a
  partner.)
"""

from __future__ import annotations

import threading

__all__ = ["Barrier"]


class Barrier(threading.Barrier):
    """``threading.Barrier`` whose reset does not clear the broken state."""

    def reset(self):
        with self._cond:
            if self._count > 0 and self._state in (0, -2):
                self._state = -1
            # BUG: missing `else: self._state = 0`: with nobody inside, BROKEN stays BROKEN.
            self._cond.notify_all()
