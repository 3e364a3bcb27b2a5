"""A barrier as a user writes one: a counter, a generation number and one Condition.

About twenty lines of plain ``threading`` code, the kind barrierlab exists to check. It is
meant for ``wait`` (with or without a timeout: a timeout breaks the barrier) and ``abort``;
its ``reset`` is only right while nobody waits (waiters would not all see it). It is the
benchmark of exhaustive search with footprints (``python -m barrierlab.checker.bench.reduction``).
Not one of the catalogued targets.
"""

import threading


class Barrier:
    def __init__(self, parties, action=None, timeout=None):
        self.parties, self._action, self._timeout = parties, action, timeout
        self._cond = threading.Condition()
        self._count = 0
        self._generation = 0
        self.broken = False

    @property
    def n_waiting(self):
        return self._count

    def wait(self, timeout=None):
        if timeout is None:
            timeout = self._timeout
        with self._cond:
            if self.broken:
                raise threading.BrokenBarrierError
            generation, index = self._generation, self._count
            self._count += 1
            if self._count == self.parties:
                if self._action is not None:
                    try:
                        self._action()
                    except BaseException:
                        self._break()
                        raise
                self._count = 0
                self._generation += 1
                self._cond.notify_all()
                return index
            while generation == self._generation and not self.broken:
                if not self._cond.wait(timeout):
                    self._break()
            if generation != self._generation:
                return index
            raise threading.BrokenBarrierError

    def _break(self):
        self.broken = True
        self._count = 0
        self._cond.notify_all()

    def abort(self):
        with self._cond:
            self._break()

    def reset(self):
        with self._cond:
            if self._count:
                self._break()
            self.broken = False
