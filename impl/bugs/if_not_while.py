"""Bug: ``if`` instead of ``while`` around the condition wait at the entry gate.

``threading.Barrier._enter`` holds arrivals back with ``while state in (RESETTING, DRAINING):
wait()``. With ``if``, any ``notify_all`` lets a held thread through, whether or not the drain
is over. ``reset()`` during a drain notifies without changing the state (the released parties
still leave normally), so a thread held at the gate wakes up in DRAINING and trips over the
assertion that follows the loop: ``wait()`` raises ``AssertionError`` from inside the barrier.
(Run with ``python -O`` the assertion is gone and the thread joins the draining generation, so
a second ``wait()`` returns with no partner: R-RELEASE.)

Rule: crash (also: R-ERROR-TYPE, R-RELEASE)
Scenario: parties=2, threads=["wait", "wait wait", "reset"]
  (t1 is the last arrival; it comes back while t0 has not yet left, is held at the gate, and
  t2 resets before t0 leaves.)
"""

from __future__ import annotations

import threading

__all__ = ["Barrier"]


class Barrier(threading.Barrier):
    """``threading.Barrier`` whose entry gate waits only once."""

    def _enter(self):
        if self._state in (-1, 1):  # BUG: must be `while`
            self._cond.wait()
        if self._state < 0:
            raise threading.BrokenBarrierError
        assert self._state == 0
