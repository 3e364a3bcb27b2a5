"""Bug: the last arrival releases the generation first and runs the action afterwards.

A copy of :mod:`barrierlab.impl.event_per_generation` that moves the action out of the lock,
after the generation's event is set ("the others need not wait for it"). The released parties
can return before the action has even started, where the documentation says the action runs
before any of them is released.

Rule: R-ACTION-ONCE (also: R-ACTION-FAIL)
Scenario: parties=2, threads=["wait", "wait"], action=ok
"""

from __future__ import annotations

from barrierlab.impl import event_per_generation

__all__ = ["Barrier"]

BrokenBarrierError = event_per_generation.BrokenBarrierError


class Barrier(event_per_generation.Barrier):
    """The event-per-generation barrier, running the action too late."""

    def wait(self, timeout=None):
        if timeout is None:
            timeout = self._timeout
        with self._lock:
            generation = self._generation
            if generation.outcome is not None:
                raise BrokenBarrierError
            index = generation.arrived
            generation.arrived += 1
            self._publish()
            last = generation.arrived == self._parties
            if last:
                generation.outcome = event_per_generation.RELEASED
                self._generation = event_per_generation._Generation()
                self._publish()
                generation.event.set()
        if last:
            if self._action is not None:
                self._action()  # BUG: must run before the release, under the lock
            return index
        generation.event.wait(timeout)
        with self._lock:
            if generation.outcome is None:
                self._decide_broken(generation)
            if generation.outcome == event_per_generation.BROKEN:
                raise BrokenBarrierError
            return index
