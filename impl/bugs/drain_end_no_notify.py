"""Bug: the end of a drain does not wake the threads held at the entry gate.

A missing ``notify_all`` in ``_exit``: the last released thread to leave sets the state back
to FILLING but wakes nobody, so a thread that arrived during the drain (and waits at the gate)
sleeps on even when its own generation fills up behind it.

Rule: R-RELEASE-ALL (also: deadlock, R-REUSE)
Scenario: parties=2, threads=["wait wait", "wait wait"]
  (the last arrival of the first generation comes back before the other party has left.)
"""

from __future__ import annotations

import threading

__all__ = ["Barrier"]


class Barrier(threading.Barrier):
    """``threading.Barrier`` whose drain ends silently."""

    def _exit(self):
        if self._count == 0 and self._state in (-1, 1):
            self._state = 0
            # BUG: missing self._cond.notify_all()
