"""Bug: ``reset()`` suspends half-way, so a cancellation there leaves half a reset.

It empties the seats first, then yields to the loop holding the lock (``await
asyncio.sleep(0)``, "let the waiters see it"), and only then fails the waiters by moving the
phase to RESETTING. Uncancelled, nobody can tell: the lock keeps other calls out and the reads
do not look at the seats. Cancelled at that ``await``, the reset exits with the seats gone and
the phase still FILLING: the waiters are neither failed (as by a reset) nor kept (their seats
are lost, though they still count), so the generation never fills again and every task in it
waits for good.

Rule: A-CANCEL (also: deadlock, A-RELEASE-ALL, A-RELEASE, A-CANCEL-STATE)
Scenario: parties=2, threads=["wait", "reset", "wait"]
  (t0 waits; t1's reset is cancelled at its await; t2 arrives and waits beside t0 for good: a
  reset that took effect would have failed t0, one that did not would have released both.)
"""

from __future__ import annotations

import asyncio

from barrierlab.impl import asyncio_reference as ref

__all__ = ["Barrier"]


class Barrier(ref.Barrier):
    """The reference barrier whose reset can be cancelled in the middle."""

    async def reset(self) -> None:
        async with self._cond:
            self._seats = []
            await asyncio.sleep(0)  # BUG: a suspension between the two halves of the effect
            self._state = ref.Phase.RESETTING if self._count > 0 else ref.Phase.FILLING
            self._cond.notify_all()
