"""PCT: probabilistic concurrency testing (Burckhardt et al., ASPLOS 2010).

Every schedule gives the threads random distinct priorities and always runs the
highest-priority thread among the options. At ``depth - 1`` randomly chosen steps (the *change
points*, uniform over the expected number of steps) the thread about to run drops below every
other: change point ``i`` gives it priority ``i``, lower than any starting priority. A bug that
needs ``d`` ordering constraints among ``n`` threads and ``k`` steps is found by one schedule
with probability at least ``1 / (n * k**(d - 1))`` when ``depth >= d``.

Threads appear while the program runs, so a thread gets its starting priority when first seen:
a random number in ``[depth, depth + 1)``, which orders the threads seen so far uniformly at
random. The number of steps ``k`` is learnt: the longest run so far (``steps_guess`` before the
first run ends). Timeouts: the chosen thread steps when it can; when it only offers to time out
(it is blocked with a deadline), it times out.

Parameters:

* ``seed`` (int, default 0): schedule ``n`` uses ``random.Random(derive_seed(seed, n))``.
* ``depth`` (int >= 1, default 3): the bug depth targeted (1 means no change points).
* ``max_schedules`` (int or None, default None): stop after that many schedules.
* ``steps_guess`` (int >= 1, default 50): the step count assumed until a run has been seen.

PCT never claims to be exhaustive.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from barrierlab.checker.schedulers.base import Choice, check_int, derive_seed

__all__ = ["PCTScheduler"]


class PCTScheduler:
    """Priority-based random scheduling with ``depth - 1`` priority change points."""

    name = "pct"

    def __init__(
        self,
        seed: int = 0,
        depth: int = 3,
        max_schedules: int | None = None,
        steps_guess: int = 50,
    ) -> None:
        check_int("seed", seed, minimum=-(2**63))
        check_int("depth", depth, minimum=1)
        check_int("max_schedules", max_schedules, minimum=1, optional=True)
        check_int("steps_guess", steps_guess, minimum=1)
        self.seed = seed
        self.depth = depth
        self.max_schedules = max_schedules
        #: Schedules started so far; the expected number of steps (the longest run seen).
        self.schedules = 0
        self.expected_steps = steps_guess
        self._seen_a_run = False
        self._rng = random.Random(0)
        self._priority: dict[int, float] = {}
        self._change_points: dict[int, int] = {}  # step number -> new (low) priority
        self._step = 0

    @property
    def exhaustive(self) -> bool:
        return False

    def start(self) -> bool:
        if self.max_schedules is not None and self.schedules >= self.max_schedules:
            return False
        self._rng = rng = random.Random(derive_seed(self.seed, self.schedules))
        self.schedules += 1
        self._priority = {}
        self._step = 0
        points = self.depth - 1
        span = max(self.expected_steps, points)
        self._change_points = {
            step: i + 1 for i, step in enumerate(sorted(rng.sample(range(span), points)))
        }
        return True

    def choose(self, options: Sequence[Choice]) -> Choice:
        priority = self._priority
        for option in options:
            if option.tid not in priority:
                priority[option.tid] = self.depth + self._rng.random()
        best = max(options, key=lambda o: (priority[o.tid], not o.timeout))
        low = self._change_points.get(self._step)
        if low is not None:
            priority[best.tid] = low
            best = max(options, key=lambda o: (priority[o.tid], not o.timeout))
        self._step += 1
        return best

    def finish(self, cut_short: bool = False) -> None:
        if not self._seen_a_run:
            self._seen_a_run = True
            self.expected_steps = max(self._step, 1)
        else:
            self.expected_steps = max(self.expected_steps, self._step)
