"""Bug: no entry gate: a thread arriving during a drain joins the draining generation.

``_enter`` checks only for the broken state and does not wait while the barrier DRAINs. In
CPython's design the count of a draining generation still includes its released parties, so a
thread that comes back early takes an index next to them and, as the count reaches
``parties``, "trips" a generation of which it is the only member: its second ``wait()``
returns at once.

Rule: R-REUSE (also: R-RELEASE, R-INDEX, R-ACTION-ONCE, R-RELEASE-ALL, R-RESET)
Scenario: parties=2, threads=["wait", "wait wait"]
  (t1 is the last arrival; it comes back before t0 has left.)
"""

from __future__ import annotations

import threading

__all__ = ["Barrier"]


class Barrier(threading.Barrier):
    """``threading.Barrier`` without the drain gate."""

    def _enter(self):
        # BUG: missing `while self._state in (-1, 1): self._cond.wait()`
        if self._state < 0:
            raise threading.BrokenBarrierError
