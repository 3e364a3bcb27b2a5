"""Schedulers: one small module each, behind the protocol in ``base``.

:func:`make_scheduler` builds one by name:

* ``dfs``: exhaustive depth-first search with partial-order reduction
  (``reduction=True, preemption_bound=None, max_schedules=None``);
* ``random``: uniformly random choices (``seed=0, max_schedules=None``);
* ``pct``: probabilistic concurrency testing (``seed=0, depth=3, max_schedules=None,
  steps_guess=50``);
* ``hypothesis``: choices drawn from a source of integers (``source``); see
  :func:`~barrierlab.checker.schedulers.hypothesis_driven.find_schedule` for the search;
* ``replay``: one recorded schedule (``choices``).

>>> make_scheduler("pct", seed=3).depth
3
>>> make_scheduler("bfs")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
barrierlab.model.errors.InvalidArgument: unknown scheduler 'bfs'; the schedulers are: dfs, ...
"""

from __future__ import annotations

import inspect
from typing import Any

from barrierlab.checker.schedulers.base import Choice, Scheduler
from barrierlab.checker.schedulers.dfs import DFSScheduler
from barrierlab.checker.schedulers.hypothesis_driven import HypothesisScheduler
from barrierlab.checker.schedulers.pct import PCTScheduler
from barrierlab.checker.schedulers.random import RandomScheduler
from barrierlab.checker.schedulers.replay import ReplayScheduler
from barrierlab.model.errors import InvalidArgument

__all__ = [
    "SCHEDULERS",
    "Choice",
    "DFSScheduler",
    "HypothesisScheduler",
    "PCTScheduler",
    "RandomScheduler",
    "ReplayScheduler",
    "Scheduler",
    "make_scheduler",
]

#: The schedulers by name.
SCHEDULERS: dict[str, type] = {
    "dfs": DFSScheduler,
    "random": RandomScheduler,
    "pct": PCTScheduler,
    "hypothesis": HypothesisScheduler,
    "replay": ReplayScheduler,
}


def make_scheduler(name: str, **params: Any) -> Scheduler:
    """The scheduler called ``name``, built with ``params``; :class:`InvalidArgument` for an
    unknown name or a parameter that scheduler does not take."""
    cls = SCHEDULERS.get(name)
    if cls is None:
        raise InvalidArgument(
            f"unknown scheduler {name!r}; the schedulers are: {', '.join(sorted(SCHEDULERS))}"
        )
    accepted = [p for p in inspect.signature(cls).parameters if p != "self"]
    unknown = sorted(set(params) - set(accepted))
    if unknown:
        raise InvalidArgument(
            f"scheduler {name!r} takes no parameter {', '.join(map(repr, unknown))}; "
            f"it takes: {', '.join(accepted)}"
        )
    try:
        return cls(**params)
    except TypeError as error:  # a required parameter is missing
        raise InvalidArgument(f"scheduler {name!r}: {error}") from None
