"""Bug: the end of a drain wakes one thread held at the entry gate, not all of them.

``_exit`` ends the drain with ``notify()`` instead of ``notify_all()``: one gate waiter enters
the new generation; the others sleep on at the gate although the barrier is filling again. It
takes two threads held at the gate at once, so more threads than parties: with ``parties=2``,
three threads and four waits (the first generation's waiter is slow to leave while the other
two arrive for the next one). One gate waiter is woken; it waits for a partner that never comes.

Rule: R-RELEASE-ALL (also: deadlock, R-REUSE)
Scenario: parties=2, threads=["wait", "wait wait", "wait"]
"""

from __future__ import annotations

import threading

__all__ = ["Barrier"]


class Barrier(threading.Barrier):
    """``threading.Barrier`` whose drain ends with a single wake-up."""

    def _exit(self):
        if self._count == 0 and self._state in (-1, 1):
            self._state = 0
            self._cond.notify()  # BUG: must be notify_all(): every gate waiter may enter
