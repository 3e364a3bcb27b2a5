"""Bug: an exception raised by the action reaches its caller but does not break the barrier.

``_release`` lets the action's exception propagate without calling ``_break()``. The thread
that ran the action raises, as it should; but the barrier stays FILLING, so the other parties
of the generation sleep on (with no timeout: forever) and later waits are accepted as if
nothing had happened.

Rule: R-ACTION-FAIL (also: R-BROKEN-FLAG, R-BROKEN-WAIT, R-RELEASE-ALL, deadlock, R-ACTION-ONCE)
Scenario: parties=2, threads=["wait", "wait"], action=raise@1
  (the party that did not run the action waits forever. With one party, ``broken`` reads
  False after the failed action: R-BROKEN-FLAG.)
"""

from __future__ import annotations

import threading

__all__ = ["Barrier"]


class Barrier(threading.Barrier):
    """``threading.Barrier`` whose failed action leaves the barrier unbroken."""

    def _release(self):
        if self._action:
            self._action()  # BUG: an exception here must break the barrier first
        self._state = 1
        self._cond.notify_all()
