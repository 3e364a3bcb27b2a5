"""The default scheduler: exhaustive where the space is small, randomized search beyond.

First, DFS with a preemption bound of 1 (at most ``bounded_cap`` schedules): most concurrency
bugs need very few preemptions (Musuvathi and Qadeer, PLDI 2007), and that tree is small.
Then the unbounded DFS scheduler (with partial-order reduction) runs in slices of
``dfs_slice`` schedules, each followed by a slice of ``slice_size`` randomized schedules (so a
bug that depth-first order reaches late is still found early). Once DFS has run ``dfs_cap``
schedules, its slices shrink to ``slice_size``: DFS and randomized search then take equal
turns, so a space of some ten thousand schedules is still exhausted when time allows, while a
huge one leaves half the time to search that finds deep bugs. If DFS finishes, the search was
exhaustive and the portfolio is done. (A DFS with a preemption bound that ends leaves the
rest to randomized search.) The randomized slices rotate: PCT with depth 2, uniform random,
PCT with depth 3 (PCT finds bugs of small depth with a probability that does not shrink with
the number of steps; uniform random covers the rest).
Every sub-scheduler's seed is derived from ``seed``, so the portfolio is deterministic for a
given seed and number of schedules; the ``deadline`` only decides where it stops.

Parameters: ``seed`` (int), ``dfs_cap`` (int >= 1), ``preemption_bound`` (of the unbounded
DFS phase; None for unbounded), ``deadline`` (a real ``time.monotonic()`` instant, or None),
``slice_size``, ``dfs_slice``, ``bounded_cap``.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from barrierlab.checker.schedulers.base import Choice, derive_seed, report_blocked, report_quiet
from barrierlab.checker.schedulers.dfs import DFSScheduler
from barrierlab.checker.schedulers.random import RandomScheduler

__all__ = ["Portfolio"]

_real_monotonic = time.monotonic


def _randomized(kind: str, seed: int):
    if kind == "random":
        return RandomScheduler(seed=seed)
    from barrierlab.checker.schedulers.pct import PCTScheduler

    return PCTScheduler(seed=seed, depth=int(kind[-1]))


class Portfolio:
    """Bounded DFS, then DFS in turns with PCT and random (see the module docstring)."""

    name = "portfolio"
    ROTATION = ("pct2", "random", "pct3")

    def __init__(
        self,
        seed: int = 0,
        dfs_cap: int = 2_000,
        preemption_bound: int | None = None,
        deadline: float | None = None,
        slice_size: int = 30,
        dfs_slice: int = 150,
        bounded_cap: int = 300,
    ) -> None:
        self.seed = seed
        self.deadline = deadline
        self.slice_size = slice_size
        self.dfs_slice = dfs_slice
        self._in_dfs_slice = 0
        self.dfs_cap = dfs_cap
        self.dfs = DFSScheduler(preemption_bound=preemption_bound)
        self.bounded = DFSScheduler(preemption_bound=1, max_schedules=bounded_cap)
        self.current = self.bounded
        self.phase = "bounded"
        self._slice = 0
        self._in_slice = 0
        self._started = 0
        #: Schedules run by each kind of sub-scheduler.
        self.counts: dict[str, int] = {}

    @property
    def exhaustive(self) -> bool:
        return self.dfs.exhaustive

    def _past_deadline(self) -> bool:
        return self.deadline is not None and _real_monotonic() >= self.deadline

    def start(self) -> bool:
        if self._past_deadline():
            return False
        if self.phase == "bounded":
            if self.bounded.start():
                return self._count("dfs-pb1")
            self.phase = "dfs"
            self.current = self.dfs
        dfs_slice = self.dfs_slice if self.dfs.schedules < self.dfs_cap else self.slice_size
        if self.phase == "dfs" and self._in_dfs_slice < dfs_slice:
            if self.dfs.start():
                self.current = self.dfs
                self._in_dfs_slice += 1
                return self._count("dfs")
            if self.dfs.exhaustive:
                return False
            self.phase = "random"  # a bounded DFS ended: randomized from now on
        if self.current is self.dfs or self._in_slice >= self.slice_size:
            if self.current is not self.dfs and self.phase == "dfs":
                self.current = self.dfs  # back to DFS for its next slice
                self._in_dfs_slice = 0
                return self.start()
            self._next_slice()
        self._in_slice += 1
        if not self.current.start():  # pragma: no cover - randomized schedulers never end
            return False
        return self._count(self.current.name + str(getattr(self.current, "depth", "")))

    def _next_slice(self) -> None:
        kind = self.ROTATION[self._slice % len(self.ROTATION)]
        self.current = _randomized(kind, derive_seed(self.seed, self._slice))
        self._slice += 1
        self._in_slice = 0

    def _count(self, kind: str) -> bool:
        self.counts[kind] = self.counts.get(kind, 0) + 1
        return True

    def choose(self, options: Sequence[Choice]) -> Choice:
        return self.current.choose(options)

    def blocked(self, pending: Sequence[Choice]) -> None:
        report_blocked(self.current, pending)

    def quiet(self) -> None:
        report_quiet(self.current)

    def finish(self, cut_short: bool = False) -> None:
        self.current.finish(cut_short)
