"""Bug: ``n_waiting`` reports how many parties are still *missing*, not how many wait.

:mod:`barrierlab.impl.generations` counts down, as ``java.util.concurrent.CyclicBarrier``
does: ``_count`` is the number of parties the generation still awaits. This copy returns it
as ``n_waiting``, confusing the two: a fresh barrier for two reports two waiting threads.

Rule: R-N-WAITING
Scenario: parties=2, threads=["n_waiting"]
"""

from __future__ import annotations

from barrierlab.impl import generations

__all__ = ["Barrier"]


class Barrier(generations.Barrier):
    """The generation-object barrier, misreporting ``n_waiting``."""

    @property
    def n_waiting(self):
        return self._count  # BUG: must be parties - _count (the published _view[0])
