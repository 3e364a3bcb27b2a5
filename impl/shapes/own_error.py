"""Correct: CPython's barrier with its own ``BrokenBarrierError``, a subclass of RuntimeError.

CPython 3.2's original ``Barrier`` and Python-2 backports of it define the error class beside
the barrier instead of taking :class:`threading.BrokenBarrierError`. A checker has to judge
this class as the spec's BrokenBarrierError: raising it is not a crash.
"""

from __future__ import annotations

import threading

__all__ = ["Barrier", "BrokenBarrierError"]


class BrokenBarrierError(RuntimeError):
    """The barrier is broken or was reset while a thread waited."""


class Barrier(threading.Barrier):
    """:class:`threading.Barrier`, raising this module's :class:`BrokenBarrierError`."""

    def wait(self, timeout=None):
        try:
            return super().wait(timeout)
        except threading.BrokenBarrierError:
            raise BrokenBarrierError from None
