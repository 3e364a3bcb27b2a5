"""Bug: a ``wait()`` on a broken barrier spins, waiting for it to become usable, forever.

``_enter`` was rewritten to "let the drain or a reset finish" by dropping and re-taking the
lock until the state is FILLING. That works for DRAINING and RESETTING, which end by
themselves; but a broken barrier stays broken until someone resets it, so the thread loops,
always runnable, never raising the ``BrokenBarrierError`` it owes its caller. (Each iteration
calls a threading primitive, so a scheduler sees every turn of the loop.)

Rule: livelock (also: R-BROKEN-WAIT)
Scenario: parties=1, threads=["abort wait"]
"""

from __future__ import annotations

import threading

__all__ = ["Barrier"]


class Barrier(threading.Barrier):
    """``threading.Barrier`` whose entry gate spins on a broken barrier."""

    def _enter(self):
        while self._state != 0:  # BUG: a broken barrier must raise, not be waited out
            self._cond.release()
            self._cond.acquire()
