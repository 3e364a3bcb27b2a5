"""Bug: an asyncio barrier that gives each task ``index = count`` when it arrives, as CPython's
``asyncio.Barrier`` does (gh-155233).

A waiter cancelled while filling leaves the count, so the next arrival takes the count's value
again: an index that a task still waiting already holds. Two tasks of one generation return
the same index.

Rule: A-INDEX
Scenario: parties=3, threads=["wait", "wait", "wait", "wait"]
  (t0 and t1 arrive with 0 and 1, t0 is cancelled, t2 arrives and takes 1 again.)
"""

from __future__ import annotations

from barrierlab.impl import asyncio_reference as ref

__all__ = ["Barrier"]


class Barrier(ref.Barrier):
    """The reference barrier, with indices taken from the count on arrival."""

    async def wait(self) -> int:
        async with self._cond:
            await self._gate()
            index = self._count  # BUG: a cancelled waiter's departure makes this repeat
            self._count += 1
            seat = ref._Seat()
            try:
                if len(self._seats) + 1 == self._parties:
                    self._release(seat)
                else:
                    self._seats.append(seat)
                    await self._wait_for_release(seat)
                return index
            finally:
                self._count -= 1
                self._leave()
