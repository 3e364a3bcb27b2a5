"""Bug: the action runs twice per generation.

A retry that was meant for the failure path runs on success too: the last arrival calls the
action, and then calls it again "to make sure" before releasing the generation.

Rule: R-ACTION-ONCE
Scenario: parties=1, threads=["wait"], action=ok
"""

from __future__ import annotations

import threading

__all__ = ["Barrier"]


class Barrier(threading.Barrier):
    """``threading.Barrier`` whose last arrival runs the action twice."""

    def _release(self):
        try:
            if self._action:
                self._action()
                self._action()  # BUG: one call per generation
            self._state = 1
            self._cond.notify_all()
        except BaseException:
            self._break()
            raise
