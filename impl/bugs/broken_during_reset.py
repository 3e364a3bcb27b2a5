"""Bug: ``broken`` reads True while a reset is in progress.

The property tests ``_state < 0``, which is true for RESETTING (-1) as well as BROKEN (-2). So
right after ``reset()`` returns, and until the reset waiters have left, ``broken`` says True,
although the reset has already returned the barrier to the unbroken state.

Rule: R-BROKEN-FLAG (also: R-RESET)
Scenario: parties=2, threads=["wait", "reset broken"]
  (``broken`` is read after the reset and before t0 has left the barrier.)
"""

from __future__ import annotations

import threading

__all__ = ["Barrier"]


class Barrier(threading.Barrier):
    """``threading.Barrier`` whose ``broken`` also reports the resetting state."""

    @property
    def broken(self):
        return self._state < 0  # BUG: must be self._state == -2
