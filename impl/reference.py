"""The reference barrier: CPython's observable behaviour, written to be read.

A barrier lets ``parties`` threads meet: each calls :meth:`Barrier.wait` and blocks until the
last of them arrives; then all of them are released together and the barrier is ready for the
next round. One round is a *generation*.

The design
----------

Everything lives under one :class:`threading.Condition` over a plain (non-reentrant) lock. The
barrier is always in one of four *phases*::

    FILLING ---last arrival, action ok---> DRAINING ---last party leaves---> FILLING
       |  \\                                   |
       |   `--timeout / action raises---> BROKEN <--- abort() from any phase
       |                                      |
       `--reset() with waiters--> RESETTING <-'  (reset() of a broken barrier with waiters)
                                      |
                                      `--last waiter leaves--> FILLING

``_inside`` counts the threads that have passed the entry gate of ``wait()`` and not yet left
it. A thread that arrives while the barrier is DRAINING or RESETTING waits at the gate (it is
not counted, and its timeout does not run there) until the previous generation has left, so
generations never mix.

A worked example with ``parties = 3``, threads A, B, C and an action:

1. A arrives in FILLING: it takes index 0 (``_inside`` becomes 1) and waits for the phase to
   leave FILLING.
2. B arrives: index 1, ``_inside`` = 2, waits.
3. C arrives: index 2 = ``parties - 1``, so C is the last arrival. C runs the action while
   holding the lock, phase still FILLING (``n_waiting`` reads 3 inside the action). The action
   returns, so C sets DRAINING, notifies everyone and returns 2.
4. A and B wake up in DRAINING and return 0 and 1. Each exit decrements ``_inside``; the last
   one out (``_inside`` back to 0) sets FILLING and notifies the threads held at the gate.

Had the action raised, C would have set BROKEN and re-raised the action's exception; A and B
wake up in BROKEN and raise :class:`threading.BrokenBarrierError`. A timeout in step 1 has the
same effect: A breaks the barrier and raises. ``reset()`` turns FILLING or BROKEN into
RESETTING when threads are inside (they raise and the last one out restores FILLING), or
straight into FILLING when nobody is inside; a reset while DRAINING changes nothing, since the
released threads are already on their way out. ``abort()`` sets BROKEN from any phase, so
even released threads that have not returned yet raise.

Indices are handed out in arrival order: the *n*-th thread to pass the gate in a generation
gets index *n*, and the last arrival (index ``parties - 1``) is the one that runs the action.

The barrier raises :class:`threading.BrokenBarrierError` itself, so code that catches it keeps
working whether it uses this class or :class:`threading.Barrier`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from enum import Enum

__all__ = ["Barrier", "BrokenBarrierError"]

BrokenBarrierError = threading.BrokenBarrierError


class Phase(Enum):
    """The phase of the current generation (see the module docstring)."""

    FILLING = "filling"
    DRAINING = "draining"
    RESETTING = "resetting"
    BROKEN = "broken"


class Barrier:
    """A barrier for ``parties`` threads with the API of :class:`threading.Barrier`.

    ``action``, when given, is called by the last thread to arrive, before anyone is released.
    ``timeout`` is the default for :meth:`wait` when it is called without one.
    """

    def __init__(
        self,
        parties: int,
        action: Callable[[], object] | None = None,
        timeout: float | None = None,
    ) -> None:
        if parties < 1:
            raise ValueError(f"parties must be >= 1, got {parties!r}")
        self._cond = threading.Condition(threading.Lock())
        self._action = action
        self._timeout = timeout
        self._parties = parties
        # invariant: 0 <= _inside; _inside < parties while FILLING outside the action.
        self._inside = 0
        self._phase = Phase.FILLING

    # -- the public API -------------------------------------------------------------------

    def wait(self, timeout: float | None = None) -> int:
        """Wait until ``parties`` threads have called ``wait``; return this thread's index.

        The index is in ``range(parties)``, distinct within a generation, in arrival order.
        Raises :class:`threading.BrokenBarrierError` if the barrier is broken, reset or aborted
        while waiting, or breaks it if ``timeout`` (or the constructor's default) runs out.
        """
        if timeout is None:
            timeout = self._timeout
        with self._cond:
            self._pass_the_gate()
            index = self._inside
            self._inside += 1
            try:
                if index + 1 == self._parties:
                    self._trip()
                else:
                    self._wait_for_release(timeout)
                return index
            finally:
                self._leave()

    def reset(self) -> None:
        """Return the barrier to the empty, unbroken state; waiting threads raise."""
        with self._cond:
            if self._inside > 0:
                if self._phase in (Phase.FILLING, Phase.BROKEN):
                    self._phase = Phase.RESETTING
                # A DRAINING generation is already released and leaves normally.
            else:
                self._phase = Phase.FILLING
            self._cond.notify_all()

    def abort(self) -> None:
        """Break the barrier: current and future calls to :meth:`wait` raise."""
        with self._cond:
            self._break()

    @property
    def parties(self) -> int:
        """The number of threads required to pass the barrier."""
        return self._parties

    @property
    def n_waiting(self) -> int:
        """The number of threads currently waiting in the barrier (0 unless FILLING)."""
        if self._phase is Phase.FILLING:
            return self._inside
        return 0

    @property
    def broken(self) -> bool:
        """True if the barrier is in the broken state."""
        return self._phase is Phase.BROKEN

    def __repr__(self) -> str:
        cls = type(self)
        where = f"<{cls.__module__}.{cls.__qualname__} at {id(self):#x}"
        if self.broken:
            return f"{where}: broken>"
        return f"{where}: waiters={self.n_waiting}/{self.parties}>"

    # -- the steps of wait(), all called with the lock held --------------------------------

    def _pass_the_gate(self) -> None:
        """Hold arrivals back while the previous generation drains or resets."""
        self._cond.wait_for(lambda: self._phase not in (Phase.DRAINING, Phase.RESETTING))
        if self._phase is Phase.BROKEN:
            raise BrokenBarrierError
        # invariant: a thread passes the gate only into a FILLING generation with room.
        assert self._phase is Phase.FILLING and self._inside < self._parties

    def _trip(self) -> None:
        """Run the action as the last arrival, then release the generation."""
        try:
            if self._action is not None:
                self._action()
        except BaseException:
            self._break()
            raise
        self._phase = Phase.DRAINING
        self._cond.notify_all()

    def _wait_for_release(self, timeout: float | None) -> None:
        """Wait for the generation to leave FILLING; break it on timeout."""
        released = self._cond.wait_for(lambda: self._phase is not Phase.FILLING, timeout)
        if not released:
            self._break()
            raise BrokenBarrierError
        if self._phase is not Phase.DRAINING:
            # RESETTING or BROKEN: this generation will never be released.
            raise BrokenBarrierError

    def _leave(self) -> None:
        """Count a thread out; the last one out reopens the gate."""
        self._inside -= 1
        # invariant: nobody leaves who did not enter.
        assert self._inside >= 0
        if self._inside == 0 and self._phase in (Phase.DRAINING, Phase.RESETTING):
            self._phase = Phase.FILLING
            self._cond.notify_all()

    def _break(self) -> None:
        self._phase = Phase.BROKEN
        self._cond.notify_all()
