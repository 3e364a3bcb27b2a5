"""Bug: a polling barrier whose loop never looks at its timeout.

As :mod:`.polling`, but the waiting loop only checks for the release and for a broken barrier:
a lone ``wait(1)`` polls forever instead of breaking the barrier after a second.

Rule: R-TIMEOUT (also: R-TIMEOUT-DEFAULT, livelock)
"""

from __future__ import annotations

import threading
import time

__all__ = ["Barrier"]


class Barrier:
    """A barrier for ``parties`` threads whose waiters poll, ignoring their timeout."""

    def __init__(self, parties: int, timeout: float | None = None) -> None:
        self.parties = parties
        self._timeout = timeout
        self._lock = threading.Lock()
        self._count = 0
        self._generation = 0
        self._broken = False

    def wait(self, timeout: float | None = None) -> int:
        with self._lock:
            if self._broken:
                raise threading.BrokenBarrierError
            index = self._count
            generation = self._generation
            self._count += 1
            if self._count == self.parties:
                self._count = 0
                self._generation += 1
                return index
        while True:  # BUG: no deadline
            with self._lock:
                if self._generation != generation:
                    return index
                if self._broken:
                    raise threading.BrokenBarrierError
            time.sleep(0.001)
