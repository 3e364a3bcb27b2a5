"""Bug: indices start at 1: ``wait()`` returns a value in ``range(1, parties + 1)``.

``wait`` counts the arrival first and returns the new count, so the last arrival returns
``parties``, outside ``range(parties)``.

Rule: R-INDEX
Scenario: parties=1, threads=["wait"]
"""

from __future__ import annotations

import threading

__all__ = ["Barrier"]


class Barrier(threading.Barrier):
    """``threading.Barrier`` whose indices are off by one."""

    def wait(self, timeout=None):
        if timeout is None:
            timeout = self._timeout
        with self._cond:
            self._enter()
            self._count += 1
            index = self._count  # BUG: must be read before the increment
            try:
                if index == self._parties:
                    self._release()
                else:
                    self._wait(timeout)
                return index
            finally:
                self._count -= 1
                self._exit()
