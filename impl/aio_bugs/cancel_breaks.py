"""Bug: a cancelled waiter breaks the barrier, as a timeout does in ``threading.Barrier``.

asyncio's timeouts are cancellations, and its documentation says the barrier "stays in the
same state": the other waiters must go on waiting. Here they raise BrokenBarrierError instead.

Rule: A-CANCEL-STATE (also: A-BROKEN-WAIT)
Scenario: parties=2, threads=["wait(1)", "wait", "wait"]
  (t0 times out while t1 waits: t1 raises BrokenBarrierError, though t2 would release it.)
"""

from __future__ import annotations

import asyncio

from barrierlab.impl import asyncio_reference as ref

__all__ = ["Barrier"]


class Barrier(ref.Barrier):
    """The reference barrier, whose cancelled waiters break it."""

    async def _wait_for_release(self, seat: ref._Seat) -> None:
        try:
            await super()._wait_for_release(seat)
        except asyncio.CancelledError:
            if self._state is ref.Phase.FILLING:
                self._state = ref.Phase.BROKEN  # BUG: a cancellation must leave the state alone
                self._seats = []
                self._cond.notify_all()
            raise
