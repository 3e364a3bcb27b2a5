"""Bug: ``abort()`` writes the broken state without the lock, and takes it only to notify.

A standalone copy of CPython's ``threading.Barrier`` algorithm whose ``abort`` assigns
``self._state = BROKEN`` before taking the lock ("an assignment is atomic"). It is, but the
threads holding the lock read and write ``_state`` in several statements: a ``wait()`` that has
already passed the entry check overwrites BROKEN with DRAINING when it trips, and the barrier
ends up FILLING again. The abort is lost: it returned, yet ``broken`` reads False and later
waits succeed. The window lies between plain statements of the lock holder, so only line-level
preemption finds it (with an action that is itself a scheduling point, the window also spans
the action).

Rule: R-ABORT (also: R-BROKEN-FLAG, R-BROKEN-WAIT)
Scenario: parties=1, threads=["wait", "abort wait"]
  (t0 passes the entry check; t1 writes BROKEN; t0 trips and leaves; t1's wait, after its own
  abort, returns 0.)
"""

from __future__ import annotations

import threading
from collections.abc import Callable

__all__ = ["Barrier", "BrokenBarrierError"]

BrokenBarrierError = threading.BrokenBarrierError

FILLING, DRAINING, RESETTING, BROKEN = 0, 1, -1, -2


class Barrier:
    """CPython's barrier algorithm, with an unlocked abort."""

    def __init__(
        self,
        parties: int,
        action: Callable[[], object] | None = None,
        timeout: float | None = None,
    ) -> None:
        if parties < 1:
            raise ValueError(f"parties must be >= 1, got {parties!r}")
        self._cond = threading.Condition(threading.Lock())
        self._action = action
        self._timeout = timeout
        self._parties = parties
        self._state = FILLING
        self._count = 0

    def wait(self, timeout: float | None = None) -> int:
        if timeout is None:
            timeout = self._timeout
        with self._cond:
            while self._state in (RESETTING, DRAINING):
                self._cond.wait()
            if self._state == BROKEN:
                raise BrokenBarrierError
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
                if self._count == 0 and self._state in (RESETTING, DRAINING):
                    self._state = FILLING
                    self._cond.notify_all()

    def reset(self) -> None:
        with self._cond:
            if self._count > 0:
                if self._state in (FILLING, BROKEN):
                    self._state = RESETTING
            else:
                self._state = FILLING
            self._cond.notify_all()

    def abort(self) -> None:
        self._state = BROKEN  # BUG: must be written under the lock
        with self._cond:
            self._cond.notify_all()

    @property
    def parties(self) -> int:
        return self._parties

    @property
    def n_waiting(self) -> int:
        return self._count if self._state == FILLING else 0

    @property
    def broken(self) -> bool:
        return self._state == BROKEN

    def _release(self) -> None:
        try:
            if self._action:
                self._action()
        except BaseException:
            self._break()
            raise
        self._state = DRAINING
        self._cond.notify_all()

    def _wait(self, timeout: float | None) -> None:
        if not self._cond.wait_for(lambda: self._state != FILLING, timeout):
            self._break()
            raise BrokenBarrierError
        if self._state != DRAINING:
            raise BrokenBarrierError

    def _break(self) -> None:
        self._state = BROKEN
        self._cond.notify_all()
