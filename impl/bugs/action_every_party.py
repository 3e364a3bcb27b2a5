"""Bug: every party runs the action, not just one.

The last arrival runs the action before the release, as in ``threading.Barrier``; but each
released waiter runs it once more on its way out, as if "the action runs on release" meant
"every released thread runs it".

Rule: R-ACTION-ONCE
Scenario: parties=2, threads=["wait", "wait"], action=ok
"""

from __future__ import annotations

import threading

__all__ = ["Barrier"]


class Barrier(threading.Barrier):
    """``threading.Barrier`` whose released waiters run the action too."""

    def _wait(self, timeout):
        if not self._cond.wait_for(lambda: self._state != 0, timeout):
            self._break()
            raise threading.BrokenBarrierError
        if self._state < 0:
            raise threading.BrokenBarrierError
        assert self._state == 1
        if self._action:
            self._action()  # BUG: the releaser has already run it for this generation
