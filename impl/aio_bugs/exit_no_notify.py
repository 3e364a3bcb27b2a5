"""Bug: the last task out of a drained generation reopens the barrier without telling anyone.

Tasks that arrived during the drain wait at the gate for a notification that never comes: the
barrier is FILLING again, and they stay blocked forever.

Rule: A-RELEASE-ALL (also: deadlock, A-RELEASE, A-CANCEL-FILLING)
Scenario: parties=2, threads=["wait wait", "wait wait"]
  (t0 is released and arrives again before t1 has left: when t1 leaves, t0 is not woken.)
"""

from __future__ import annotations

from barrierlab.impl import asyncio_reference as ref

__all__ = ["Barrier"]


class Barrier(ref.Barrier):
    """The reference barrier whose last leaver does not notify."""

    def _leave(self) -> None:
        if self._count == 0 and self._state in (ref.Phase.RESETTING, ref.Phase.DRAINING):
            self._state = ref.Phase.FILLING  # BUG: no notify_all()
