"""Bug: generation records are recycled from a pool of two without clearing their event.

:mod:`barrierlab.impl.event_per_generation` makes a fresh record (with a fresh
:class:`threading.Event`) for every generation. This version keeps two records and alternates
them to avoid the allocation, resetting ``arrived`` and ``outcome`` on reuse but not the event.
The first two generations are fine; the third reuses the first one's record, whose event is
still set, so its first arrival does not block: its event wait returns at once, it finds the
generation undecided, takes that for a timeout and breaks the barrier. (A waiter of the first
generation that is still asleep when the third begins is confused the same way.)

Rule: R-BROKEN-WAIT (also: R-RELEASE, R-RELEASE-ALL, R-TIMEOUT, R-BROKEN-FLAG, R-REUSE)
Scenario: parties=2, threads=["wait wait wait", "wait wait"]
  (the third generation's first ``wait()``, which has no timeout, raises BrokenBarrierError.)
"""

from __future__ import annotations

from barrierlab.impl import event_per_generation
from barrierlab.impl.event_per_generation import RELEASED, _Generation

__all__ = ["Barrier"]


class Barrier(event_per_generation.Barrier):
    """The event-per-generation barrier with two recycled generation records."""

    def __init__(self, parties, action=None, timeout=None):
        super().__init__(parties, action, timeout)
        self._spare = _Generation()

    def _trip(self, generation: _Generation) -> None:
        try:
            if self._action is not None:
                self._action()
        except BaseException:
            self._decide_broken(generation)
            raise
        generation.outcome = RELEASED
        following, self._spare = self._spare, generation
        following.arrived = 0
        following.outcome = None  # BUG: following.event.clear() is missing
        self._generation = following
        self._publish()
        generation.event.set()
