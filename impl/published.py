"""What the alternative barriers share: their arguments and a published view of their state.

Each alternative (:mod:`.generations`, :mod:`.event_per_generation`, :mod:`.leader`,
:mod:`.sense_reversing`, :mod:`.turnstile`) changes its state only under its own lock, and ends
every change by publishing ``_view = (n_waiting, broken)``: one immutable tuple, replaced in a
single assignment. The read-only API below reads that tuple without the lock, so each read is a
single, indivisible step and ``repr`` shows a pair that held at one moment, never half of a
change. How and when a design publishes is its own business; this class only reads.

Nothing here imports the rest of barrierlab.
"""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["PublishedState"]


class PublishedState:
    """Base of the alternatives: the checked arguments and the lock-free read-only API.

    Subclasses call ``super().__init__(parties, action, timeout)`` first, then build their own
    state, and assign ``self._view`` under their lock after every change.
    """

    def __init__(
        self,
        parties: int,
        action: Callable[[], object] | None = None,
        timeout: float | None = None,
    ) -> None:
        if parties < 1:
            raise ValueError(f"parties must be >= 1, got {parties!r}")
        self._parties = parties
        self._action = action
        self._timeout = timeout
        # invariant: (n_waiting, broken) as they were after the last change under the lock.
        self._view: tuple[int, bool] = (0, False)

    @property
    def parties(self) -> int:
        """The number of threads required to pass the barrier."""
        return self._parties

    @property
    def n_waiting(self) -> int:
        """The number of threads waiting in the current generation (or round)."""
        return self._view[0]

    @property
    def broken(self) -> bool:
        """True if the barrier (its current generation or round) is broken."""
        return self._view[1]

    def __repr__(self) -> str:
        cls = type(self)
        where = f"<{cls.__module__}.{cls.__qualname__} at {id(self):#x}"
        n_waiting, broken = self._view
        if broken:
            return f"{where}: broken>"
        return f"{where}: waiters={n_waiting}/{self._parties}>"
