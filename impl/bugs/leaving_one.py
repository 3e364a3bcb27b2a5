"""Bug: the sense-reversing barrier expects one party to leave after a trip, not ``parties - 1``.

:mod:`barrierlab.impl.sense_reversing` holds arrivals at a gate until every released waiter has
left (``_leaving`` counts them down from ``parties - 1``). This version sets ``_leaving`` to at
most 1, a slip from a two-party draft: with ``parties <= 2`` it is right, and a single
generation shows nothing (the count just goes below zero as the second waiter leaves). From
then on the gate (``_leaving == 0``) never opens again: with ``parties >= 3`` the next
generation can never fill, and its arrivals block forever at the gate.

Rule: R-RELEASE-ALL (also: deadlock, R-REUSE, R-TIMEOUT)
Scenario: parties=3, threads=["wait wait", "wait wait", "wait wait"]
"""

from __future__ import annotations

from barrierlab.impl import sense_reversing

__all__ = ["Barrier"]


class Barrier(sense_reversing.Barrier):
    """The sense-reversing barrier with a two-party count of leavers."""

    def wait(self, timeout=None):
        if timeout is None:
            timeout = self._timeout
        with self._cond:
            self._cond.wait_for(lambda: self._leaving == 0)
            if self._broken:
                raise sense_reversing.BrokenBarrierError
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
                raise sense_reversing.BrokenBarrierError
            if self._resets != resets or self._sense != release_sense:
                raise sense_reversing.BrokenBarrierError
            self._leaving -= 1
            if self._leaving == 0:
                self._cond.notify_all()  # open the gate
            return index

    def _trip(self, release_sense: bool) -> None:
        try:
            if self._action is not None:
                self._action()
        except BaseException:
            self._break()
            raise
        self._leaving = min(self._parties - 1, 1)  # BUG: must be self._parties - 1 (every waiter)
        self._count = 0
        self._sense = release_sense
        self._publish()
        self._cond.notify_all()

    def _publish(self) -> None:
        self._view = (0 if self._broken else self._count, self._broken)
