"""Bug: a zero timeout means "no timeout" (an ``if timeout:`` slip).

``wait`` falls back to the constructor's timeout with ``if not timeout`` instead of ``if
timeout is None``, and the constructor keeps ``timeout or None``: so ``wait(0)``, and every
``wait()`` of a barrier built with ``timeout=0``, waits forever for the missing parties instead
of breaking the barrier at once. A zero timeout is a poll ("pass now or break"), and 0 is falsy.

Rule: R-TIMEOUT (also: deadlock, R-TIMEOUT-DEFAULT, R-BROKEN-FLAG)
Scenario: parties=2, threads=["wait(0)"]
  (a lone ``wait(0)`` must raise BrokenBarrierError at once; it blocks forever.)
"""

from __future__ import annotations

import threading

__all__ = ["Barrier"]


class Barrier(threading.Barrier):
    """``threading.Barrier`` that reads a zero timeout as no timeout."""

    def __init__(self, parties, action=None, timeout=None):
        super().__init__(parties, action, timeout or None)  # BUG: 0 becomes None

    def wait(self, timeout=None):
        if not timeout:  # BUG: must be `if timeout is None:`
            timeout = self._timeout
        return super().wait(timeout)
