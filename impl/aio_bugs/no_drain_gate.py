"""Bug: an asyncio barrier without the drain gate.

A task that arrives while the previous generation is still draining goes straight in; it finds
the phase not FILLING, takes that for "broken or reset", and raises BrokenBarrierError from a
barrier that is neither.

Rule: A-BROKEN-WAIT (also: A-RESET)
Scenario: parties=2, threads=["wait", "wait", "wait"]
  (t0 and t1 are released; t2 arrives before they have resumed.)
"""

from __future__ import annotations

from barrierlab.impl import asyncio_reference as ref

__all__ = ["Barrier"]


class Barrier(ref.Barrier):
    """The reference barrier with no gate at the entry."""

    async def _gate(self) -> None:
        # BUG: no waiting while DRAINING or RESETTING
        if self._state is ref.Phase.BROKEN:
            raise ref.BrokenBarrierError("Barrier aborted")
