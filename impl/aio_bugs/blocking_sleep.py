"""Bug (an honest limit): an asyncio barrier that blocks the event loop with a real lock.

``wait`` takes a ``threading.Lock`` and holds it across an ``await``: the second task to arrive
blocks the whole event loop on the lock, which no scheduler can interrupt. barrierlab cannot
explore past it; the watchdog turns it into the *uncontrolled* verdict in bounded time.

Rule: uncontrolled
Scenario: parties=2, threads=["wait", "wait"]
"""

from __future__ import annotations

import threading

from barrierlab.impl import asyncio_reference as ref

__all__ = ["Barrier"]


class Barrier(ref.Barrier):
    """The reference barrier behind a real (blocking) lock."""

    def __init__(self, parties: int) -> None:
        super().__init__(parties)
        self._real = threading.Lock()

    async def wait(self) -> int:
        with self._real:  # BUG: blocks the event loop while another task holds it
            return await super().wait()
