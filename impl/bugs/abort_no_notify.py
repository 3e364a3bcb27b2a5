"""Bug: ``abort()`` sets the broken state without waking the waiting threads.

A missing ``notify_all``: new calls to ``wait()`` fail, but the threads already waiting sleep
on; without a timeout, forever.

Rule: R-ABORT (also: deadlock)
Scenario: parties=2, threads=["wait", "abort"]
"""

from __future__ import annotations

import threading

__all__ = ["Barrier"]


class Barrier(threading.Barrier):
    """``threading.Barrier`` whose abort forgets to notify."""

    def abort(self):
        with self._cond:
            self._state = -2  # BUG: must be self._break(), which also notifies
