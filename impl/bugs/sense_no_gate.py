"""Bug: a sense-reversing barrier without its drain gate: the bit flips twice under a sleeper.

A copy of :mod:`barrierlab.impl.sense_reversing` without the ``_leaving`` count and the gate it
guards. A released party that has not yet woken up can be overtaken: with more threads than
parties, the next round fills up and flips the bit back before the sleeper looks at it. It then
sees the bit at the value it started from, takes it for "not yet released", and sleeps on.

Only shows with more threads than parties.

Rule: R-RELEASE-ALL (also: deadlock, R-TIMEOUT, R-TIMEOUT-DEFAULT)
Scenario: parties=2, threads=["wait", "wait wait", "wait"]
  (t1 trips the first round, comes back, and t2 trips the second before t0 wakes up.)
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from threading import Condition, Lock

__all__ = ["Barrier", "BrokenBarrierError"]

BrokenBarrierError = threading.BrokenBarrierError


class Barrier:
    """A sense-reversing barrier for ``parties`` threads, missing its drain gate."""

    def __init__(
        self,
        parties: int,
        action: Callable[[], object] | None = None,
        timeout: float | None = None,
    ) -> None:
        if parties < 1:
            raise ValueError(f"parties must be >= 1, got {parties!r}")
        self._cond = Condition(Lock())
        self._parties = parties
        self._action = action
        self._timeout = timeout
        self._sense = False
        self._count = 0
        self._resets = 0
        self._broken = False
        self._view = (0, False)

    def wait(self, timeout: float | None = None) -> int:
        if timeout is None:
            timeout = self._timeout
        with self._cond:
            # BUG: missing the gate `self._cond.wait_for(lambda: self._leaving == 0)`.
            if self._broken:
                raise BrokenBarrierError
            release_sense = not self._sense
            resets = self._resets
            index = self._count
            self._count += 1
            self._publish()
            if self._count == self._parties:
                self._trip(release_sense)
                return index

            def decided() -> bool:
                return self._resets != resets or self._sense == release_sense or self._broken

            if not self._cond.wait_for(decided, timeout):
                self._break()
                raise BrokenBarrierError
            if self._resets != resets or self._sense != release_sense:
                raise BrokenBarrierError
            return index

    def reset(self) -> None:
        with self._cond:
            self._resets += 1
            self._count = 0
            self._broken = False
            self._publish()
            self._cond.notify_all()

    def abort(self) -> None:
        with self._cond:
            self._break()

    @property
    def parties(self) -> int:
        return self._parties

    @property
    def n_waiting(self) -> int:
        return self._view[0]

    @property
    def broken(self) -> bool:
        return self._view[1]

    def _trip(self, release_sense: bool) -> None:
        try:
            if self._action is not None:
                self._action()
        except BaseException:
            self._break()
            raise
        self._count = 0
        self._sense = release_sense
        self._publish()
        self._cond.notify_all()

    def _break(self) -> None:
        self._resets += 1
        self._broken = True
        self._count = 0
        self._publish()
        self._cond.notify_all()

    def _publish(self) -> None:
        self._view = (0 if self._broken else self._count, self._broken)
