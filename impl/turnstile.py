"""A barrier of semaphores only: a two-phase turnstile, after *The Little Book of Semaphores*.

The design
----------

There is no lock and no condition variable: the mutex is a :class:`threading.Semaphore` of one
permit, and threads block on semaphores that start with no permit. Every round of ``parties``
threads has its own record with two turnstiles:

* **phase 1, the way through.** Waiters block on ``round.turnstile``. When the round is decided
  (released by the last arrival, or broken) the decider releases *one* permit; every thread
  that gets through immediately releases one permit for the next (``acquire(); release()``).
  So the turnstile, once opened, stays open, however many threads wait on it, including
  threads that have not reached it yet.
* **phase 2, the door.** Releasing a round shuts ``self._door`` behind it: a thread that arrives
  while the released parties are still passing the turnstile waits at the door (untimed, like
  CPython's drain gate) and is let in, again one by one, when the last released party has
  passed. So generations never mix, and a released round can never be overtaken.

``n_waiting`` counts the threads registered with the current round, so it reads 0 from the
moment a round is released, as in CPython. It is read without the mutex from an immutable
``_view`` published under it, so each read is one step.

A timed waiter whose ``acquire`` times out takes the mutex and looks at its round: if it was
decided meanwhile it behaves as if it had got through (it still counts itself out of the
drain); otherwise it breaks the round. ``reset()`` breaks the current round and starts a new
one at once; ``abort()`` breaks the current round and leaves it current, so later waits raise
until a reset. A released round is already decided, so neither call fails its parties.

A worked example with ``parties = 2``: A arrives (index 0) and blocks on r1's turnstile. B
arrives (index 1), runs the action holding the mutex, marks r1 released with one party still
to get through, shuts the door, installs r2 and opens r1's turnstile; B returns 1. C arrives:
the door is shut, so C waits there. A gets through the turnstile, counts itself out (the
drain count reaches 0), opens the door and returns 0. C comes in and joins r2 with index 0.

Differences from CPython (the ``cpython`` profile rules this design breaks)
--------------------------------------------------------------------------

None of these shows in a trace: a released or reset party's departure can always be placed
before the next arrival (it happens between its call and its return), so a held-back arrival
and one let in at once look the same from outside. The ``cpython`` profile accepts this
barrier; the differences are in how it works, not in what it does.

* ``C-DRAIN`` (its resetting half): ``reset()`` starts the new round at once, without holding
  arrivals back until the reset waiters have left. The draining half holds: the door keeps
  arrivals out while a released round drains.
* ``C-N-WAITING``: so after a reset, ``n_waiting`` counts the new arrivals while the reset
  waiters are still leaving (CPython reads 0 until they have left).
* ``abort()`` during a drain does not fail the released parties (the ``cpython`` profile's
  drain machine, ``C-DRAIN``, fails those that have not left).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from threading import Semaphore

from barrierlab.impl.published import PublishedState

__all__ = ["Barrier", "BrokenBarrierError"]

BrokenBarrierError = threading.BrokenBarrierError


class _Round:
    __slots__ = ("arrived", "outcome", "to_drain", "turnstile")

    def __init__(self) -> None:
        self.arrived = 0
        self.outcome: str | None = None  # None while filling, then "released" or "broken"
        self.to_drain = 0  # released parties that have not yet got through
        self.turnstile = Semaphore(0)


class Barrier(PublishedState):
    """A barrier for ``parties`` threads with the API of :class:`threading.Barrier`."""

    def __init__(
        self,
        parties: int,
        action: Callable[[], object] | None = None,
        timeout: float | None = None,
    ) -> None:
        super().__init__(parties, action, timeout)
        self._mutex = Semaphore(1)
        self._round = _Round()
        self._draining: _Round | None = None  # the released round still passing, if any
        self._door: Semaphore | None = None  # shut while _draining is not None

    def wait(self, timeout: float | None = None) -> int:
        """Wait until ``parties`` threads have called ``wait``; return this thread's index."""
        if timeout is None:
            timeout = self._timeout
        self._mutex.acquire()
        while self._door is not None:
            door = self._door
            self._mutex.release()
            door.acquire()  # phase 2 of the previous round: wait for it to drain
            door.release()  # and let the next one in
            self._mutex.acquire()
        rnd = self._round
        if rnd.outcome is not None:
            self._mutex.release()
            raise BrokenBarrierError
        index = rnd.arrived
        rnd.arrived += 1
        self._publish()
        if rnd.arrived == self._parties:
            try:
                self._trip(rnd)
            finally:
                self._mutex.release()
            return index
        self._mutex.release()
        if rnd.turnstile.acquire(timeout=timeout):
            rnd.turnstile.release()
        self._mutex.acquire()
        try:
            if rnd.outcome is None:
                # Timed out, and the round is still filling: it is the current one.
                assert rnd is self._round
                self._decide(rnd, "broken")
            if rnd.outcome == "broken":
                raise BrokenBarrierError
            self._got_through(rnd)
            return index
        finally:
            self._mutex.release()

    def reset(self) -> None:
        """Break the current round (its waiters raise) and start a new one."""
        self._mutex.acquire()
        try:
            old = self._round
            if old.outcome is None and old.arrived > 0:
                self._decide(old, "broken")
            self._round = _Round()
            self._publish()
        finally:
            self._mutex.release()

    def abort(self) -> None:
        """Break the current round: current and future waits raise until a reset."""
        self._mutex.acquire()
        try:
            if self._round.outcome is None:
                self._decide(self._round, "broken")
        finally:
            self._mutex.release()

    # -- called holding the mutex ---------------------------------------------------------

    def _trip(self, rnd: _Round) -> None:
        """As the last arrival: run the action, then release the round."""
        try:
            if self._action is not None:
                self._action()
        except BaseException:
            self._decide(rnd, "broken")
            raise
        rnd.to_drain = self._parties - 1
        if rnd.to_drain:
            self._draining = rnd
            self._door = Semaphore(0)
        self._round = _Round()
        self._decide(rnd, "released")

    def _got_through(self, rnd: _Round) -> None:
        """A released party leaves; the last one out of a draining round opens the door."""
        rnd.to_drain -= 1
        # invariant: only the parties of the released round count out, each once.
        assert rnd.to_drain >= 0 and rnd is self._draining
        if rnd.to_drain == 0:
            door, self._door, self._draining = self._door, None, None
            assert door is not None
            door.release()
        self._publish()

    def _decide(self, rnd: _Round, outcome: str) -> None:
        # invariant: a round is decided once.
        assert rnd.outcome is None
        rnd.outcome = outcome
        self._publish()
        rnd.turnstile.release()

    def _publish(self) -> None:
        current = self._round
        if current.outcome == "broken":
            self._view = (0, True)
            return
        # invariant: a round never holds more than parties threads; while one drains, the
        # door keeps the next one empty.
        assert current.arrived <= self._parties
        assert self._draining is None or current.arrived == 0
        self._view = (current.arrived, False)
