"""Correct: the barrier most people hand-write. ``Barrier(n)``, ``wait()`` only, returns None.

A count and a generation number under one condition: each arrival counts itself; the last one
starts a new generation, zeroes the count and wakes everybody; the others wait until the
generation they arrived in is over (the generation number, not the count, so that a fast thread
of the next generation cannot hold back a slow one of this one). No reset, no abort, no
timeout, no action, no index.
"""

from __future__ import annotations

import threading

__all__ = ["Barrier"]


class Barrier:
    """A reusable count-down barrier for ``parties`` threads."""

    def __init__(self, parties: int) -> None:
        self._parties = parties
        self._cond = threading.Condition(threading.Lock())
        self._count = 0  # invariant: 0 <= _count < _parties between calls
        self._generation = 0

    def wait(self) -> None:
        with self._cond:
            generation = self._generation
            self._count += 1
            if self._count == self._parties:
                self._count = 0
                self._generation += 1
                self._cond.notify_all()
                return
            while generation == self._generation:
                self._cond.wait()
