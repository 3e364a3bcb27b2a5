"""A barrier whose *first* arrival leads: it runs the action once everyone else has arrived.

The design
----------

In CPython the last thread to arrive runs the action: it is awake anyway. Here the first
arrival of each generation is its *leader* (index 0), in the spirit of barriers that elect a
leader per batch and let it do the round's bookkeeping. Everything is guarded by one
:class:`threading.Condition`; a generation is a small record that goes through three states:

* **filling**: parties arrive and take indices in arrival order;
* **full** (``parties`` have arrived, the action is *due*): the last arrival does not run the
  action; it marks the generation full, wakes the leader and waits like everyone else. Later
  arrivals are held at the gate until the generation is decided, so a round can never be
  overtaken by the next one;
* **decided**: the leader, woken up holding the lock, runs the action (still holding it) and
  decides the generation *released*, or *broken* if the action raised; or a timeout,
  ``reset()`` or ``abort()`` decided it *broken* first. Deciding installs a fresh generation
  (except for ``abort()``, whose broken generation stays current so that later waits raise).

Once a generation is full, nobody's timeout breaks it: the leader is awake and about to act,
so every party is bound to be released soon. While the action is only due, though, the lock is
free, and a ``reset()`` or ``abort()`` that gets it first breaks the full generation: all its
parties raise and the action never runs. (The documentation allows that; CPython cannot show
it, since its last arrival runs the action without letting go of the lock.)

A worked example with ``parties = 3`` and an action: A arrives first (index 0, the leader) and
waits for its generation to fill or be decided. B arrives (index 1) and waits for a decision.
C arrives (index 2): the generation is full, C wakes A and waits. A runs the action, decides
"released", installs the next generation, wakes everyone and returns 0; B and C return 1 and
2. Had the action raised, A's ``wait()`` would raise that exception and B and C
``BrokenBarrierError``.

A wait's deadline counts from the moment it passes the gate, as in CPython. The attributes are
read without the lock from an immutable ``_view = (n_waiting, broken)`` published under it after
every change, so each read is a single step; ``n_waiting`` counts the parties of the current
generation, including a full one.

Differences from CPython (the ``cpython`` profile rules this design breaks)
--------------------------------------------------------------------------

* ``C-ACTION-LAST``: the first arrival (index 0) runs the action, not the last (index
  ``parties - 1``); when the action raises, the first arrival is the one that raises it.
* ``C-INDEX-ORDER``: so the thread that ran the action returns 0, where CPython's returns
  ``parties - 1``. This is what a trace shows first; ``C-ACTION-LAST`` itself shows only when
  an observer proves who arrived first (``n_waiting`` read as 1 before the second arrival).
* ``C-RESET-DRAIN``: a ``reset()`` (or ``abort()``) that comes after the last arrival but
  before the leader has decided fails the whole generation, with or without an action, where
  CPython's generation is already released and returns normally. Scenario:
  ``parties=2, threads=["wait", "wait wait", "reset"]``.
* ``C-DRAIN``: a decided generation is replaced at once, so an arrival after the release joins
  the next generation while the released parties are still on their way out.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from barrierlab.impl.published import PublishedState

__all__ = ["Barrier", "BrokenBarrierError"]

BrokenBarrierError = threading.BrokenBarrierError

RELEASED = "released"
BROKEN = "broken"


class _Generation:
    __slots__ = ("arrived", "full", "outcome")

    def __init__(self) -> None:
        self.arrived = 0
        self.full = False
        self.outcome: str | None = None  # None until decided, then RELEASED or BROKEN


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
        self._generation = _Generation()

    def wait(self, timeout: float | None = None) -> int:
        """Wait until ``parties`` threads have called ``wait``; return this thread's index.

        The first arrival of a generation (index 0) runs the action.
        """
        if timeout is None:
            timeout = self._timeout
        with self._cond:
            # The gate: hold arrivals while a full generation waits for its leader.
            self._cond.wait_for(self._gate_open)
            deadline = None if timeout is None else time.monotonic() + timeout
            generation = self._generation
            if generation.outcome is not None:
                # invariant: the only decided generation that stays current is a broken one.
                assert generation.outcome == BROKEN
                raise BrokenBarrierError
            index = generation.arrived
            generation.arrived += 1
            if generation.arrived == self._parties:
                generation.full = True
                self._cond.notify_all()  # wake the leader
            self._publish()
            if index == 0:
                self._lead(generation, deadline)
                return 0
            self._await_decision(generation, deadline)
            return index

    def reset(self) -> None:
        """Break the current generation, if anyone is in it, and start a new one."""
        with self._cond:
            current = self._generation
            if current.outcome is None and current.arrived > 0:
                current.outcome = BROKEN
            self._generation = _Generation()
            self._publish()
            self._cond.notify_all()

    def abort(self) -> None:
        """Break the current generation: current and future waits raise until a reset."""
        with self._cond:
            if self._generation.outcome is None:
                self._decide(self._generation, BROKEN, keep=True)

    # -- called with the lock held ------------------------------------------------------

    def _gate_open(self) -> bool:
        current = self._generation
        return not current.full or current.outcome is not None

    def _lead(self, generation: _Generation, deadline: float | None) -> None:
        """As the leader: wait for the generation to fill, then run the action and decide."""
        if not self._wait_while_filling(generation, deadline):
            self._decide(generation, BROKEN, keep=True)  # timed out while filling
        if generation.outcome is not None:
            raise BrokenBarrierError
        try:
            if self._action is not None:
                self._action()
        except BaseException:
            self._decide(generation, BROKEN, keep=True)
            raise
        self._decide(generation, RELEASED, keep=False)

    def _await_decision(self, generation: _Generation, deadline: float | None) -> None:
        """As any other party: wait for the leader's decision; a timeout counts while filling."""
        if not self._wait_while_filling(generation, deadline):
            self._decide(generation, BROKEN, keep=True)
        # Full: the leader is bound to decide, so wait for it without a deadline.
        self._cond.wait_for(lambda: generation.outcome is not None)
        if generation.outcome == BROKEN:
            raise BrokenBarrierError

    def _wait_while_filling(self, generation: _Generation, deadline: float | None) -> bool:
        """Wait for the generation to be full or decided; False if the deadline came first."""

        def filled_or_decided() -> bool:
            return generation.full or generation.outcome is not None

        if deadline is None:
            return self._cond.wait_for(filled_or_decided)
        return self._cond.wait_for(filled_or_decided, deadline - time.monotonic())

    def _decide(self, generation: _Generation, outcome: str, *, keep: bool) -> None:
        # invariant: a generation is decided once, and only the current one.
        assert generation.outcome is None and generation is self._generation
        generation.outcome = outcome
        if not keep:
            self._generation = _Generation()
        self._publish()
        self._cond.notify_all()

    def _publish(self) -> None:
        current = self._generation
        if current.outcome == BROKEN:
            self._view = (0, True)
        else:
            # invariant: a generation never holds more than parties threads.
            assert current.arrived <= self._parties
            self._view = (current.arrived, False)
