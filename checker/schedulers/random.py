"""Random scheduler: at every scheduling point, a uniformly random option.

Parameters:

* ``seed`` (int, default 0): the whole sequence of schedules is a function of it. Schedule
  ``n`` uses its own ``random.Random(derive_seed(seed, n))``, so it can be rerun alone and does
  not depend on ``PYTHONHASHSEED`` or on what earlier schedules did.
* ``max_schedules`` (int or None, default None): :meth:`start` returns False after that many
  schedules; None runs until the caller stops (a budget, a violation).

Random search never claims to be exhaustive.

>>> from barrierlab.checker.schedulers.base import Choice
>>> s = RandomScheduler(seed=7, max_schedules=1)
>>> s.start(), s.choose([Choice(0), Choice(1)]) in (Choice(0), Choice(1))
(True, True)
>>> s.finish(); s.start()
False
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from barrierlab.checker.schedulers.base import Choice, check_int, derive_seed

__all__ = ["RandomScheduler"]


class RandomScheduler:
    """Uniformly random choices from a per-schedule seeded generator."""

    name = "random"

    def __init__(self, seed: int = 0, max_schedules: int | None = None) -> None:
        check_int("seed", seed, minimum=-(2**63))
        check_int("max_schedules", max_schedules, minimum=1, optional=True)
        self.seed = seed
        self.max_schedules = max_schedules
        #: Schedules started so far.
        self.schedules = 0
        #: The seed of the current (or last) schedule.
        self.schedule_seed: int | None = None
        self._rng = random.Random(0)

    @property
    def exhaustive(self) -> bool:
        return False

    def start(self) -> bool:
        if self.max_schedules is not None and self.schedules >= self.max_schedules:
            return False
        self.schedule_seed = derive_seed(self.seed, self.schedules)
        self._rng = random.Random(self.schedule_seed)
        self.schedules += 1
        return True

    def choose(self, options: Sequence[Choice]) -> Choice:
        if len(options) == 1:
            return options[0]
        return options[self._rng.randrange(len(options))]

    def finish(self, cut_short: bool = False) -> None:
        pass
