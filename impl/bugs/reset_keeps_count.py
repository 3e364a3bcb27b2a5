"""Bug: ``reset()`` installs a new generation but keeps the old arrival count.

A copy of :mod:`barrierlab.impl.generations` whose ``reset`` forgets ``_count = parties``. The
reset waiters raise, as they should, but the new generation starts with their places already
taken: it trips with fewer than ``parties`` threads, and ``n_waiting`` counts threads that are
gone.

Rule: R-RESET (also: R-RELEASE-ALL, R-RELEASE, R-N-WAITING)
Scenario: parties=2, threads=["wait", "reset wait"]
  (t0 waits, t1 resets: t0 raises, and t1's own wait returns at once, with no partner.)
"""

from __future__ import annotations

from barrierlab.impl import generations

__all__ = ["Barrier"]


class Barrier(generations.Barrier):
    """The generation-object barrier, whose reset keeps the count."""

    def reset(self):
        with self._cond:
            if self._count < self._parties:
                self._generation.broken = True
            self._generation = generations.Generation()
            # BUG: missing `self._count = self._parties`
            self._publish()
            self._cond.notify_all()
