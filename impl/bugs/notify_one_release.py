"""Bug: the last arrival wakes one waiter (``notify``) instead of all of them (``notify_all``).

A lost wakeup. ``threading.Barrier._release`` sets the DRAINING state and calls
``notify_all``; here it calls ``notify``, so with three or more parties only one of the waiting
parties wakes up. The others sleep on: nothing else notifies them, since the drain ends only
when the last of them has left.

Rule: R-RELEASE-ALL (also: deadlock)
Scenario: parties=3, threads=["wait", "wait", "wait"]
"""

from __future__ import annotations

import threading

__all__ = ["Barrier"]


class Barrier(threading.Barrier):
    """``threading.Barrier`` whose release wakes a single waiter."""

    def _release(self):
        try:
            if self._action:
                self._action()
            self._state = 1
            self._cond.notify()  # BUG: must be notify_all()
        except BaseException:
            self._break()
            raise
