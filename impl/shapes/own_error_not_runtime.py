"""Bug: the barrier's own ``BrokenBarrierError`` is not a subclass of RuntimeError.

The documentation says of BrokenBarrierError: "This exception, a subclass of RuntimeError, is
raised when the Barrier object is reset or broken." Code that catches RuntimeError around a
``wait()`` misses this one. Everything else behaves as CPython's barrier.

Rule: R-ERROR-TYPE
"""

from __future__ import annotations

import threading

__all__ = ["Barrier", "BrokenBarrierError"]


class BrokenBarrierError(Exception):  # BUG: not a RuntimeError
    """The barrier is broken or was reset while a thread waited."""


class Barrier(threading.Barrier):
    """:class:`threading.Barrier`, raising this module's :class:`BrokenBarrierError`."""

    def wait(self, timeout=None):
        try:
            return super().wait(timeout)
        except threading.BrokenBarrierError:
            raise BrokenBarrierError from None
