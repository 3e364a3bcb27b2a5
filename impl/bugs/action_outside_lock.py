"""Bug: the last arrival lets go of the lock while it runs the action.

Running a user callback while holding a lock is a known hazard, so this ``_release`` drops the
barrier's lock around the action. But the generation is still FILLING while the action runs
and ``_count`` already equals ``parties``: an extra thread that arrives meanwhile passes the
gate and takes index ``parties`` (out of range), then is released with the generation. And
an ``abort()`` that gets in while the action runs is not seen: the waiters are released with
indices instead of raising BrokenBarrierError. Only shows with an action, and with more threads
than parties or an abort.

Rule: R-INDEX (also: R-RELEASE, R-ABORT)
Scenario: parties=2, threads=["wait", "wait", "wait"], action=ok
"""

from __future__ import annotations

import threading

__all__ = ["Barrier"]


class Barrier(threading.Barrier):
    """``threading.Barrier`` that runs the action without holding its lock."""

    def _release(self):
        try:
            if self._action:
                self._cond.release()  # BUG: arrivals get in while the action runs
                try:
                    self._action()
                finally:
                    self._cond.acquire()
            self._state = 1
            self._cond.notify_all()
        except BaseException:
            self._break()
            raise
