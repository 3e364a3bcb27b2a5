"""Bug: the timeout passed to ``wait()`` is ignored; only the constructor's default is used.

``wait`` always waits with ``self._timeout``: a per-call ``wait(timeout)`` on a barrier built
without a default timeout waits forever for the missing party.

Rule: R-TIMEOUT (also: deadlock)
Scenario: parties=2, threads=["wait(1)"]
"""

from __future__ import annotations

import threading

__all__ = ["Barrier"]


class Barrier(threading.Barrier):
    """``threading.Barrier`` whose ``wait`` ignores its ``timeout`` argument."""

    def wait(self, timeout=None):
        timeout = self._timeout  # BUG: must be `if timeout is None: timeout = self._timeout`
        with self._cond:
            self._enter()
            index = self._count
            self._count += 1
            try:
                if index + 1 == self._parties:
                    self._release()
                else:
                    self._wait(timeout)
                return index
            finally:
                self._count -= 1
                self._exit()
