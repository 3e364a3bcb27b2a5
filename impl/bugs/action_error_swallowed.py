"""Bug: an exception raised by the action is swallowed; the generation is released anyway.

The action's failure is caught "so that one bad callback does not break everyone", and the
generation is released as if the action had returned. The documentation says the barrier
must be broken instead.

Rule: R-ACTION-FAIL (also: R-BROKEN-FLAG)
Scenario: parties=1, threads=["wait"], action=raise@1
"""

from __future__ import annotations

import contextlib
import threading

__all__ = ["Barrier"]


class Barrier(threading.Barrier):
    """``threading.Barrier`` that ignores its action's exceptions."""

    def _release(self):
        if self._action:
            with contextlib.suppress(Exception):  # BUG: must break the barrier and re-raise
                self._action()
        self._state = 1
        self._cond.notify_all()
