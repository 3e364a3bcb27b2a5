"""Bug: a timed-out waiter raises even when its generation tripped before it could look.

A copy of :mod:`barrierlab.impl.event_per_generation` that trusts the result of
``event.wait(timeout)``: on ``False`` it breaks the generation if it is still current and
raises ``BrokenBarrierError`` in any case. If the last party arrives between the expiry and
the moment the timed-out thread takes the lock, the generation has tripped (the last arrival
returned its index), and yet this party raises: the expiry lost the race but acts as if it won.

Rule: R-TIMEOUT (also: R-RELEASE-ALL, R-TIMEOUT-DEFAULT)
Scenario: parties=2, threads=["wait(1)", "wait"]
  (t0's timeout expires; t1 arrives and trips the generation before t0 re-takes the lock.)
"""

from __future__ import annotations

from barrierlab.impl import event_per_generation

__all__ = ["Barrier"]

BrokenBarrierError = event_per_generation.BrokenBarrierError


class Barrier(event_per_generation.Barrier):
    """The event-per-generation barrier, losing the timeout/trip race."""

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
            if generation.arrived == self._parties:
                self._trip(generation)
                return index
        if not generation.event.wait(timeout):
            # BUG: the generation may have been released since the wait timed out.
            with self._lock:
                if generation.outcome is None:
                    self._decide_broken(generation)
            raise BrokenBarrierError
        with self._lock:
            if generation.outcome == event_per_generation.BROKEN:
                raise BrokenBarrierError
            return index
