"""A sense-reversing barrier: one shared bit that the last arrival flips.

The design
----------

The classic sense-reversing barrier (Hensgen, Finkel and Manber; Mellor-Crummey and Scott) has
no generation objects and no phases, only a shared bit ``_sense``. A thread entering
:meth:`Barrier.wait` computes the value the bit will have once its round is complete (the
opposite of what it reads now), registers, and waits for the bit to take that value. The last
arrival runs the action and flips the bit, releasing everyone at once.

A single bit cannot tell "flipped once" from "flipped twice": if a released thread were still
asleep when the *next* round completed, it would see the bit back at its old value and sleep
forever. Two counters prevent that:

* ``_leaving`` counts the released parties that have not yet left ``wait()``. A thread arriving
  while it is positive waits at the gate, so a round cannot complete, and the bit cannot flip
  again, until every party of the previous round has seen the flip.
* ``_resets`` counts the resets and aborts that broke waiting threads. A waiter remembers it on
  arrival: if it changed, its round was broken, whatever the bit says now.

While a round drains (``_leaving > 0``) nobody is registered, since arrivals wait at the gate.
So ``reset()`` and ``abort()`` either find waiters to break (``_leaving == 0``) or released
parties to leave alone (``_leaving > 0``), never both; that is what keeps the two counters
unambiguous. A released party always returns its index, even if ``abort()`` comes before it
wakes up.

Everything is guarded by a :class:`threading.Condition` over a plain lock. The attributes are
read without the lock from an immutable ``_view = (n_waiting, broken)`` published under it after
every change, so each read is a single step.

Differences from CPython (the ``cpython`` profile rules this design breaks)
--------------------------------------------------------------------------

None of these shows in a trace: a released or reset party's departure can always be placed
before the next arrival (it happens between its call and its return), so a held-back arrival
and one let in at once look the same from outside. The ``cpython`` profile accepts this
barrier; the differences are in how it works, not in what it does.

* ``C-DRAIN`` (its resetting half): ``reset()`` lets new arrivals in at once; the reset waiters
  leave on their own (CPython holds arrivals back until they have left). The draining half
  holds: arrivals wait at the gate while a released round drains.
* ``C-N-WAITING``: so after a reset, ``n_waiting`` counts the new arrivals while the reset
  waiters are still leaving (CPython reads 0 until they have left).
* ``abort()`` while a round drains does not fail its released parties (the ``cpython``
  profile's drain machine, ``C-DRAIN``, fails those that have not left).
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from barrierlab.impl.published import PublishedState

__all__ = ["Barrier", "BrokenBarrierError"]

BrokenBarrierError = threading.BrokenBarrierError


class Barrier(PublishedState):
    """A barrier for ``parties`` threads with the API of :class:`threading.Barrier`."""

    def __init__(
        self,
        parties: int,
        action: Callable[[], object] | None = None,
        timeout: float | None = None,
    ) -> None:
        super().__init__(parties, action, timeout)
        self._cond = threading.Condition(threading.Lock())
        self._sense = False
        # invariant: 0 <= _count < parties outside the action; _count == 0 while _leaving > 0.
        self._count = 0
        self._leaving = 0
        self._resets = 0
        self._broken = False

    def wait(self, timeout: float | None = None) -> int:
        """Wait until ``parties`` threads have called ``wait``; return this thread's index."""
        if timeout is None:
            timeout = self._timeout
        with self._cond:
            self._cond.wait_for(lambda: self._leaving == 0)
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
            self._leaving -= 1
            # invariant: only released parties leave, each once.
            assert self._leaving >= 0
            if self._leaving == 0:
                self._cond.notify_all()  # open the gate
            return index

    def reset(self) -> None:
        """Break the waiting threads, if any, and return to the empty, unbroken state."""
        with self._cond:
            if self._leaving == 0:
                self._resets += 1
            self._count = 0
            self._broken = False
            self._publish()
            self._cond.notify_all()

    def abort(self) -> None:
        """Break the barrier: current and future waits raise until a reset."""
        with self._cond:
            self._break()

    # -- called with the lock held ------------------------------------------------------

    def _trip(self, release_sense: bool) -> None:
        try:
            if self._action is not None:
                self._action()
        except BaseException:
            self._break()
            raise
        self._leaving = self._parties - 1
        self._count = 0
        self._sense = release_sense
        self._publish()
        self._cond.notify_all()

    def _break(self) -> None:
        if self._leaving == 0:
            self._resets += 1  # the waiters, if any, are broken even if a reset follows
        self._broken = True
        self._count = 0
        self._publish()
        self._cond.notify_all()

    def _publish(self) -> None:
        assert 0 <= self._count <= self._parties
        assert self._leaving == 0 or self._count == 0
        self._view = (0 if self._broken else self._count, self._broken)
