"""What a seeded random or PCT scheduler picks on one fixed toy program.

Shared by ``tests/checker/schedulers/test_randomized.py`` and the subprocess it starts to show
the picks do not depend on the process or its hash seed (test modules are not importable by
name under ``--import-mode=importlib``; this support module is).
"""

from __future__ import annotations

from toy import explore

from barrierlab.checker.schedulers.pct import PCTScheduler
from barrierlab.checker.schedulers.random import RandomScheduler

__all__ = ["PROGRAM", "sequences"]

#: Three threads with plain accesses, a lock, a lock with a timeout and an internal choice.
PROGRAM = (
    (("write", "x"), ("lock", "L"), ("write", "y"), ("unlock", "L"), ("read", "z")),
    (("read", "y"), ("lock", "L"), ("write", "z"), ("unlock", "L")),
    (("lock?", "L"), ("write", "x"), ("flip", "z")),
)


def sequences(name: str, seed: int) -> list[list]:
    """The choices of each of 30 schedules of ``PROGRAM`` by scheduler ``name`` with ``seed``."""
    cls = {"random": RandomScheduler, "pct": PCTScheduler}[name]
    runs = explore(PROGRAM, cls(seed=seed, max_schedules=30), traces=False)
    return [list(r.choices) for r in runs]
