"""Bug (of use): the reusable two-turnstile barrier of *The Little Book of Semaphores* (3.7).

``Barrier(n)``, ``wait()`` only, returning None. A mutex-protected count, and two turnstiles
(semaphores): the last thread in opens the first turnstile for all ``n``; the last thread out
of the first phase opens the second. Two phases keep a fast thread from lapping the others.
It is correct only while exactly ``n`` threads use it: a further thread arriving while a
generation leaves counts itself into the wrong phase, takes a permit meant for another, and a
released thread stays blocked. ``threading.Barrier`` promises more (any number of threads).

Rule: R-RELEASE-ALL (also: deadlock, R-RELEASE, R-REUSE)
"""

from __future__ import annotations

import threading

__all__ = ["Barrier"]


class Barrier:
    """A reusable barrier for ``n`` threads made of semaphores only."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.count = 0
        self.mutex = threading.Semaphore(1)
        self.turnstile = threading.Semaphore(0)
        self.turnstile2 = threading.Semaphore(0)

    def wait(self) -> None:
        with self.mutex:
            self.count += 1
            if self.count == self.n:
                for _ in range(self.n):
                    self.turnstile.release()
        self.turnstile.acquire()
        with self.mutex:
            self.count -= 1
            if self.count == 0:
                for _ in range(self.n):
                    self.turnstile2.release()
        self.turnstile2.acquire()
