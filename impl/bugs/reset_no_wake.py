"""Bug: ``reset()`` changes the state but does not wake the waiting threads.

A missing ``notify_all``: the waiters of the reset generation should raise
``BrokenBarrierError`` at once, but they sleep on in RESETTING, and every later arrival waits at
the gate for them to leave.

Rule: R-RESET (also: deadlock)
Scenario: parties=2, threads=["wait", "n_waiting reset"]
  (when ``n_waiting`` reads 1, t0 has certainly arrived before the reset, so it must raise;
  without the read, t0's arrival could be placed after the reset, and waiting forever for a
  partner would be allowed.)
"""

from __future__ import annotations

import threading

__all__ = ["Barrier"]


class Barrier(threading.Barrier):
    """``threading.Barrier`` whose reset forgets to notify."""

    def reset(self):
        with self._cond:
            if self._count > 0:
                if self._state in (0, -2):
                    self._state = -1
            else:
                self._state = 0
            # BUG: missing self._cond.notify_all()
