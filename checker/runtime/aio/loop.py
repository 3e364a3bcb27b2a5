"""A deterministic asyncio event loop: virtual time, and nothing runs until it is told.

asyncio is cooperative: a task runs from one ``await`` that suspends it to the next, and the
loop decides which ready callback runs next. :class:`VirtualLoop` is an ordinary
:class:`asyncio.BaseEventLoop` (so ``asyncio.Condition``, ``asyncio.timeout``,
``asyncio.sleep``, ``wait_for`` and the C-accelerated ``Task`` all work unchanged) that never
runs by itself: :mod:`barrierlab.checker.runtime.aio.run` looks at its ready queue, asks the
scheduler which task takes its next step, and runs exactly that task's callback.

What is in the ready queue, sorted by who it belongs to (:meth:`VirtualLoop.owner`):

* a *task step*: ``Task.__step`` or ``Task.__wakeup`` (their ``__self__`` is the task, in the
  Python and the C implementation alike): the scheduler picks among these;
* a *timeout*: ``asyncio.Timeout._on_timeout`` of a task's ``asyncio.timeout()``: it fires only
  when the scheduler lets that task's deadline expire (also when it was already due);
* a callback of the target's own code: a step the scheduler picks, as a task's (the run
  decides which are the target's, by their source file);
* anything else (a sleep's timer, a future's bookkeeping): internal, run at once in order.

Time is virtual: :meth:`VirtualLoop.time` returns :attr:`VirtualLoop.now`, which moves only
when a deadline is chosen to expire or when nothing else can run and a timer is pending (then
to the earliest one). I/O is not supported: there is none in a barrier.
"""

from __future__ import annotations

import asyncio
import heapq
from typing import Any

__all__ = ["VirtualLoop"]


class VirtualLoop(asyncio.BaseEventLoop):
    """An event loop driven from outside, one callback at a time, on a virtual clock."""

    def __init__(self) -> None:
        super().__init__()
        #: The virtual time in seconds since the loop was made.
        self.now = 0.0

    # -- what asyncio asks of a loop -----------------------------------------------------------

    def time(self) -> float:
        return self.now

    def _process_events(self, event_list: Any) -> None:  # no I/O
        pass

    def _write_to_self(self) -> None:  # nothing to wake: the loop never sleeps
        pass

    # -- what the run asks of it -----------------------------------------------------------

    @staticmethod
    def owner(handle: asyncio.Handle) -> Any:
        """The object a callback is bound to (a Task, a Timeout, or None)."""
        return getattr(getattr(handle, "_callback", None), "__self__", None)

    def ready(self) -> list[asyncio.Handle]:
        """The callbacks ready to run, in the order they were scheduled (cancelled ones
        dropped)."""
        me: Any = self  # asyncio's private queues: BaseEventLoop declares none of them
        live: list[asyncio.Handle] = [h for h in me._ready if not h.cancelled()]
        if len(live) != len(me._ready):
            me._ready.clear()
            me._ready.extend(live)
        return live

    def timers(self) -> list[asyncio.TimerHandle]:
        """The timers not cancelled, earliest first (ties: in the order they were made)."""
        me: Any = self
        timers: list[asyncio.TimerHandle] = [h for h in me._scheduled if not h.cancelled()]
        return sorted(timers, key=lambda h: h.when())

    def run_handle(self, handle: asyncio.Handle) -> None:
        """Take ``handle`` out of the ready queue (or the timers) and run it."""
        me: Any = self
        h: Any = handle
        if isinstance(handle, asyncio.TimerHandle) and handle in me._scheduled:
            me._scheduled.remove(handle)
            heapq.heapify(me._scheduled)
            h._scheduled = False
            self.now = max(self.now, handle.when())
        else:
            me._ready.remove(handle)
        me._current_handle = handle
        try:
            h._run()
        finally:
            me._current_handle = None

    def fire_next_timer(self) -> bool:
        """Advance the clock to the earliest timer and make it ready; False if there is none."""
        pending = self.timers()
        if not pending:
            return False
        first: Any = pending[0]
        me: Any = self
        me._scheduled.remove(first)
        heapq.heapify(me._scheduled)
        first._scheduled = False
        self.now = max(self.now, first.when())
        me._ready.append(first)
        return True
