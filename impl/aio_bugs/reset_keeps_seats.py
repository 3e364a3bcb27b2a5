"""Bug: ``reset()`` fails the waiters but does not empty the generation's seats.

The next generation starts with the seats of the tasks that were reset away, so it is released
before ``parties`` tasks have arrived.

Rule: A-RESET (also: A-RELEASE, A-RELEASE-ALL, A-INDEX, A-CANCEL-FILLING)
Scenario: parties=2, threads=["wait", "reset", "wait"]
  (t0 waits, t1 resets: t0 raises; t2's wait then returns at once, with no partner.)
"""

from __future__ import annotations

import asyncio

from barrierlab.impl import asyncio_reference as ref

__all__ = ["Barrier"]


class Barrier(ref.Barrier):
    """The reference barrier whose reset keeps the seats."""

    async def reset(self) -> None:
        async with self._cond:
            self._state = ref.Phase.RESETTING if self._count > 0 else ref.Phase.FILLING
            # BUG: missing `self._seats = []`
            self._cond.notify_all()

    async def _wait_for_release(self, seat: ref._Seat) -> None:
        try:
            await self._cond.wait_for(lambda: self._state is not ref.Phase.FILLING)
        except asyncio.CancelledError:
            if seat in self._seats:
                self._seats.remove(seat)
            raise
        if seat.index is None or self._state in (ref.Phase.BROKEN, ref.Phase.RESETTING):
            raise ref.BrokenBarrierError("Abort or reset of barrier")  # the seat stays
