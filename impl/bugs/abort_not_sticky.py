"""Bug: ``abort()`` does not stick: the last thread to leave clears the broken state.

``_exit`` treats BROKEN like DRAINING and RESETTING: when the last thread leaves, the barrier
goes back to FILLING. So an abort fails the threads that were waiting, and then the barrier
quietly accepts new waits, where the documentation says future waits must fail too.

Rule: R-ABORT (also: R-BROKEN-FLAG, R-BROKEN-WAIT, R-TIMEOUT-DEFAULT)
Scenario: parties=2, threads=["wait wait", "abort"]
  (t0's first wait raises; its second, which should raise at once, waits for a partner.)
"""

from __future__ import annotations

import threading

__all__ = ["Barrier"]


class Barrier(threading.Barrier):
    """``threading.Barrier`` whose broken state ends when the barrier empties."""

    def _exit(self):
        # BUG: BROKEN (-2) must stay until reset(); only RESETTING and DRAINING end here.
        if self._count == 0 and self._state in (-1, 1, -2):
            self._state = 0
            self._cond.notify_all()
