"""The checker's settings: one object, each bound documented, each overridable from the
environment (``BARRIERLAB_<FIELD>``, e.g. ``BARRIERLAB_STEP_BOUND=50000``).

>>> Config().step_bound > 0
True
>>> Config.from_env({"BARRIERLAB_BUDGET": "5"}).budget
5.0
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import Any

from barrierlab.model.errors import InvalidArgument

__all__ = ["Config"]


@dataclass(frozen=True)
class Config:
    #: Real seconds the whole check may take (split over the scenarios). BARRIERLAB_BUDGET.
    budget: float = 45.0
    #: Schedules per scenario at most (None: only the budget limits). BARRIERLAB_MAX_SCHEDULES.
    max_schedules: int | None = None
    #: Seed of the randomized schedulers; the same seed gives the same schedules. BARRIERLAB_SEED.
    seed: int = 0
    #: Scheduling steps per schedule before the run is called a livelock. BARRIERLAB_STEP_BOUND.
    step_bound: int = 5_000
    #: Real seconds without a scheduling step before a worker is called blocked outside our
    #: control (a real lock, a socket, a spin without any primitive). BARRIERLAB_WATCHDOG.
    watchdog: float = 3.0
    #: Every line of the target's own source files is a scheduling point (asyncio targets:
    #: every callback of the target's own code the loop runs). BARRIERLAB_LINE_LEVEL.
    line_level: bool = True
    #: Schedules the portfolio's exhaustive phase runs per scenario in long turns (5 to 1
    #: against randomized search); past it, the two take equal turns. BARRIERLAB_DFS_CAP.
    dfs_cap: int = 2_000
    #: Steps carry footprints (what shared state they read and write): lines that touch only
    #: their thread's own state are not scheduling points, and partial-order reduction knows
    #: which steps commute. Off: every line is a point dependent with everything (the search
    #: before footprints; replay tokens say which was used). BARRIERLAB_FOOTPRINTS.
    footprints: bool = True
    #: Preemption bound of the exhaustive phase (None: unbounded). BARRIERLAB_PREEMPTION_BOUND.
    preemption_bound: int | None = None
    #: Cancellations of a task inside ``wait`` per schedule at most (asyncio targets; a
    #: timeout's expiry does not count). BARRIERLAB_CANCELLATIONS.
    cancellations: int = 1

    def __post_init__(self) -> None:
        if not self.budget > 0:
            raise InvalidArgument(f"budget must be > 0 seconds, got {self.budget!r}")
        for name in ("max_schedules", "dfs_cap", "step_bound"):
            value = getattr(self, name)
            if value is not None and value < 1:
                raise InvalidArgument(f"{name} must be >= 1, got {value!r}")
        if self.cancellations < 0:
            raise InvalidArgument(f"cancellations must be >= 0, got {self.cancellations!r}")
        if self.preemption_bound is not None and self.preemption_bound < 0:
            raise InvalidArgument(f"preemption_bound must be >= 0, got {self.preemption_bound}")
        if not self.watchdog > 0:
            raise InvalidArgument(f"watchdog must be > 0 seconds, got {self.watchdog!r}")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> Config:
        """Defaults, then ``BARRIERLAB_*`` variables, then ``overrides`` (None = not given)."""
        environ = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = environ.get(f"BARRIERLAB_{f.name.upper()}")
            if raw is not None:
                values[f.name] = _parse(f.name, raw, str(f.type))
        values.update({k: v for k, v in overrides.items() if v is not None})
        return replace(cls(), **values)


def _parse(name: str, raw: str, kind: str) -> Any:
    try:
        if "bool" in kind:
            if raw.lower() in ("1", "true", "yes", "on"):
                return True
            if raw.lower() in ("0", "false", "no", "off"):
                return False
            raise ValueError(raw)
        if raw.lower() == "none" and "None" in kind:
            return None
        return float(raw) if "float" in kind else int(raw)
    except ValueError:
        raise InvalidArgument(
            f"environment variable BARRIERLAB_{name.upper()}={raw!r} is not a valid {kind}"
        ) from None
