"""A barrier on a primitive barrierlab does not control: ``multiprocessing``'s SemLock.

``multiprocessing.Barrier`` used from threads of one process is a correct barrier, but its
lock and condition are OS semaphores (``_multiprocessing.SemLock``): a thread blocked on one
is blocked outside barrierlab's scheduler. A check says so, naming the primitive, instead of
exploring interleavings it cannot control.

Rule: uncontrolled
"""

from __future__ import annotations

import multiprocessing

__all__ = ["Barrier"]


class Barrier:
    """``multiprocessing.Barrier(parties)``, wait-only."""

    def __init__(self, parties: int) -> None:
        self._barrier = multiprocessing.Barrier(parties)

    def wait(self) -> int:
        return self._barrier.wait()
