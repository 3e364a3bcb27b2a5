"""A barrier of one lock and one :class:`threading.Event` per generation.

The design
----------

The lock guards the bookkeeping only; nobody ever waits while holding it. Each generation (one
round of ``parties`` threads) is a small record with its own :class:`threading.Event`. A thread
in :meth:`Barrier.wait` registers with the current generation under the lock, lets the lock go,
and then blocks on that generation's event, outside the lock. The event is set exactly once,
when the generation is *decided*:

* **released**: the last arrival ran the action (holding the lock) and the generation tripped;
* **broken**: a waiter timed out, the action raised, or ``reset()`` / ``abort()`` broke it.

The decision is written into the record (``outcome``) under the lock before the event is set,
so a woken thread reads one field to know whether to return its index or raise. A thread whose
event wait timed out takes the lock and looks again: if the generation was released meanwhile
it returns normally (the trip won the race); otherwise it decides the generation *broken*.

When a generation is released or reset, a fresh record becomes current at once, so a thread
that arrives while the released ones are still waking up joins the next round immediately; it
waits on a different event and cannot be confused with them. After ``abort()`` the broken
record stays current, so every later ``wait()`` raises until ``reset()`` installs a new one.

A worked example with ``parties = 2``: A registers with g1 (index 0) and waits on
``g1.event``. B registers (index 1), is the last arrival, runs the action, marks g1 released,
installs g2 and sets ``g1.event``; B returns 1. C arrives before A has woken up: it registers
with g2 (index 0) and waits on ``g2.event``. A wakes up, reads ``g1.outcome`` and returns 0.

Indices are handed out in arrival order, and the last arrival runs the action, as in CPython.
The attributes are read without the lock from an immutable ``_view = (n_waiting, broken)``
published under the lock after every change, so each read is a single step.

Differences from CPython (the ``cpython`` profile rules this design breaks)
--------------------------------------------------------------------------

None of these shows in a trace: a released or reset party's departure can always be placed
before the next arrival (it happens between its call and its return), so a held-back arrival
and one let in at once look the same from outside. The ``cpython`` profile accepts this
barrier; the differences are in how it works, not in what it does.

* ``C-DRAIN``: a thread arriving while the previous generation drains joins the next generation
  at once. Also, ``abort()`` during a drain does not fail the released threads, whose event is
  set (the ``cpython`` profile's drain machine fails them).
* ``C-N-WAITING``: ``n_waiting`` counts those early arrivals while the old generation drains.
* ``C-DRAIN`` (its resetting half): ``reset()`` installs the new generation at once, without
  holding arrivals back until the reset waiters have left.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from barrierlab.impl.published import PublishedState

__all__ = ["Barrier", "BrokenBarrierError"]

BrokenBarrierError = threading.BrokenBarrierError

RELEASED = "released"
BROKEN = "broken"


class _Generation:
    __slots__ = ("arrived", "event", "outcome")

    def __init__(self) -> None:
        self.arrived = 0
        self.outcome: str | None = None  # None while filling, then RELEASED or BROKEN
        self.event = threading.Event()


class Barrier(PublishedState):
    """A barrier for ``parties`` threads with the API of :class:`threading.Barrier`."""

    def __init__(
        self,
        parties: int,
        action: Callable[[], object] | None = None,
        timeout: float | None = None,
    ) -> None:
        super().__init__(parties, action, timeout)
        self._lock = threading.Lock()
        self._generation = _Generation()

    def wait(self, timeout: float | None = None) -> int:
        """Wait until ``parties`` threads have called ``wait``; return this thread's index."""
        if timeout is None:
            timeout = self._timeout
        with self._lock:
            generation = self._generation
            if generation.outcome is not None:
                # invariant: the only decided generation that stays current is a broken one.
                assert generation.outcome == BROKEN
                raise BrokenBarrierError
            index = generation.arrived
            generation.arrived += 1
            self._publish()
            if generation.arrived == self._parties:
                self._trip(generation)
                return index
        generation.event.wait(timeout)
        with self._lock:
            if generation.outcome is None:
                # Timed out, and the generation is still filling: it must be the current one.
                assert generation is self._generation
                self._decide_broken(generation)
            if generation.outcome == BROKEN:
                raise BrokenBarrierError
            return index

    def reset(self) -> None:
        """Break the current generation (its waiters raise) and start a new one."""
        with self._lock:
            old = self._generation
            self._generation = _Generation()
            if old.outcome is None and old.arrived > 0:
                self._decide_broken(old)
            self._publish()

    def abort(self) -> None:
        """Break the current generation: current and future waits raise until a reset."""
        with self._lock:
            if self._generation.outcome is None:
                self._decide_broken(self._generation)

    # -- called with the lock held ------------------------------------------------------

    def _trip(self, generation: _Generation) -> None:
        try:
            if self._action is not None:
                self._action()
        except BaseException:
            self._decide_broken(generation)
            raise
        generation.outcome = RELEASED
        self._generation = _Generation()
        self._publish()
        generation.event.set()

    def _decide_broken(self, generation: _Generation) -> None:
        # invariant: a generation is decided once.
        assert generation.outcome is None
        generation.outcome = BROKEN
        self._publish()
        generation.event.set()

    def _publish(self) -> None:
        current = self._generation
        if current.outcome == BROKEN:
            self._view = (0, True)
        else:
            # invariant: an undecided generation holds fewer than parties threads, except
            # while the last arrival runs the action.
            assert current.arrived <= self._parties
            self._view = (current.arrived, False)
