"""Bug: a barrier that ends the whole process when it is broken.

CPython's barrier, except that a wait that would raise BrokenBarrierError calls ``os._exit(7)``
instead: a library that "fails fast" takes its host program down with it.

Rule: exit
"""

from __future__ import annotations

import os
import threading

__all__ = ["Barrier"]


class Barrier(threading.Barrier):
    """:class:`threading.Barrier` that ends the process instead of raising."""

    def wait(self, timeout=None):
        try:
            return super().wait(timeout)
        except threading.BrokenBarrierError:
            os._exit(7)  # BUG: ends the process
