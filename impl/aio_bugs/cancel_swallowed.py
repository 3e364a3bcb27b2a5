"""Bug: ``wait`` swallows a cancellation and goes on waiting.

A cancelled task must exit the barrier; this one catches the CancelledError and waits again,
so the task that asked to cancel it sees it return an index later (or never).

Rule: A-CANCEL (also: deadlock)
Scenario: parties=2, threads=["wait", "wait"]
  (t0 is cancelled while waiting, keeps waiting, and returns when t1 arrives.)
"""

from __future__ import annotations

import asyncio

from barrierlab.impl import asyncio_reference as ref

__all__ = ["Barrier"]


class Barrier(ref.Barrier):
    """The reference barrier, which ignores cancellation while filling."""

    async def _wait_for_release(self, seat: ref._Seat) -> None:
        while True:
            try:
                await self._cond.wait_for(lambda: self._state is not ref.Phase.FILLING)
                break
            except asyncio.CancelledError:
                continue  # BUG: the cancellation is lost
        if seat.index is None or self._state in (ref.Phase.BROKEN, ref.Phase.RESETTING):
            raise ref.BrokenBarrierError("Abort or reset of barrier")
