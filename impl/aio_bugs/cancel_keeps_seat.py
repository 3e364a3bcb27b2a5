"""Bug: a waiter cancelled while filling leaves ``wait`` but keeps its seat.

The count goes down, but the generation still counts the cancelled task among its arrivals, so
it is released one task short: a wait returns before ``parties`` tasks are there.

Rule: A-CANCEL-FILLING (also: A-RELEASE, A-N-WAITING)
Scenario: parties=2, threads=["wait", "wait"]
  (t0 waits and is cancelled; t1 arrives and is released alone.)
"""

from __future__ import annotations

import asyncio

from barrierlab.impl import asyncio_reference as ref

__all__ = ["Barrier"]


class Barrier(ref.Barrier):
    """The reference barrier, whose cancelled waiters keep their seats."""

    async def _wait_for_release(self, seat: ref._Seat) -> None:
        try:
            await self._cond.wait_for(lambda: self._state is not ref.Phase.FILLING)
        except asyncio.CancelledError:
            raise  # BUG: the seat stays in self._seats
        if seat.index is None or self._state in (ref.Phase.BROKEN, ref.Phase.RESETTING):
            raise ref.BrokenBarrierError("Abort or reset of barrier")
