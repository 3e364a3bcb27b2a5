"""One scenario's search in turns, so that the long ones of a parallel check share the workers.

A parallel check hands out one task per scenario, and the scenarios of a check differ in cost by
two orders of magnitude (a few schedules to thousands). Handed out first come, first served,
the longest may start last and run alone while the other workers idle; how long each will take
is not known before it runs (the number of schedules to exhaust a scenario shows only in the
search). So instead each task runs for a *turn* of at most :data:`TURN_SECONDS` and, when its
search is not over, comes back :class:`Paused`: what it found so far and its scheduler, which
pickle, state and all. The check hands the paused search out again, behind the tasks already
waiting, and a worker resumes it where it stopped. Scenarios therefore share the workers round
robin, and the last worker to finish ends at most one turn after the others. Turns are for
checks stopped by count (``max_schedules``), where the work is fixed and only its spread
matters; by time, each task's share of the budget already bounds it.

A search resumed is the search run whole: :func:`~.search.explore` continues its result with
the same scheduler object, and between schedules a scheduler's state is all in that object. So
turns change no schedule, verdict or count, only which process runs which part; a check stopped
by ``max_schedules`` gives the same result in turns as in one piece (tested). What is left of
the task's time goes with it in seconds, not as an instant (a paused search waits in the queue
on time that is not its own; monotonic clocks of two processes or machines need not agree);
each turn makes it a deadline of its own, never past the check's end, and gives it to the
scheduler again (:class:`~barrierlab.checker.schedulers.base.Deadlined`).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from barrierlab.checker.config import Config
from barrierlab.checker.explore.search import ScenarioResult, explore
from barrierlab.checker.runtime.target import Target
from barrierlab.checker.scenario import Scenario
from barrierlab.checker.schedulers.base import Deadlined, Scheduler

__all__ = ["TURN_SECONDS", "Paused", "explore_turn", "resumed_deadline"]

_real_monotonic = time.monotonic
_real_time = time.time

#: How long one turn of a scenario's search lasts (real seconds). A turn costs a round trip
#: (about 2 ms on local processes, 5 ms on Dask, and the pickled search state, some 10 to 50
#: kB): about 2% of a turn.
TURN_SECONDS = 0.25


@dataclass
class Paused:
    """A scenario's search stopped at the end of its turn, to be resumed."""

    result: ScenarioResult
    scheduler: Scheduler
    #: The seconds left of the task's time.
    left: float
    #: The check's end, a wall-clock (``time.time()``) instant.
    end: float


def resumed_deadline(paused: Paused) -> float:
    """The monotonic deadline, in this process, of a paused search resumed now; its scheduler
    is given it too."""
    deadline = _real_monotonic() + max(0.0, min(paused.left, paused.end - _real_time()))
    if isinstance(paused.scheduler, Deadlined):
        paused.scheduler.deadline = deadline
    return deadline


def explore_turn(
    target: Target,
    scenario: Scenario,
    scheduler: Scheduler,
    config: Config,
    *,
    deadline: float,
    turn: float | None,
    end: float = float("inf"),
    resume: ScenarioResult | None = None,
    stop: Callable[[], bool] | None = None,
    **explore_options: Any,
) -> ScenarioResult | Paused:
    """:func:`~.search.explore` (with ``resume``, ``stop`` and ``explore_options``) until
    ``deadline`` (monotonic) or, when ``turn`` (seconds) is given, for one turn: a search
    the turn ended before it was over comes back :class:`Paused` (``end``: the check's
    wall-clock end, which no resumed turn goes past)."""
    turn_end = math.inf if turn is None else _real_monotonic() + turn
    found = explore(
        target,
        scenario,
        scheduler,
        config,
        deadline=min(deadline, turn_end),
        resume=resume,
        stop=stop,
        **explore_options,
    )
    if turn is None:
        return found
    cap = config.max_schedules
    over = (
        found.violation is not None
        or scheduler.exhaustive
        or (cap is not None and found.schedules >= cap)
        or turn_end >= deadline  # the task's own time ended the search
        or _real_monotonic() < turn_end  # the scheduler ended it before the turn did
        or (stop is not None and stop())
    )
    if over:
        return found
    return Paused(found, scheduler, deadline - _real_monotonic(), end)
