"""Bug: a thread counts itself out of the barrier after letting go of the lock.

``wait`` was "shortened" to hold the lock only while the thread is inside; the decrement of
``_count`` on the way out happens after the ``with`` block, as a read and a write in two
statements. Two parties leaving at the same time can both read the same count and write the
same value, so one departure is lost: ``_count`` never gets back to 0, the drain never ends,
and the next generation waits at the gate forever. Only line-level preemption (between the two
statements) finds it; at the level of synchronisation operations the window is invisible.

Rule: R-RELEASE-ALL (also: deadlock, R-REUSE)
Scenario: parties=2, threads=["wait wait", "wait wait"]
"""

from __future__ import annotations

import threading

__all__ = ["Barrier"]


class Barrier(threading.Barrier):
    """``threading.Barrier`` whose departures race on ``_count``."""

    def wait(self, timeout=None):
        if timeout is None:
            timeout = self._timeout
        with self._cond:
            self._enter()
            index = self._count
            self._count += 1
            if index + 1 == self._parties:
                outcome = self._attempt(self._release)
            else:
                outcome = self._attempt(self._wait, timeout)
        # BUG: the departure must happen under the lock.
        count = self._count
        self._count = count - 1
        with self._cond:
            self._exit()
        if outcome is not None:
            raise outcome
        return index

    @staticmethod
    def _attempt(step, *args):
        try:
            step(*args)
        except BaseException as error:
            return error
        return None
