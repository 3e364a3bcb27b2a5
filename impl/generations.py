"""A barrier of generation objects, in the style of ``java.util.concurrent.CyclicBarrier``.

The design
----------

Where CPython keeps one barrier that cycles through phases, this barrier makes a new
:class:`Generation` object for every round. A thread that calls :meth:`Barrier.wait` takes a
reference to the current generation and from then on asks only *its* generation what happened:

* the generation was **replaced** (``self._generation`` is another object): it tripped, return;
* the generation is **broken** (a timeout, a failed action, ``reset()`` or ``abort()``): raise.

Everything is guarded by one :class:`threading.Condition`. ``_count`` counts the parties the
current generation still awaits, down from ``parties`` as in Java. When it reaches 0 the last
arrival runs the action (holding the lock) and then *trips*: it notifies everyone and installs a
fresh generation at once. So there is no drain phase: a thread arriving while the released ones
are still on their way out joins the next generation straight away, and cannot be confused with
them because it holds a different generation object.

``reset()`` breaks the current generation (its waiters raise) and installs a new one; ``abort()``
breaks the current generation and leaves it installed, so every later ``wait()`` raises until a
``reset()``. Released threads belong to a generation that is no longer current, so neither call
touches them: they return their index.

A worked example with ``parties = 3``:

1. A arrives: ``_count`` 3 -> 2, index 2; A waits on generation g1.
2. B arrives: ``_count`` 2 -> 1, index 1; B waits on g1.
3. C arrives: ``_count`` 1 -> 0, index 0: C runs the action, installs g2 (``_count`` = 3),
   notifies and returns 0.
4. D (a fourth thread) arrives before A and B have woken up: it joins g2 with index 2.
5. A and B wake up, see that g1 is no longer current and return 2 and 1.

The attributes are read without the lock. To keep each read a single, indivisible step, every
change under the lock ends by publishing an immutable ``_view = (n_waiting, broken)``; the
properties read one element of it.

Differences from CPython (the ``cpython`` profile rules this design breaks)
--------------------------------------------------------------------------

Only the first shows in a trace (the others, as for every barrier without CPython's gate,
are hidden: a departure can always be placed before the next arrival):

* ``C-INDEX-ORDER``: indices count *down*: the first arrival gets ``parties - 1``, the last 0
  (the last arrival still runs the action, as in CPython, but returns 0).
* ``C-DRAIN``: a thread arriving while the previous generation drains joins the next generation
  at once instead of waiting at a gate. Also, ``abort()`` while a generation drains does not
  fail its released threads (the ``cpython`` profile's drain machine fails them).
* ``C-N-WAITING``: ``n_waiting`` counts those early arrivals while the old generation drains
  (CPython reads 0 while draining).
* ``C-DRAIN`` (its resetting half): ``reset()`` installs the new generation at once; CPython
  holds new arrivals back until the reset waiters have left.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from barrierlab.impl.published import PublishedState

__all__ = ["Barrier", "BrokenBarrierError", "Generation"]

BrokenBarrierError = threading.BrokenBarrierError


class Generation:
    """One round of the barrier. It is either current, replaced (tripped), or broken."""

    __slots__ = ("broken",)

    def __init__(self) -> None:
        self.broken = False


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
        self._generation = Generation()
        # invariant: 0 <= _count <= parties; parties - _count threads wait in _generation,
        # unless it is broken (then _count == parties).
        self._count = parties

    def wait(self, timeout: float | None = None) -> int:
        """Wait until ``parties`` threads have called ``wait``; return this thread's index.

        Indices count down: the first arrival of a generation gets ``parties - 1``.
        """
        if timeout is None:
            timeout = self._timeout
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._cond:
            generation = self._generation
            if generation.broken:
                raise BrokenBarrierError
            self._count -= 1
            index = self._count
            self._publish()
            if index == 0:
                self._trip()
                return 0
            while True:
                if generation.broken:
                    raise BrokenBarrierError
                if generation is not self._generation:
                    return index  # tripped (even if our deadline has passed meanwhile)
                if deadline is None:
                    self._cond.wait()
                    continue
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    self._break_generation()
                    raise BrokenBarrierError
                self._cond.wait(remaining)

    def reset(self) -> None:
        """Break the current generation (its waiters raise) and start a new one."""
        with self._cond:
            if self._count < self._parties:
                self._generation.broken = True
            self._next_generation()

    def abort(self) -> None:
        """Break the current generation: current and future waits raise until a reset."""
        with self._cond:
            self._break_generation()

    # -- called with the lock held ------------------------------------------------------

    def _trip(self) -> None:
        """As the last arrival: run the action, then release the generation."""
        try:
            if self._action is not None:
                self._action()
        except BaseException:
            self._break_generation()
            raise
        self._next_generation()

    def _next_generation(self) -> None:
        self._generation = Generation()
        self._count = self._parties
        self._publish()
        self._cond.notify_all()

    def _break_generation(self) -> None:
        self._generation.broken = True
        self._count = self._parties
        self._publish()
        self._cond.notify_all()

    def _publish(self) -> None:
        # invariant: _count stays in range, and a broken generation has no waiters counted.
        assert 0 <= self._count <= self._parties
        assert not self._generation.broken or self._count == self._parties
        self._view = (self._parties - self._count, self._generation.broken)
