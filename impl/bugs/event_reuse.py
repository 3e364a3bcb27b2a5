"""Bug: one Event reused for every generation, cleared by the next generation's first arrival.

A copy of :mod:`barrierlab.impl.event_per_generation` that saves an object per round: all
generations share ``self._event``; the trip sets it and the first arrival of the next
generation clears it. But a party registers under the lock and waits on the event *after*
letting the lock go: if, in between, its generation trips and the next one starts (clearing
the event), it waits for a set that has already come and gone. It sleeps until the next
generation is decided, which may be never.

Only shows with more threads than parties.

Rule: R-RELEASE-ALL (also: deadlock)
Scenario: parties=2, threads=["wait", "wait", "wait"]
  (t0 registers; t1 trips; t2 starts the next generation, clearing the event; t0 then waits.)
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from threading import Event, Lock

__all__ = ["Barrier", "BrokenBarrierError"]

BrokenBarrierError = threading.BrokenBarrierError


class _Generation:
    __slots__ = ("arrived", "outcome")

    def __init__(self) -> None:
        self.arrived = 0
        self.outcome: str | None = None  # None while filling, then "released" or "broken"


class Barrier:
    """A barrier of one lock and one reused Event."""

    def __init__(
        self,
        parties: int,
        action: Callable[[], object] | None = None,
        timeout: float | None = None,
    ) -> None:
        if parties < 1:
            raise ValueError(f"parties must be >= 1, got {parties!r}")
        self._lock = Lock()
        self._event = Event()
        self._parties = parties
        self._action = action
        self._timeout = timeout
        self._generation = _Generation()
        self._view = (0, False)

    def wait(self, timeout: float | None = None) -> int:
        if timeout is None:
            timeout = self._timeout
        with self._lock:
            generation = self._generation
            if generation.outcome is not None:
                raise BrokenBarrierError
            if generation.arrived == 0:
                self._event.clear()  # BUG: the last generation's parties may not have seen it
            index = generation.arrived
            generation.arrived += 1
            self._publish()
            if generation.arrived == self._parties:
                self._trip(generation)
                return index
        self._event.wait(timeout)
        with self._lock:
            if generation.outcome is None:
                self._decide_broken(generation)
            if generation.outcome == "broken":
                raise BrokenBarrierError
            return index

    def reset(self) -> None:
        with self._lock:
            old = self._generation
            self._generation = _Generation()
            if old.outcome is None and old.arrived > 0:
                self._decide_broken(old)
            self._publish()

    def abort(self) -> None:
        with self._lock:
            if self._generation.outcome is None:
                self._decide_broken(self._generation)

    @property
    def parties(self) -> int:
        return self._parties

    @property
    def n_waiting(self) -> int:
        return self._view[0]

    @property
    def broken(self) -> bool:
        return self._view[1]

    def _trip(self, generation: _Generation) -> None:
        try:
            if self._action is not None:
                self._action()
        except BaseException:
            self._decide_broken(generation)
            raise
        generation.outcome = "released"
        self._generation = _Generation()
        self._publish()
        self._event.set()

    def _decide_broken(self, generation: _Generation) -> None:
        generation.outcome = "broken"
        self._publish()
        self._event.set()

    def _publish(self) -> None:
        current = self._generation
        if current.outcome == "broken":
            self._view = (0, True)
        else:
            self._view = (current.arrived, False)
