"""The asyncio reference barrier: :class:`asyncio.Barrier`'s behaviour, cancellation done right.

A barrier lets ``parties`` tasks meet: each awaits :meth:`Barrier.wait` and stays suspended
until the last of them arrives; then all of them are released together and the barrier is
ready for the next round. One round is a *generation*.

The design
----------

It is CPython's design (so CPython's own ``BarrierTests`` pass against it), with one change in
how indices are handed out. Everything happens under one :class:`asyncio.Condition`, and the
barrier is always in one of four *phases*::

    FILLING ---last arrival---> DRAINING ---last party leaves---> FILLING
       |                           |
       `--reset() with tasks in--> RESETTING ---last task leaves---> FILLING
                                   (also from DRAINING: released tasks not yet resumed raise)
    abort() from any phase ---> BROKEN (until reset())

``_count`` counts the tasks inside ``wait()``: past the entry gate and not yet left. A task
that arrives while the barrier is DRAINING or RESETTING waits at the gate (uncounted) until the
previous generation has left, so generations never mix.

Cancellation, and why indices are given at release
--------------------------------------------------

asyncio's documentation: "When a waiting or blocked task in the barrier is cancelled, this
task exits the barrier which stays in the same state. If the state of the barrier is
'filling', the number of waiting task decreases by 1." A cancelled waiter leaves ``_count``,
so a later arrival takes its place. CPython gives each task ``index = _count`` on arrival, so
that later arrival gets an index a waiter still holds (gh-155233). A worked example with
``parties = 3``: A arrives (index 0), B arrives (index 1), A is cancelled (``_count`` 1), C
arrives and takes ``_count`` = 1 again, D arrives (index 2) and releases: B and C both return 1.

Here an arrival takes a *seat*: its place in :attr:`_seats`, the list of the tasks waiting in
the filling generation, in arrival order. A task cancelled while filling gives its seat up
(it is removed from the list). The last arrival, on release, numbers the seats: the task in
position *i* gets index *i*, the releaser ``parties - 1``. So indices are distinct among the
tasks actually released, and still in arrival order. A task cancelled after the release (its
index was given, it has not resumed) just leaves: nobody else ever gets that index in this
generation, and the barrier stays DRAINING for the others.

``reset()`` turns FILLING, DRAINING or BROKEN into RESETTING while tasks are inside (each of
them raises :class:`asyncio.BrokenBarrierError`, and the last one out restores FILLING), or
into FILLING when nobody is inside. ``abort()`` sets BROKEN. ``n_waiting`` is ``_count``
while FILLING, else 0; ``broken`` is True in BROKEN only.
"""

from __future__ import annotations

import asyncio
import enum
from typing import Any

__all__ = ["Barrier", "BrokenBarrierError"]

BrokenBarrierError = asyncio.BrokenBarrierError


class Phase(enum.Enum):
    """The phase of the barrier (see the module docstring)."""

    FILLING = "filling"
    DRAINING = "draining"
    RESETTING = "resetting"
    BROKEN = "broken"


class _Seat:
    """A task's place in a filling generation; ``index`` is set when the generation is
    released."""

    __slots__ = ("index",)

    def __init__(self) -> None:
        self.index: int | None = None


class Barrier:
    """An asyncio barrier for ``parties`` tasks, with the API of :class:`asyncio.Barrier`."""

    def __init__(self, parties: int) -> None:
        if parties < 1:
            raise ValueError("parties must be > 0")
        self._cond = asyncio.Condition()
        self._parties = parties
        self._state = Phase.FILLING
        # invariant: _count = the tasks inside wait(), past the gate and not yet left
        self._count = 0
        # invariant: while FILLING, _seats holds one seat per waiting task, in arrival order
        self._seats: list[_Seat] = []

    def __repr__(self) -> str:
        res = super().__repr__()
        extra = self._state.value
        if not self.broken:
            extra += f", waiters:{self.n_waiting}/{self.parties}"
        return f"<{res[1:-1]} [{extra}]>"

    async def __aenter__(self) -> int:
        return await self.wait()

    async def __aexit__(self, *args: Any) -> None:
        pass

    async def wait(self) -> int:
        """Wait until ``parties`` tasks wait; return this task's index in ``range(parties)``.

        Raises :class:`asyncio.BrokenBarrierError` if the barrier is broken or reset while the
        task waits; a cancelled task exits the barrier (see the module docstring).
        """
        async with self._cond:
            await self._gate()
            seat = _Seat()
            self._count += 1
            try:
                if len(self._seats) + 1 == self._parties:
                    self._release(seat)
                else:
                    self._seats.append(seat)
                    await self._wait_for_release(seat)
                assert seat.index is not None
                return seat.index
            finally:
                self._count -= 1
                self._leave()

    async def _gate(self) -> None:
        """Hold an arrival while the previous generation drains or resets; fail if broken."""
        await self._cond.wait_for(lambda: self._state not in (Phase.DRAINING, Phase.RESETTING))
        if self._state is Phase.BROKEN:
            raise BrokenBarrierError("Barrier aborted")

    def _release(self, last: _Seat) -> None:
        """The last arrival numbers the seats and releases the generation."""
        for i, seat in enumerate(self._seats):
            seat.index = i
        last.index = self._parties - 1
        self._seats = []
        self._state = Phase.DRAINING
        self._cond.notify_all()

    async def _wait_for_release(self, seat: _Seat) -> None:
        try:
            await self._cond.wait_for(lambda: self._state is not Phase.FILLING)
        except asyncio.CancelledError:
            if seat in self._seats:  # cancelled while filling: give the seat up
                self._seats.remove(seat)
            raise
        if seat.index is None or self._state in (Phase.BROKEN, Phase.RESETTING):
            if seat in self._seats:
                self._seats.remove(seat)
            raise BrokenBarrierError("Abort or reset of barrier")

    def _leave(self) -> None:
        """The last task out ends a drain or a reset, and lets the gate open."""
        if self._count == 0:
            if self._state in (Phase.RESETTING, Phase.DRAINING):
                self._state = Phase.FILLING
            self._cond.notify_all()
        # invariant: nobody waits in a phase other than FILLING with a seat
        assert self._state is Phase.FILLING or not self._seats

    async def reset(self) -> None:
        """Return the barrier to the empty, filling state; the tasks inside raise
        :class:`asyncio.BrokenBarrierError`."""
        async with self._cond:
            if self._count > 0:
                self._state = Phase.RESETTING
            else:
                self._state = Phase.FILLING
            self._seats = []
            self._cond.notify_all()

    async def abort(self) -> None:
        """Break the barrier: current and future waits raise
        :class:`asyncio.BrokenBarrierError`."""
        async with self._cond:
            self._state = Phase.BROKEN
            self._seats = []
            self._cond.notify_all()

    @property
    def parties(self) -> int:
        """The number of tasks required to pass the barrier."""
        return self._parties

    @property
    def n_waiting(self) -> int:
        """The number of tasks waiting in the barrier while filling (0 otherwise)."""
        return self._count if self._state is Phase.FILLING else 0

    @property
    def broken(self) -> bool:
        """True if the barrier is broken."""
        return self._state is Phase.BROKEN
